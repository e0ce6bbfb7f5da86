"""Business days for due dates (a simple calendar: weekly days off from the settings).

Holidays, working hours and the paused clock come with the SLA work.
"""
from plone import api

import datetime

FRIDAY = 4  # datetime.weekday()


def weekly_days_off():
    days = api.portal.get_registry_record("uni.servicedesk.weekly_days_off", default=None)
    return set(days if days is not None else [FRIDAY])


def add_business_days(start, days, days_off=None):
    """The end of the ``days``-th business day after ``start`` (a datetime)."""
    days_off = weekly_days_off() if days_off is None else set(days_off)
    if len(days_off) >= 7:
        raise ValueError("every day of the week is a day off")
    current = start
    remaining = max(int(days or 0), 0)
    while remaining:
        current += datetime.timedelta(days=1)
        if current.weekday() not in days_off:
            remaining -= 1
    while current.weekday() in days_off:  # due on a working day
        current += datetime.timedelta(days=1)
    return current.replace(hour=23, minute=59, second=0, microsecond=0)
