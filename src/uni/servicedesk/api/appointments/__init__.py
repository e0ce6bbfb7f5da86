"""Appointments (نوبت‌دهی): calendars' free slots, booking, cancelling, moving, check-in,
blocking, the public view of a booking and its .ics file."""

from uni.servicedesk.api.appointments.booking import BookingError  # noqa: F401
from uni.servicedesk.api.appointments.booking import CALENDAR_TYPE  # noqa: F401
from uni.servicedesk.api.appointments.booking import MANAGE  # noqa: F401
from uni.servicedesk.api.appointments.booking import SLOT_FORMAT  # noqa: F401
from uni.servicedesk.api.appointments.booking import SlotInfo  # noqa: F401
from uni.servicedesk.api.appointments.booking import before_cutoff  # noqa: F401
from uni.servicedesk.api.appointments.booking import block  # noqa: F401
from uni.servicedesk.api.appointments.booking import book  # noqa: F401
from uni.servicedesk.api.appointments.booking import book_and_commit  # noqa: F401
from uni.servicedesk.api.appointments.booking import bookable_days  # noqa: F401
from uni.servicedesk.api.appointments.booking import calendar_of  # noqa: F401
from uni.servicedesk.api.appointments.booking import calendars  # noqa: F401
from uni.servicedesk.api.appointments.booking import cancel  # noqa: F401
from uni.servicedesk.api.appointments.booking import check_in  # noqa: F401
from uni.servicedesk.api.appointments.booking import code_in_use  # noqa: F401
from uni.servicedesk.api.appointments.booking import committed  # noqa: F401
from uni.servicedesk.api.appointments.booking import day_slots  # noqa: F401
from uni.servicedesk.api.appointments.booking import find  # noqa: F401
from uni.servicedesk.api.appointments.booking import free_slots  # noqa: F401
from uni.servicedesk.api.appointments.booking import ics  # noqa: F401
from uni.servicedesk.api.appointments.booking import ics_url  # noqa: F401
from uni.servicedesk.api.appointments.booking import is_closed  # noqa: F401
from uni.servicedesk.api.appointments.booking import may_manage  # noqa: F401
from uni.servicedesk.api.appointments.booking import next_free  # noqa: F401
from uni.servicedesk.api.appointments.booking import now  # noqa: F401
from uni.servicedesk.api.appointments.booking import parse_slot  # noqa: F401
from uni.servicedesk.api.appointments.booking import public_view  # noqa: F401
from uni.servicedesk.api.appointments.booking import reschedule  # noqa: F401
from uni.servicedesk.api.appointments.booking import staff_day  # noqa: F401
from uni.servicedesk.api.appointments.booking import tracking_url  # noqa: F401
from uni.servicedesk.api.appointments.booking import unblock  # noqa: F401
from uni.servicedesk.api.appointments.booking import verify  # noqa: F401
