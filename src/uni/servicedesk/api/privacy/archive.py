"""A person's data as one ZIP file: what a manager hands them when they ask for it.

    person.json                         what was searched, when, by whom, what was found
    requests/<code>/request.json        the request's fields, form answers, list of files
    requests/<code>/timeline.json       every step (internal ones marked "public": false)
    requests/<code>/messages.json       the emails and SMS sent to them about it
    requests/<code>/files/<id>-<name>   their documents and the results delivered to them
    bookings/<code>/booking.json        an appointment
    bookings/<code>/messages.json

Dates are ISO 8601; text is UTF-8 JSON (Persian as it is, not escaped).
"""

from DateTime import DateTime
from plone import api
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.privacy import records
from uni.servicedesk.api.requests import attachments
from uni.servicedesk.api.requests import service_of
from uni.servicedesk.api.requests import state

from ZPublisher.Iterators import filestream_iterator

import datetime
import json
import os
import re
import tempfile
import zipfile

REQUEST_FIELDS = (
    "tracking_code",
    "kind",
    "subject",
    "body",
    "channel",
    "priority",
    "applicant_name",
    "applicant_national_code",
    "applicant_number",
    "applicant_email",
    "applicant_mobile",
    "applicant_user",
    "notify_channels",
    "target_unit",
    "referred_unit",
    "referred_expert",
    "due_date",
    "resolved_at",
    "ended_at",
    "sla_state",
    "escalation_level",
)
BOOKING_FIELDS = (
    "tracking_code",
    "state",
    "start",
    "end",
    "created",
    "applicant_name",
    "applicant_national_code",
    "applicant_mobile",
    "applicant_email",
    "applicant_user",
    "request_code",
    "cancel_reason",
    "cancelled_by_staff",
)
MESSAGE_FIELDS = (
    "id",
    "channel",
    "recipient",
    "subject",
    "body",
    "event",
    "state",
    "language",
    "created",
    "sent_at",
)


def plain(value):
    """``value`` as JSON can hold it: dates as ISO 8601, mappings and sequences (persistent
    ones too) as objects and lists."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, DateTime):
        return value.ISO8601()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if hasattr(value, "items"):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    try:
        return [plain(v) for v in value]
    except TypeError:
        return str(value)


def _json(data):
    return json.dumps(plain(data), ensure_ascii=False, indent=2, sort_keys=True)


def file_name(attachment):
    """``<id>-<file name>``, the name without folders or characters a file system refuses."""
    name = (attachment["file"].filename or "file").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[\x00-\x1f<>:"|?*]', "_", name).strip(". ") or "file"
    return f"{attachment['id']}-{name}"


def _messages(code):
    """The messages sent to the applicant about ``code`` (not the staff's)."""
    box = outbox_api.get_outbox(create=False)
    if box is None:
        return []
    return [
        {name: getattr(m, name, None) for name in MESSAGE_FIELDS}
        for m in outbox_api.messages_of_request(box, code)
        if not m.recipient_user
    ]


def request_record(request):
    """A request as JSON data (what request.json holds)."""
    data = {name: getattr(request, name, None) for name in REQUEST_FIELDS}
    service = service_of(request)
    data.update(
        state=state(request),
        created=request.created(),
        modified=request.modified(),
        service_code=getattr(service, "service_code", None) if service is not None else None,
        service_title=service.Title() if service is not None else None,
        form_answers=[{"label": label, "value": value} for label, value in request.form_answers],
        files=[
            {
                "id": a["id"],
                "kind": a["kind"],
                "label": a["label"],
                "filename": a["file"].filename,
                "size": a["file"].getSize(),
                "when": a["when"],
                "path": f"files/{file_name(a)}",
            }
            for a in attachments(request)
        ],
    )
    return data


def booking_record(booking, calendar):
    data = {name: getattr(booking, name, None) for name in BOOKING_FIELDS}
    data.update(calendar=calendar.Title(), location=getattr(calendar, "location", "") or "")
    return data


def write(found, fileobj):
    """Write the ZIP of ``found`` (a ``records.Found``) to ``fileobj``; returns how many
    files it holds. Callers check who may (``records.find`` did)."""
    user = api.user.get_current()
    summary = {
        "searched_by": found.person.identifiers(),
        "exported_at": DateTime(),
        "exported_by": user.getId() if user is not None else "",
        "requests": [r.tracking_code for r in found.requests],
        "bookings": [b.tracking_code for b, _calendar in found.bookings],
    }
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("person.json", _json(summary))
        for request in found.requests:
            folder = f"requests/{request.tracking_code}"
            archive.writestr(f"{folder}/request.json", _json(request_record(request)))
            archive.writestr(f"{folder}/timeline.json", _json(list(request.timeline)))
            archive.writestr(f"{folder}/messages.json", _json(_messages(request.tracking_code)))
            for attachment in attachments(request):
                path = f"{folder}/files/{file_name(attachment)}"
                with attachment["file"].open() as data, archive.open(path, "w") as target:
                    while chunk := data.read(1 << 16):
                        target.write(chunk)
        for booking, calendar in found.bookings:
            folder = f"bookings/{booking.tracking_code}"
            archive.writestr(f"{folder}/booking.json", _json(booking_record(booking, calendar)))
            archive.writestr(f"{folder}/messages.json", _json(_messages(booking.tracking_code)))
        return len(archive.namelist())


def export(person, fileobj):
    """The ZIP of everything of ``person`` written to ``fileobj``; returns what was found.
    Only those who may manage personal data."""
    found = records.find(person)  # checks the permission
    write(found, fileobj)
    return found


def stream(person):
    """(what was found, the ZIP as a stream iterator for the publisher, its size in bytes):
    written to a temporary file, not kept in memory, and gone once the answer is sent."""
    with tempfile.NamedTemporaryFile(
        prefix="servicedesk-export-", suffix=".zip", delete=False
    ) as handle:
        try:
            found = export(person, handle)
        except BaseException:
            os.unlink(handle.name)
            raise
    size = os.path.getsize(handle.name)
    iterator = filestream_iterator(handle.name, "rb")
    os.unlink(handle.name)  # the open iterator still reads it; nobody else can
    return found, iterator, size


def file_title(moment=None):
    """The ZIP's name: ``personal-data-<date>.zip`` (no one's identifiers in it)."""
    moment = moment or datetime.datetime.now()
    return f"personal-data-{moment.strftime('%Y%m%d-%H%M')}.zip"
