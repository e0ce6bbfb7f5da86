"""Uploads are checked by their content, not only their name, on every channel."""

from plone import api
from tests.helpers import APPLICANT
from tests.helpers import make_service
from tests.helpers import Upload
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import validation
from uni.servicedesk.api.validation import InputError
from zope.i18n import translate

import base64
import io
import pytest
import transaction
import zipfile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\0" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
OLE = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1016  # .doc and .xls


def zipped(**members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


DOCX = zipped(**{"[Content_Types].xml": "<Types/>", "word__document.xml": "<w:document/>"})


@pytest.mark.parametrize(
    "filename, data",
    [
        ("card.pdf", PDF),
        ("photo.jpg", JPEG),
        ("photo.JPEG", JPEG),
        ("scan.png", PNG),
        ("letter.doc", OLE),
        ("sheet.xls", OLE),
        ("letter.docx", DOCX),
        ("files.zip", DOCX),
    ],
)
def test_files_that_are_what_they_say_pass(portal, filename, data):
    assert validation.upload(Upload(data, filename)) == (filename, data)


@pytest.mark.parametrize(
    "filename, data",
    [
        ("card.pdf", EXE),
        ("card.pdf", HTML),
        ("card.pdf", PNG),
        ("photo.jpg", PDF),
        ("scan.png", b"just some text"),
        ("letter.docx", PDF),
        ("sheet.xls", PNG),
    ],
)
def test_a_file_whose_content_is_another_type_is_refused(portal, filename, data):
    with pytest.raises(InputError) as refused:
        validation.upload(Upload(data, filename), "document-0")
    assert refused.value.field == "document-0"
    message = translate(refused.value.message, target_language="fa")
    assert filename in message and "نام تغییریافته" in message  # clear, in Persian


def test_a_type_without_signature_must_not_be_another(portal):
    api.portal.set_registry_record("uni.servicedesk.allowed_extensions", ["pdf", "txt"])
    assert validation.upload(Upload("سلام".encode(), "note.txt"))[1] == "سلام".encode()
    with pytest.raises(InputError):
        validation.upload(Upload(HTML, "note.txt"))
    with pytest.raises(InputError):
        validation.upload(Upload(EXE, "note.txt"))


@pytest.fixture
def desk(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        service = make_service(
            service_catalog, "EDU-101", allow_anonymous=True, required_documents=["تصویر کارت ملی"]
        )
    transaction.commit()
    return {"portal": functional["portal"], "service": service}


def requests_now():
    transaction.begin()
    return len(desk_api.requests_folder().objectIds())


def test_rest_refuses_a_renamed_file(desk, rest_factory):
    body = dict(
        APPLICANT,
        kind="request",
        service="edu-101",
        documents=[{"filename": "card.pdf", "data": base64.b64encode(EXE).decode()}],
    )
    answer = rest_factory().post("/requests", json=body)
    assert answer.status_code == 400
    [error] = answer.json()["error"]["errors"]
    assert error["field"] == "document-0" and "card.pdf" in error["message"]
    assert requests_now() == 0
    body["documents"][0]["data"] = base64.b64encode(PDF).decode()
    assert rest_factory().post("/requests", json=body).status_code == 201


def test_the_request_form_refuses_a_renamed_file(desk, browser_factory):
    browser = browser_factory()
    browser.open(desk["service"].absolute_url() + "/@@request-service")
    for name in ("applicant_name", "applicant_mobile", "applicant_national_code"):
        browser.getControl(name=name).value = APPLICANT[name]
    browser.getControl(name="document-0").add_file(io.BytesIO(HTML), "application/pdf", "card.pdf")
    browser.getControl(name="form.buttons.send").click()
    assert browser.headers["status"].startswith("400")
    assert "نام تغییریافته" in browser.contents
    assert requests_now() == 0
