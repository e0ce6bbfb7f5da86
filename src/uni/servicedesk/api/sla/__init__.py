"""Service levels: the working calendar (``calendar``), a request's clock in business
time (``clock``), escalation and the sweep (``escalation``).

The clock follows requests through events (their creation, their timeline); nothing in
``requests`` calls it.
"""

from uni.servicedesk.api.sla.clock import AT_RISK  # noqa: F401
from uni.servicedesk.api.sla.clock import LEVELS  # noqa: F401
from uni.servicedesk.api.sla.clock import MET  # noqa: F401
from uni.servicedesk.api.sla.clock import MISSED  # noqa: F401
from uni.servicedesk.api.sla.clock import ON_TIME  # noqa: F401
from uni.servicedesk.api.sla.clock import OVERDUE  # noqa: F401
from uni.servicedesk.api.sla.clock import PAUSED  # noqa: F401
from uni.servicedesk.api.sla.clock import RUNNING_STATES  # noqa: F401
from uni.servicedesk.api.sla.clock import current_state  # noqa: F401
from uni.servicedesk.api.sla.clock import finish  # noqa: F401
from uni.servicedesk.api.sla.clock import first_response_pending  # noqa: F401
from uni.servicedesk.api.sla.clock import has_clock  # noqa: F401
from uni.servicedesk.api.sla.clock import now_local  # noqa: F401
from uni.servicedesk.api.sla.clock import pause  # noqa: F401
from uni.servicedesk.api.sla.clock import remaining  # noqa: F401
from uni.servicedesk.api.sla.clock import resume  # noqa: F401
from uni.servicedesk.api.sla.clock import setting  # noqa: F401
from uni.servicedesk.api.sla.clock import start  # noqa: F401
from uni.servicedesk.api.sla.clock import working_calendar  # noqa: F401
from uni.servicedesk.api.sla.escalation import ESCALATE  # noqa: F401
from uni.servicedesk.api.sla.escalation import ESCALATION_RECORD  # noqa: F401
from uni.servicedesk.api.sla.escalation import check_escalation  # noqa: F401
from uni.servicedesk.api.sla.escalation import check_unit  # noqa: F401
from uni.servicedesk.api.sla.escalation import check_users  # noqa: F401
from uni.servicedesk.api.sla.escalation import escalate  # noqa: F401
from uni.servicedesk.api.sla.escalation import escalation_table  # noqa: F401
from uni.servicedesk.api.sla.escalation import people_at  # noqa: F401
from uni.servicedesk.api.sla.escalation import sweep  # noqa: F401
from uni.servicedesk.api.sla.escalation import users_with_role  # noqa: F401
