"""A request's own page, for its applicant (Owner) and the staff working it.

Actions post back here; each calls one function of the domain API, which checks the
permission itself. The page shows internal notes only to those allowed to see them.
"""

from AccessControl import Unauthorized
from Acquisition import aq_base
from plone import api
from plone.protect import CheckAuthenticator
from Products.statusmessages.interfaces import IStatusMessage
from uni.servicedesk import _
from uni.servicedesk.api.requests import canned as canned_api
from uni.servicedesk.api.requests import relations
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import sla
from uni.servicedesk.api.sla import autoclose
from uni.servicedesk.api.requests import subtasks as subtasks_api
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.browser.notifications import CHANNEL_TITLES
from uni.servicedesk.browser.notifications import MESSAGE_STATES
from uni.servicedesk.browser.track import stream
from uni.servicedesk.vocabularies import org_units_vocabulary
from zope.i18n import translate

import datetime
import transaction
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.notifications.templates import EVENTS

SIMPLE_TRANSITIONS = ("start", "resume", "close", "reject")

# Steps of sub-tasks, merging and relating (api/subtasks.py, api/relations.py): all internal.
EVENT_TITLES = {
    "subtask_added": _("Sub-task added"),
    "subtask_done": _("Sub-task done"),
    "subtask_cancelled": _("Sub-task cancelled"),
    "subtasks_overridden": _("Resolved with open sub-tasks"),
    "merged_into": _("Merged into another request"),
    "merged_from": _("A similar request was merged into this one"),
    "linked": _("Related request added"),
    "unlinked": _("Related request removed"),
}
SLA_STATES = {
    sla.ON_TIME: _("On time"),
    sla.AT_RISK: _("At risk"),
    sla.OVERDUE: _("Overdue"),
    sla.PAUSED: _("Paused: awaiting the applicant"),
    sla.MET: _("Met"),
    sla.MISSED: _("Missed"),
}
# Own msgids: "Open" is already the button that opens something.
SUBTASK_STATES = {
    subtasks_api.OPEN: _("subtask_state_open", default="Open"),
    subtasks_api.DONE: _("subtask_state_done", default="Done"),
    subtasks_api.CANCELLED: _("subtask_state_cancelled", default="Cancelled"),
}


def _files(form, name="files"):
    files = form.get(name) or []
    return files if isinstance(files, list) else [files]


