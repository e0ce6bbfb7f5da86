"""Two logs kept in the site's annotations, newest first: the erasures of personal data
(who, when, how many records — never whose; every one kept) and the changes to the desk's
settings (who, when, which setting, old → new; bounded, secrets never written).

Settings are followed through plone.registry: every ``IRecordModifiedEvent`` of a record
named ``uni.servicedesk.…`` is written, whichever door changed it (a control panel,
``@registry``, ``@controlpanels``, a script). Secrets kept outside the registry (the SMS
keys) are written by the form that sets them, as "changed" only.
"""

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from plone import api
from plone.api.exc import CannotGetPortalError
from zope.annotation.interfaces import IAnnotations
from zope.schema.interfaces import IPassword

import itertools
import json
import time
import uuid

ERASURES_KEY = "uni.servicedesk.privacy.erasures"
CHANGES_KEY = "uni.servicedesk.settings_changes"
PREFIX = "uni.servicedesk."
MAX_CHANGES = 1000  # settings changes kept; older ones are dropped as new ones come
MAX_TEXT = 2000  # characters kept of a value before and after a change
SECRET_WORDS = ("secret", "password", "passwd", "token", "api_key", "apikey")


class Log(Persistent):
    """Entries (dicts) by (minus the time, a random id): the newest come first."""

    def __init__(self, limit=None):
        self.entries = OOBTree()
        self.count = Length()
        self.limit = limit

    def add(self, entry):
        entry = dict(entry, when=entry.get("when") or time.time())
        self.entries[(-entry["when"], uuid.uuid4().hex)] = entry
        self.count.change(1)
        while self.limit and self.count() > self.limit:
            del self.entries[self.entries.maxKey()]
            self.count.change(-1)
        return entry

    def latest(self, limit=100, start=0):
        return [dict(e) for e in itertools.islice(self.entries.values(), start, start + limit)]

    def __len__(self):
        return self.count()


def _log(key, limit, portal=None, create=True):
    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    log = annotations.get(key)
    if log is None and create:
        log = annotations[key] = Log(limit)
    return log


def erasure_log(portal=None, create=True):
    return _log(ERASURES_KEY, None, portal, create)


def changes_log(portal=None, create=True):
    return _log(CHANGES_KEY, MAX_CHANGES, portal, create)


def _who():
    if api.user.is_anonymous():
        return "", ""
    user = api.user.get_current()
    return user.getId() or "", user.getProperty("fullname", "") or user.getId() or ""


def log_erasure(action, counts, portal=None):
    """``action``: "erase" (a manager) or "retention" (the periodic job); ``counts``: how
    many requests, bookings, messages and files."""
    actor, actor_name = _who()
    return erasure_log(portal).add(dict(counts, action=action, actor=actor, actor_name=actor_name))


# -- settings ----------------------------------------------------------------------------


def is_secret(name, field=None):
    """A password field, or a setting whose name says it is a secret."""
    if field is not None and IPassword.providedBy(field):
        return True
    last = name.rsplit(".", 1)[-1].lower()
    return any(word in last for word in SECRET_WORDS)


def as_text(value):
    """A setting's value for people: lines for lists, JSON for the rest, cut short."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)) and all(
        isinstance(v, (str, int, float)) for v in value
    ):
        text = "\n".join(str(v) for v in value)
    elif isinstance(value, (str, int, float, bool)):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def describe(old, new):
    """(old, new) as text; of two mappings only the keys that changed."""
    if isinstance(old, dict) and isinstance(new, dict):
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        return (
            as_text({k: old[k] for k in changed if k in old}),
            as_text({k: new[k] for k in changed if k in new}),
        )
    return as_text(old), as_text(new)


def log_setting_change(name, old=None, new=None, title="", domain="", secret=False, portal=None):
    """Write one change of a setting; a secret's values are never written."""
    actor, actor_name = _who()
    old_text, new_text = ("", "") if secret else describe(old, new)
    return changes_log(portal).add({
        "setting": name,
        "title": str(title or ""),
        "domain": domain or "",
        "secret": bool(secret),
        "old": old_text,
        "new": new_text,
        "actor": actor,
        "actor_name": actor_name,
    })


def on_record_modified(event):
    """Subscriber (plone.registry's IRecordModifiedEvent): changes of our settings."""
    record = event.record
    name = getattr(record, "__name__", None) or ""
    if not name.startswith(PREFIX) or event.oldValue == event.newValue:
        return
    try:
        portal = api.portal.get()
    except CannotGetPortalError:  # a registry outside a site: nothing to keep it in
        return
    field = getattr(record, "field", None)
    title = getattr(field, "title", "") or ""
    log_setting_change(
        name,
        event.oldValue,
        event.newValue,
        title=title,
        domain=getattr(title, "domain", "") or "",
        secret=is_secret(name, field),
        portal=portal,
    )
