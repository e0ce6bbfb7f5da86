"""Personal data (managers only): find one person's records by national code, mobile or
email, export them as one ZIP, erase them; retention of ended requests; the logs of
erasures and of changes to the desk's settings.

People are found through keyed hashes (``keys``) in an index that answers nobody else
(``index``); ``records`` finds, ``archive`` writes the ZIP, ``anonymise`` erases,
``retention`` anonymises what ended long ago, ``audit`` keeps the logs. Every function
named here that reads or changes a person's data checks the permission
``uni.servicedesk: Manage personal data`` (Manager, Site Administrator) itself.
"""

from uni.servicedesk.api.privacy.audit import changes_log
from uni.servicedesk.api.privacy.audit import erasure_log
from uni.servicedesk.api.privacy.audit import log_setting_change  # noqa: F401
from uni.servicedesk.api.privacy.anonymise import ERASED_TEXT  # noqa: F401
from uni.servicedesk.api.privacy.anonymise import PLACEHOLDER_NAME  # noqa: F401
from uni.servicedesk.api.privacy.anonymise import erase  # noqa: F401
from uni.servicedesk.api.privacy.archive import export  # noqa: F401
from uni.servicedesk.api.privacy.archive import file_title as export_file_name  # noqa: F401
from uni.servicedesk.api.privacy.archive import stream as export_stream  # noqa: F401
from uni.servicedesk.api.privacy.index import MANAGE  # noqa: F401
from uni.servicedesk.api.privacy.index import may_manage  # noqa: F401
from uni.servicedesk.api.privacy.keys import booking_index
from uni.servicedesk.api.privacy.keys import site_secret
from uni.servicedesk.api.privacy.records import Found  # noqa: F401
from uni.servicedesk.api.privacy.records import Person  # noqa: F401
from uni.servicedesk.api.privacy.records import PersonError  # noqa: F401
from uni.servicedesk.api.privacy.records import find  # noqa: F401
from uni.servicedesk.api.privacy.records import person  # noqa: F401
from uni.servicedesk.api.privacy.records import require
from uni.servicedesk.api.privacy.retention import END_STATES  # noqa: F401
from uni.servicedesk.api.privacy.retention import SETTING as RETENTION_SETTING  # noqa: F401
from uni.servicedesk.api.privacy.retention import anonymise_expired  # noqa: F401
from uni.servicedesk.api.privacy.retention import setting as retention_years  # noqa: F401


def erasures(limit=100, start=0):
    """The erasure log, newest first: who, when, action, how many of each record."""
    require()
    return erasure_log().latest(limit, start)


def settings_changes(limit=100, start=0):
    """The changes to the desk's settings, newest first (callers check who may see them:
    the pages and services that show them need *Manage settings*)."""
    return changes_log().latest(limit, start)


def settings_changes_total():
    return len(changes_log())


def install(portal):
    """What personal data needs on a site: the secret of its keys, the bookings' index and
    the two logs (made at install: the first bookings may come at once)."""
    site_secret(portal)
    booking_index(portal)
    erasure_log(portal)
    changes_log(portal)
