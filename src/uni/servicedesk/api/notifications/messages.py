"""Who is told what, and in which words: events of a request -> messages in the outbox.

Every step of a request is written on its timeline by ``requests.log_event``, whichever
channel caused it, and announced as a ``TimelineEntryAdded`` event; ``on_timeline`` here
subscribes to it, turns the entry into notification events (``templates.EVENTS``), finds
the recipients,
renders the templates in each recipient's language and stores the messages in the outbox
— all in the transaction of the change. Sending happens after commit (``delivery``).
"""

from plone import api
from string import Template
from uni.servicedesk.api import appointments
from uni.servicedesk.api import scheduler
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.notifications import templates
from uni.servicedesk.api.requests.records import applicant_language
from uni.servicedesk.api.requests.records import attachments
from uni.servicedesk.api.requests.records import handlers
from uni.servicedesk.api.requests.records import service_title
from uni.servicedesk.api.requests.records import state
from uni.servicedesk.api.requests.records import state_title
from uni.servicedesk.api.requests.records import tracking_url
from uni.servicedesk.api.requests.subtasks import recipients as subtask_recipients
from uni.servicedesk.api.sla.escalation import people_at
from uni.servicedesk.channels.sms import sms_parts
from uni.servicedesk.localization import desk_language
from uni.servicedesk.localization import format_date
from uni.servicedesk.localization import format_datetime
from uni.servicedesk.localization import localize_digits

import re

TEMPLATES_RECORD = "uni.servicedesk.notifications.templates"
VARIABLE = re.compile(r"\$(?:\{(\w*)\}|(\w+))")

# transition id or new state -> the applicant's event
_TRANSITION_EVENTS = {"reopen": "reopened", "start": "work_started"}
_STATE_EVENTS = {"resolved": "resolved", "closed": "closed", "rejected": "rejected"}


def events_of(entry):
    """(event, audience) pairs a timeline entry causes."""
    kind = entry["event"]
    if kind == "submitted":
        return [("submitted", templates.APPLICANT)]
    if kind == "referred":
        return [("referred", templates.APPLICANT), ("assigned", templates.STAFF)]
    if kind == "reply":
        return [("replied", templates.APPLICANT)]
    if kind == "documents_requested":
        return [("documents_requested", templates.APPLICANT)]
    if kind == "delivered":
        return [("delivered", templates.APPLICANT)]
    if kind == "applicant_reply":
        return [("applicant_replied", templates.STAFF)]
    if kind in ("merged_into", "merged_from"):
        return [("merged", templates.APPLICANT)]
    if kind == "subtask_added":
        return [("subtask", templates.STAFF)]
    if kind == "escalated":
        return [("escalated", templates.STAFF)]
    if kind == "transition":
        if entry.get("quiet"):  # on the way to another step, which is what people are told
            return []
        event = _TRANSITION_EVENTS.get(entry.get("transition")) or _STATE_EVENTS.get(
            entry.get("to_state")
        )
        return [(event, templates.APPLICANT)] if event else []
    return []


def _staff_of(request, entry):
    """(recipients, entry as the message sees it, extra values) of a staff event."""
    kind = entry["event"]
    if kind == "subtask_added":  # the assignee; ${text} is the sub-task's title
        return subtask_recipients(entry), dict(entry, text=entry.get("subtask_title", "")), {}
    if kind == "escalated":  # the people of the new level
        level = entry.get("level", 0)
        people = entry.get("people")
        return (
            (people if people is not None else people_at(request, level)),
            entry,
            {"level": str(level)},
        )
    return handlers(request), entry, {}


def on_timeline(request, event):
    """Subscriber: queue what a timeline entry means for the applicant and the staff, in
    the transaction of the step."""
    entry = event.entry
    for notification, audience in events_of(entry):
        if audience == templates.APPLICANT:
            # Each applicant's message is made from their own request alone: a merge
            # hands over no text of the other request.
            merged = entry["event"] in ("merged_into", "merged_from")
            notify_applicant(request, notification, {"text": ""} if merged else entry)
        else:
            people, seen, extra = _staff_of(request, entry)
            notify_staff(request, notification, people, seen, **extra)


def on_sla_change(request, event):
    """Subscriber: the handlers are told when time makes a request overdue."""
    if event.new_state == "overdue":
        notify_staff(request, "overdue", handlers(request), {"actor": ""})


# -- templates ---------------------------------------------------------------------------


def template(event, language, part):
    """The manager's text if they changed it, else the default."""
    changed = api.portal.get_registry_record(TEMPLATES_RECORD, default=None) or {}
    key = f"{event}/{language}/{part}"
    if key in changed:
        return changed[key]
    return templates.default(event, language, part)


def unknown_variables(text):
    """Names in ``${…}`` that no notification fills (a typo would be sent as is)."""
    names = {
        m.group(1) if m.group(1) is not None else m.group(2) for m in VARIABLE.finditer(text or "")
    }
    return sorted(n for n in names if n not in templates.VARIABLES)


def render(event, language, values):
    """{part: text} for the event in the language, variables filled in."""
    return {
        part: Template(template(event, language, part)).safe_substitute(values).strip()
        for part in templates.parts_of(event)
    }


# -- the values ---------------------------------------------------------------------------


def _state_title(request, language):
    return state_title(state(request), language)


def _unit_title(request, language):
    unit = request.referred_unit or request.target_unit
    if not unit:
        return ""
    group = api.group.get(groupname=unit)
    return (group.getProperty("title") if group is not None else "") or unit


def _expert_name(request, language):
    if not request.referred_expert:
        return ""
    user = api.user.get(userid=request.referred_expert)
    return (user.getProperty("fullname") if user is not None else "") or request.referred_expert


