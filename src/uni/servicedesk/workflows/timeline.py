"""Every transition of a request is written on its timeline, whichever channel fired it."""

from DateTime import DateTime
from uni.servicedesk.api.requests import log_event
from uni.servicedesk.api.requests import release_handlers


def log_transition(request, event):
    if event.transition is None:  # the initial state, set at creation
        return
    kwargs = getattr(event, "kwargs", None) or {}
    details = {"quiet": True} if kwargs.get("quiet") else {}
    log_event(
        request,
        "transition",
        public=True,
        text=kwargs.get("comment", "") or "",
        transition=event.transition.id,
        from_state=event.old_state.id,
        to_state=event.new_state.id,
        **details,
    )
    if event.new_state.id == "resolved":
        request.resolved_at = DateTime()
        request.reindexObject(idxs=["resolved_at"])  # whichever door resolved it
    if event.transition.id == "hand_back":
        # Back to the supervisors: the unit and expert no longer handle it.
        release_handlers(request)
