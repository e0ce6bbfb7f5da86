"""The domain API: every channel (views, REST, forms, mail, SMS) calls these functions.

Rules live here once; views and services stay thin.
"""

from uni.servicedesk.api.services import Availability  # noqa: F401
from uni.servicedesk.api.services import request_availability  # noqa: F401
from uni.servicedesk.api.services import search_services  # noqa: F401
from uni.servicedesk.api.services import service_code_in_use  # noqa: F401
from uni.servicedesk.api.services import user_audiences  # noqa: F401