def _results(request, language):
    names = [a["file"].filename for a in attachments(request, "result")]
    return ("، " if language == "fa" else ", ").join(names)


def _link(request, language):
    return tracking_url(request)


# variable -> (request, language, entry) -> text
_VALUES = {
    "code": lambda r, lang, e: localize_digits(r.tracking_code, lang),
    "name": lambda r, lang, e: r.applicant_name or "",
    "subject": lambda r, lang, e: r.subject or "",
    "service": lambda r, lang, e: service_title(r, lang),
    "status": lambda r, lang, e: _state_title(r, lang),
    "link": lambda r, lang, e: _link(r, lang),
    "staff_link": lambda r, lang, e: r.absolute_url(),
    "due_date": lambda r, lang, e: format_date(r.due_date, lang) if r.due_date else "",
    "text": lambda r, lang, e: e.get("text") or "",
    "documents": lambda r, lang, e: "\n".join(
        f"- {d}" for d in (e.get("documents") or getattr(r, "requested_documents", ()) or ())
    ),
    "results": lambda r, lang, e: _results(r, lang),
    "unit": lambda r, lang, e: _unit_title(r, lang),
    "expert": lambda r, lang, e: _expert_name(r, lang),
    "level": lambda r, lang, e: "",
    "items": lambda r, lang, e: "",
    "site": lambda r, lang, e: api.portal.get().Title(),
}


class Values(dict):
    """The variables of a request's messages, as people of ``language`` read them.

    Worked out only when a template asks for them (a user or group lookup, the service by
    its UID in the catalog cost milliseconds each), then kept for the other templates."""

    def __init__(self, request, language, entry=None, **extra):
        super().__init__(extra)
        self.request, self.language, self.entry = request, language, entry or {}

    def __missing__(self, name):
        compute = _VALUES.get(name)
        if compute is None:
            raise KeyError(name)
        value = self[name] = compute(self.request, self.language, self.entry)
        return value


def values(request, language, entry=None, **extra):
    return Values(request, language, entry, **extra)


# -- recipients ---------------------------------------------------------------------------


def _language(preferred):
    """One of the languages templates are written in: the preferred one, else the site's."""
    return desk_language(preferred, api.portal.get_default_language())


def notify_applicant(request, event, entry=None):
    """Email and/or SMS to the applicant, as they chose when submitting."""
    channels = set(getattr(request, "notify_channels", None) or ())
    email = request.applicant_email if "email" in channels else ""
    mobile = request.applicant_mobile if "sms" in channels else ""
    if not (email or mobile):
        return []  # nothing to render
    language = applicant_language(request)
    return _to_applicant(
        event,
        request.tracking_code,
        email,
        mobile,
        language,
        values(request, language, entry),
        outbox_api.site_of(request),
    )


def _to_applicant(event, code, email, mobile, language, texts_values, site):
    """Queue the event's email and SMS (where there is an address and a text for each)."""
    texts = render(event, language, texts_values)
    queued = []
    if email and texts["email_body"]:
        queued.append(
            outbox_api.add(
                outbox_api.Message(
                    "email",
                    email,
                    texts["email_body"],
                    texts["email_subject"],
                    event,
                    code,
                    language=language,
                ),
                portal=site,
            )
        )
    if mobile and texts.get("sms"):
        sms = outbox_api.Message("sms", mobile, texts["sms"], "", event, code, language=language)
        sms.parts = sms_parts(sms.body).parts  # what the provider will bill
        queued.append(outbox_api.add(sms, portal=site))
    if queued:
        scheduler.wake_after_commit()
    return queued


def on_appointment(event):
    """Subscriber: the applicant of a booking is told when it is booked, moved, cancelled
    (by either side), and the day before — by every address they gave when booking."""
    booking, calendar = event.object, event.calendar
    language = _language(getattr(booking, "notify_language", None))
    texts_values = {
        "code": localize_digits(booking.tracking_code, language),
        "name": booking.applicant_name or "",
        "calendar": calendar.Title(),
        "when": format_datetime(booking.start, language),
        "location": calendar.location or "",
        "link": appointments.tracking_url(booking),
        "text": booking.cancel_reason if event.by_staff else "",
        "site": api.portal.get().Title(),
    }
    return _to_applicant(
        f"appointment_{event.change}",
        booking.tracking_code,
        getattr(booking, "applicant_email", "") or "",
        getattr(booking, "applicant_mobile", "") or "",
        language,
        texts_values,
        outbox_api.site_of(calendar),
    )


def staff_language(user):
    return _language(user.getProperty("language", ""))


def notify_staff(request, event, user_ids, entry=None, **extra):
    """Email to each staff member (not to whoever caused the event), now or in the
    daily digest as they prefer."""
    actor = (entry or {}).get("actor") or (
        "" if api.user.is_anonymous() else api.user.get_current().getId()
    )
    site = outbox_api.site_of(request)
    box = outbox_api.get_outbox(site)
    queued, by_language = [], {}
    for user_id in dict.fromkeys(user_ids):  # once each, in order
        user = api.user.get(userid=user_id)
        email = user.getProperty("email", "") if user is not None else ""
        if not email or user_id == actor:
            continue
        language = staff_language(user)
        if language not in by_language:
            by_language[language] = render(
                event, language, values(request, language, entry, **extra)
            )
        texts = by_language[language]
        if not texts["email_body"]:
            continue
        hold = outbox_api.preference(box, user_id) == outbox_api.DIGEST
        queued.append(
            outbox_api.add(
                outbox_api.Message(
                    "email",
                    email,
                    texts["email_body"],
                    texts["email_subject"],
                    event,
                    request.tracking_code,
                    recipient_user=user_id,
                    language=language,
                ),
                hold=hold,
                portal=site,
            )
        )
    if queued:
        scheduler.wake_after_commit()
    return queued
