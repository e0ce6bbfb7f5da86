"""A request's history: every step on its timeline, announced as an event.

Whatever reacts to a step (the SLA clock, notifications, later reports and webhooks)
subscribes to ``TimelineEntryAdded`` in ZCML; this module calls none of them.
"""

from DateTime import DateTime
from plone import api
from uni.servicedesk.api.events import TimelineEntryAdded
from uni.servicedesk.api.requests.records import INTERNAL
from uni.servicedesk.api.requests.records import actor as current_actor
from zope.event import notify

import uuid


def log_event(request, event, public, text="", actor=None, **details):
    """One step on the timeline: who, when, what; ``public`` ones reach the applicant."""
    actor_id, actor_name = actor or current_actor()
    entry = {
        "id": uuid.uuid4().hex[:12],
        "event": event,
        "when": DateTime(),
        "actor": actor_id,
        "actor_name": actor_name,
        "public": bool(public),
        "text": text or "",
    }
    entry.update(details)
    request.timeline.append(entry)
    notify(TimelineEntryAdded(request, entry))  # same transaction: nothing sent before commit
    return entry


def timeline(request, include_internal=None):
    """The entries the current user may see (internal notes only with the permission)."""
    if include_internal is None:
        include_internal = bool(api.user.has_permission(INTERNAL, obj=request))
    return [dict(e) for e in request.timeline if e["public"] or include_internal]
