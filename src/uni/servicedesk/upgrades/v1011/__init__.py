"""1011: the public desk under attack — shared counters of look-ups and creations, the
security settings and their control panel."""

from plone import api
from uni.servicedesk.api.throttle import get_counters


def create_counters(context):
    """The tree of counters, made now rather than by the first look-up after the upgrade."""
    get_counters(api.portal.get())
