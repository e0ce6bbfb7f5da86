"""A request's own page, for its applicant (Owner) and the staff working it.

Actions post back here; each calls one function of the domain API, which checks the
permission itself. The page shows internal notes only to those allowed to see them.
"""
from AccessControl import Unauthorized
from plone import api
from plone.protect import CheckAuthenticator
from uni.servicedesk import _
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.browser.notifications import CHANNEL_TITLES
from uni.servicedesk.browser.notifications import MESSAGE_STATES
from uni.servicedesk.browser.track import stream
from uni.servicedesk.vocabularies import org_units_vocabulary

import datetime

SIMPLE_TRANSITIONS = ("start", "resume", "close", "reject")


def _files(form, name="files"):
    files = form.get(name) or []
    return files if isinstance(files, list) else [files]


class RequestView(ServicedeskView):
    message = ""
    notice = ""

    def __call__(self):
        action = self.request.form.get("action")
        if action and self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.act(str(action))
        return self.index()

    def act(self, action):
        request = self.context
        form = self.request.form
        text = str(form.get("text", "") or "")
        handlers = {
            "refer": lambda: desk_api.refer(
                request, unit=str(form.get("unit", "") or "") or None,
                expert=str(form.get("expert", "") or "") or None, note=text),
            "hand_back": lambda: desk_api.hand_back(request, text),
            "reply": lambda: desk_api.reply(request, text, _files(form)),
            "note": lambda: desk_api.note(request, text),
            "request_documents": lambda: desk_api.request_documents(
                request, str(form.get("documents", "") or "").splitlines(), text),
            "deliver": lambda: desk_api.deliver(request, _files(form), text),
            "resolve": lambda: desk_api.resolve(request, text),
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
        try:
            handler()
        except InputError as error:
            self.message = error.message
            self.request.response.setStatus(400)
            return
        except Unauthorized:
            self.message = _("You may not do this on this request now.")
            self.request.response.setStatus(403)
            return
        self.notice = _("Done.")

    # -- what the template shows ------------------------------------------------------

    def allowed(self, permission):
        return bool(api.user.has_permission(permission, obj=self.context))

    @property
    def can_refer(self):
        return self.allowed(desk_api.REFER)

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

    def timeline(self):
        return list(reversed(desk_api.timeline(self.context)))

    def notifications(self):
        """What the applicant and staff were sent about this request (staff only)."""
        if not self.allowed(desk_api.INTERNAL):
            return []
        from uni.servicedesk.api import outbox as outbox_api
        from uni.servicedesk.api.notification_templates import EVENTS

        messages = outbox_api.messages_of_request(outbox_api.get_outbox(), self.context.tracking_code)
        return [{
            "when": self.date(datetime.datetime.fromtimestamp(m.created)),
            "event": EVENTS.get(m.event, ("", m.event))[1],
            "channel": CHANNEL_TITLES.get(m.channel, m.channel),
            "recipient": m.recipient,
            "state": MESSAGE_STATES.get(m.state, m.state),
            "failed": m.state == outbox_api.DEAD,
        } for m in reversed(messages)]

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


class RequestFileView(ServicedeskView):
    """An attachment of the request, for those who may view the request."""

    def __call__(self):
        attachment = self.context.attachments.get(str(self.request.form.get("id", "")))
        if attachment is None:
            self.request.response.setStatus(404)
            return ""
        return stream(self.request, attachment)