class RequestView(ServicedeskView):
    message = ""
    notice = ""

    def __call__(self):
        action = self.request.form.get("action")
        if action and self.request.method == "POST" and self._published():
            CheckAuthenticator(self.request)
            self.act(str(action))
            if not api.user.has_permission("View", obj=self.context):
                # e.g. the assignee of a finished sub-task: the request is no longer theirs.
                IStatusMessage(self.request).add(
                    translate(self.notice or self.message, context=self.request), "info"
                )
                return self.request.response.redirect(api.portal.get().absolute_url())
        return self.index()

    def _published(self):
        """Act only when this page was asked for, not when another page renders the
        request (a path expression ``view/found`` calls it, and with it this view)."""
        published = self.request.get("PUBLISHED")
        published = aq_base(published)
        return published is aq_base(self) or published is aq_base(self.context)

    def _other(self):
        return relations.other_request(str(self.request.form.get("code", "") or ""))

    def act(self, action):
        request = self.context
        form = self.request.form
        text = str(form.get("text", "") or "")
        handlers = {
            "refer": lambda: desk_api.refer(
                request,
                unit=str(form.get("unit", "") or "") or None,
                expert=str(form.get("expert", "") or "") or None,
                note=text,
            ),
            "hand_back": lambda: desk_api.hand_back(request, text),
            "reply": lambda: desk_api.reply(request, text, _files(form)),
            "note": lambda: desk_api.note(request, text),
            "request_documents": lambda: desk_api.request_documents(
                request, str(form.get("documents", "") or "").splitlines(), text
            ),
            "deliver": lambda: desk_api.deliver(request, _files(form), text),
            "resolve": lambda: self.resolve(text),
            "escalate": lambda: sla.escalate(request, text),
            "add_subtask": lambda: subtasks_api.add_subtask(
                request,
                str(form.get("title", "") or ""),
                str(form.get("assignee", "") or ""),
                required=not form.get("optional"),
                note=text,
            ),
            "complete_subtask": lambda: subtasks_api.complete(
                request, str(form.get("subtask", "") or ""), text
            ),
            "cancel_subtask": lambda: subtasks_api.cancel(
                request, str(form.get("subtask", "") or ""), text
            ),
            "merge": lambda: relations.merge(request, self._other(), note=text),
            "link": lambda: relations.link(request, self._other(), note=text),
            "unlink": lambda: relations.unlink(request, self._other()),
            "applicant_reply": lambda: desk_api.applicant_reply(request, text, _files(form)),
            "withdraw": lambda: desk_api.withdraw(request, text),
            "reopen": lambda: desk_api.reopen(request, text),
        }
        for name in SIMPLE_TRANSITIONS:
            handlers[name] = lambda name=name: desk_api.transition(request, name, text)
        handler = handlers.get(action)
        if handler is None:
            self.message = _("Unknown action.")
            self.request.response.setStatus(400)
            return
        # A refused action changes nothing, not even the steps it took before the refusal.
        savepoint = transaction.savepoint(optimistic=True)
        try:
            handler()
        except InputError as error:
            self._undo(savepoint)
            self.message = error.message
            self.request.response.setStatus(400)
            return
        except Unauthorized:
            self._undo(savepoint)
            self.message = _("You may not do this on this request now.")
            self.request.response.setStatus(403)
            return
        self.notice = _("Done.")

    def _undo(self, savepoint):
        savepoint.rollback()
        desk_api.roles_changed(self.context)

    def resolve(self, text):
        """Resolve; a supervisor may resolve over open required sub-tasks, with a reason."""
        form = self.request.form
        if form.get("override"):
            return desk_api.resolve(
                self.context, text, override=True, reason=str(form.get("reason", "") or "")
            )
        return desk_api.resolve(self.context, text)

    # -- what the template shows ------------------------------------------------------

    def allowed(self, permission):
        return bool(api.user.has_permission(permission, obj=self.context))

    @property
    def can_refer(self):
        return self.allowed(desk_api.REFER)

    @property
    def can_escalate(self):
        return (
            self.allowed(sla.ESCALATE)
            and self.state in desk_api.ACTIVE_STATES
            and (self.context.escalation_level or 0) < sla.LEVELS[-1]
        )

    def sla_info(self):
        """The clock for staff: state, working time left (or how late), escalation level."""
        if not self.allowed(desk_api.INTERNAL) or not sla.has_clock(self.context):
            return None
        state = self.context.sla_state
        left = sla.remaining(self.context) if state not in (sla.MET, sla.MISSED) else None
        text = ""
        if left is not None:
            minutes = int(abs(left.total_seconds()) // 60)
            amount = translate(
                _(
                    "${hours} h ${minutes} min",
                    mapping={
                        "hours": self.digits(minutes // 60),
                        "minutes": self.digits(minutes % 60),
                    },
                ),
                context=self.request,
            )
            text = translate(
                _("${amount} of working time left", mapping={"amount": amount})
                if left.total_seconds() >= 0
                else _("late by ${amount} of working time", mapping={"amount": amount}),
                context=self.request,
            )
        return {
            "state": state,
            "title": SLA_STATES.get(state, state),
            "left": text,
            "level": self.digits(self.context.escalation_level or ""),
        }

    @property
    def can_work(self):
        return self.allowed(desk_api.WORK) and self.state in desk_api.ACTIVE_STATES

    @property
    def is_applicant(self):
        return self.allowed(desk_api.AS_APPLICANT)

    @property
    def state(self):
        return desk_api.state(self.context)

    def transitions(self):
        workflow = api.portal.get_tool("portal_workflow")
        return [
            {"id": t["id"], "title": t["title"]}
            for t in workflow.getTransitionsFor(self.context)
            if t["id"] in SIMPLE_TRANSITIONS
        ]

    @property
    def has_actions(self):
        """Whether the actions section has anything for this user (a supervisor has only
        "Close" on a resolved request)."""
        return bool(self.can_work or self.can_refer or self.is_applicant or self.transitions())

    def closes_by_itself(self):
        """For staff: the day a resolved request closes by itself, or ""."""
        if not self.sees_internal:
            return ""
        moment = autoclose.closes_at(self.context)
        return self.date(moment.date()) if moment is not None else ""

    def timeline(self):
        return list(reversed(desk_api.timeline(self.context)))

    def notifications(self):
        """What the applicant and staff were sent about this request (staff only)."""
        if not self.allowed(desk_api.INTERNAL):
            return []
        messages = outbox_api.messages_of_request(
            outbox_api.get_outbox(), self.context.tracking_code
        )
        return [
            {
                "when": self.date(datetime.datetime.fromtimestamp(m.created)),
                "event": EVENTS.get(m.event, ("", m.event))[1],
                "channel": CHANNEL_TITLES.get(m.channel, m.channel),
                "recipient": m.recipient,
                "state": MESSAGE_STATES.get(m.state, m.state),
                "failed": m.state == outbox_api.DEAD,
            }
            for m in reversed(messages)
        ]

    def attachments(self, kind):
        return desk_api.attachments(self.context, kind)

    def steps(self):
        return desk_api.service_steps(self.context)

    def service(self):
        return desk_api.service_of(self.context)

    def units(self):
        return list(org_units_vocabulary(self.context))

    def experts(self):
        """Experts of the units (not every user of the site: students are many)."""
        experts = {}
        for unit in self.units():
            for user in api.user.get_users(groupname=unit.value):
                if "Service Desk Agent" in api.user.get_roles(user=user):
                    experts[user.getId()] = user.getProperty("fullname") or user.getId()
        return sorted(experts.items(), key=lambda item: item[1])

    def file_url(self, attachment_id):
        return f"{self.context.absolute_url()}/@@request-file?id={attachment_id}"

    def event_title(self, entry):
        title = EVENT_TITLES.get(entry["event"])
        if title is not None:
            return translate(title, context=self.request)
        return super().event_title(entry)

    @property
    def sees_internal(self):
        return self.allowed(desk_api.INTERNAL)

    # -- sub-tasks ---------------------------------------------------------------------

    def subtasks(self):
        if not self.sees_internal:
            return []
        rows = []
        for subtask in subtasks_api.subtasks(self.context):
            rows.append(
                dict(
                    subtask,
                    state_title=translate(SUBTASK_STATES[subtask["state"]], context=self.request),
                    created_on=self.date(subtask["created"]),
                    closed_on=self.date(subtask["closed"]) if subtask["closed"] else "",
                    can_complete=subtasks_api.may_complete(self.context, subtask),
                    can_cancel=subtasks_api.may_cancel(self.context, subtask),
                )
            )
        return rows

    def open_required_subtasks(self):
        return subtasks_api.open_required(self.context) if self.sees_internal else []

    @property
    def can_override(self):
        return self.allowed(subtasks_api.OVERRIDE)

    # -- merged and related requests ----------------------------------------------------

    def request_link(self, code):
        """{code, url}: url only where the user may open that request."""
        other = desk_api.find_by_code(code)
        visible = other is not None and api.user.has_permission("View", obj=other)
        return {
            "code": code,
            "shown": self.digits(code),
            "url": other.absolute_url() if visible else None,
        }

    def merged_into(self):
        """Where the request was merged: staff see the request, the applicant its status."""
        code = relations.merged_into(self.context)
        if not code:
            return None
        info = relations.public_info(self.context)
        state = info["merged_into_state"]
        return {
            "link": self.request_link(code) if self.sees_internal else None,
            "status": self.state_title(state) if state else "",
        }

    def merged_from(self):
        if not self.sees_internal:
            return []
        return [self.request_link(code) for code in relations.merged_from(self.context)]

    def related(self):
        if not self.sees_internal:
            return []
        return [self.request_link(code) for code in relations.related_codes(self.context)]

    @property
    def can_merge(self):
        return self.can_refer and self.state in relations.MERGEABLE_STATES

    @property
    def can_link(self):
        return relations.may_link(self.context)

    # -- canned responses ---------------------------------------------------------------

    def canned(self):
        return canned_api.canned_for(self.context) if self.can_work else []

    @property
    def chosen_canned(self):
        return str(self.request.form.get("canned", "") or "")

    def reply_prefill(self):
        """The chosen canned response filled in for this request (read only: a GET)."""
        if not (self.chosen_canned and self.can_work):
            return ""
        return canned_api.filled(self.context, self.chosen_canned) or ""


class RequestFileView(ServicedeskView):
    """An attachment of the request, for those who may view the request."""

    def __call__(self):
        attachment = self.context.attachments.get(str(self.request.form.get("id", "")))
        if attachment is None:
            self.request.response.setStatus(404)
            return ""
        return stream(self.request, attachment)
