"""Checks of what applicants type: Iranian national code, mobile, email, uploads.

Uploads are checked by name (the allowed extensions) and by content: ``puremagic`` (pure
Python, no system library) reads the file's signature, and a file whose content is not of
the type its name says (an executable or a web page named .pdf, a PNG named .docx) is
refused.

Each returns the normalised value or raises ``InputError`` with a translatable message;
every channel (web form, EasyForm, REST, email, SMS) uses these.
"""

from plone import api
from plone.schema.email import Email
from zope.schema.interfaces import ValidationError
from uni.servicedesk import _
from uni.servicedesk.localization import normalize_digits

import base64
import binascii
import io
import puremagic
import re


class InputError(ValueError):
    """Bad input for one field: ``field`` names it, ``message`` says why (translatable)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def national_code(value, field="applicant_national_code"):
    """A 10-digit Iranian national code (کد ملی) with a valid check digit."""
    code = re.sub(r"[\s-]", "", normalize_digits(value or ""))
    if not re.fullmatch(r"\d{8,10}", code):
        raise InputError(field, _("A national code has 10 digits."))
    code = code.zfill(10)  # codes starting with zeros are often typed without them
    if len(set(code)) == 1:
        raise InputError(field, _("This national code is not valid; check its digits."))
    total = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = total if total < 2 else 11 - total
    if check != int(code[9]):
        raise InputError(field, _("This national code is not valid; check its digits."))
    return code


def mobile(value, field="applicant_mobile"):
    """An Iranian mobile number, returned as 09xxxxxxxxx (+98, 0098 and 98 accepted)."""
    number = re.sub(r"[\s()-]", "", normalize_digits(value or ""))
    number = re.sub(r"^(\+98|0098|98)", "0", number)
    if re.fullmatch(r"9\d{9}", number):
        number = "0" + number
    if not re.fullmatch(r"09\d{9}", number):
        raise InputError(field, _("Enter an Iranian mobile number, for example 09121234567."))
    return number


def email(value, field="applicant_email"):
    address = normalize_digits(value or "").strip()
    try:
        Email().validate(address)
    except ValidationError:
        raise InputError(field, _("Enter a valid email address, for example name@example.com."))
    return address.lower()


def upload(file_upload, field="documents"):
    """Check size and type of one upload against the settings; returns (filename, data)."""
    max_mb = api.portal.get_registry_record("uni.servicedesk.max_upload_mb", default=10)
    allowed = api.portal.get_registry_record(
        "uni.servicedesk.allowed_extensions", default=["pdf", "jpg", "jpeg", "png"]
    )
    filename = getattr(file_upload, "filename", None) or ""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in allowed:
        raise InputError(
            field,
            _(
                "Files of type ${type} are not accepted; send ${allowed}.",
                mapping={"type": extension or "?", "allowed": ", ".join(allowed)},
            ),
        )
    file_upload.seek(0)
    data = file_upload.read(max_mb * 1024 * 1024 + 1)
    if len(data) > max_mb * 1024 * 1024:
        raise InputError(field, _("A file may be at most ${size} MB.", mapping={"size": max_mb}))
    if not data:
        raise InputError(field, _("The file ${name} is empty.", mapping={"name": filename}))
    if not content_matches(extension, data):
        raise InputError(
            field,
            _(
                "The content of ${name} is not a ${type} file; send the file itself, not a "
                "renamed one.",
                mapping={"name": filename, "type": extension.upper()},
            ),
        )
    return filename.replace("\\", "/").rsplit("/", 1)[-1], data


# Extensions with a signature: the content must show one of the types named here.
SAME_TYPE = {
    "jpg": {"jpg", "jpeg", "jfif", "jpe"},
    "jpeg": {"jpg", "jpeg", "jfif", "jpe"},
    "tif": {"tif", "tiff"},
    "tiff": {"tif", "tiff"},
}
SIGNED = {
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "tif",
    "tiff",
    "doc",
    "xls",
    "ppt",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "zip",
    "rar",
    "7z",
}


def sniffed_types(data):
    """The extensions ``data``'s content may have (empty when no signature is known)."""
    try:
        matches = puremagic.magic_string(data)
    except puremagic.PureError:
        return set()
    return {match.extension.lstrip(".").lower() for match in matches if match.extension}


def content_matches(extension, data):
    """Is ``data`` of the type ``extension`` names? A type with a signature must show it;
    a type without one (txt, csv) must not show another type's."""
    found = sniffed_types(data)
    if extension in SIGNED:
        return bool(found & SAME_TYPE.get(extension, {extension}))
    return not found or extension in found


class UploadedBytes(io.BytesIO):
    """A file that came as bytes (REST, email): looks like a browser upload."""

    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def upload_from_json(item, field="documents"):
    """``{"filename": ..., "data": base64}`` -> an upload for ``upload()``."""
    if not isinstance(item, dict) or not item.get("filename"):
        raise InputError(field, _("Each file needs a filename and its data."))
    try:
        data = base64.b64decode(item.get("data") or "", validate=True)
    except (binascii.Error, ValueError):
        raise InputError(
            field, _("The data of ${name} is not valid base64.", mapping={"name": item["filename"]})
        )
    return UploadedBytes(data, str(item["filename"]))
