"""The day-before reminder of every booked appointment (a periodic job of the scheduler).

Bookings are found through their calendars' slots of tomorrow (the slots are keyed by
"YYYY-MM-DDTHH:MM" in a B-tree): the cost is that of tomorrow's bookings, not of the
archive. Each booking is reminded once (``booking.reminded``, reset when it moves), each
calendar in a transaction of its own, so two schedulers remind once.
"""

from uni.servicedesk.api.appointments.booking import calendars
from uni.servicedesk.api.appointments.booking import now
from uni.servicedesk.api.events import AppointmentChanged
from uni.servicedesk.api.transactions import committed
from zope.event import notify

import datetime

# Reminders leave from this local hour of the day before: no SMS in the night.
REMINDER_HOUR = 9


def tomorrows_bookings(calendar, day):
    """The booked, not yet reminded bookings of ``day`` in ``calendar``."""
    first, last = f"{day.isoformat()}T00:00", f"{day.isoformat()}T23:59"
    for _key, slot in calendar.slots.items(min=first, max=last):
        for code in slot.codes:
            booking = calendar.bookings.get(code)
            if booking is not None and booking.state == "booked" and not booking.reminded:
                yield booking


def _remind(calendar_path, day):
    calendar = calendars_by_path().get(calendar_path)
    if calendar is None:
        return 0
    reminded = 0
    for booking in list(tomorrows_bookings(calendar, day)):
        booking.reminded = True
        notify(AppointmentChanged(booking, calendar, "reminder"))
        reminded += 1
    return reminded


def calendars_by_path():
    return {"/".join(c.getPhysicalPath()): c for c in calendars()}


def remind(at=None):
    """Queue tomorrow's reminders (from REMINDER_HOUR on); returns how many."""
    at = at or now()
    if at.hour < REMINDER_HOUR:
        return 0
    day = at.date() + datetime.timedelta(days=1)
    return sum(committed(_remind, path, day) or 0 for path in calendars_by_path())


class ReminderJob:
    order = 15  # before digests and delivery: reminders leave in the pass that made them
    interval = 600

    def __call__(self, portal):
        return remind()
