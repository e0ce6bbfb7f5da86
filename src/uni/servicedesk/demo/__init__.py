"""The demo university: units, audiences, services with FAQs, forms, a calendar, users of
every role and a few requests (the ``uni.servicedesk:demo`` profile)."""

from uni.servicedesk.demo.setup import DEMO_PASSWORD  # noqa: F401
from uni.servicedesk.demo.setup import create_demo_content  # noqa: F401
