"""Demo university (profiles/demo): units, audience groups, one user per role, a catalog.

Idempotent: existing groups, users and services are left as they are.
The demo password is for trying the portal on 127.0.0.1 only (README, "Demo logins").
"""

from plone import api
from plone.app.textfield.value import RichTextValue
from uni.servicedesk.demo.data import GROUPS
from uni.servicedesk.demo.data import SERVICES
from uni.servicedesk.demo.data import USERS
from uni.servicedesk.demo.forms import create_calendar
from uni.servicedesk.demo.forms import create_service_forms
from uni.servicedesk.demo.forms import create_survey

import datetime
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.requests import canned
from uni.servicedesk.api import sla

DEMO_PASSWORD = "demo-1405"
CATALOG_ID = "services"


def _rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe") if html else None


def create_groups():
    for group_id, title, roles in GROUPS:
        if api.group.get(groupname=group_id) is None:
            api.group.create(groupname=group_id, title=title, roles=roles)


def create_users():
    for user_id, fullname, email, roles, groups in USERS:
        if api.user.get(username=user_id) is None:
            api.user.create(
                username=user_id,
                email=email,
                password=DEMO_PASSWORD,
                roles=roles,
                properties={"fullname": fullname},
            )
        for group_id in groups:
            api.group.add_user(groupname=group_id, username=user_id)


def create_catalog(portal):
    if CATALOG_ID in portal.objectIds():
        return portal[CATALOG_ID]
    catalog = api.content.create(
        container=portal,
        type="ServiceCatalog",
        id=CATALOG_ID,
        title="خدمات دانشگاه",
        description="شناسنامه همه خدمات دانشگاه: مراحل، مدارک، قوانین، زمان، هزینه و مسئول هر خدمت.",
        text=_rich(
            "<p>خدمت مورد نیاز خود را بر اساس دسته یا مخاطب پیدا کنید یا جستجو کنید. "
            "هر خدمت شناسنامه‌ای دارد که مراحل، مدارک لازم، زمان انجام، هزینه و روش "
            "پیگیری و شکایت را روشن می‌کند.</p>"
        ),
    )
    api.content.transition(obj=catalog, to_state="published")
    return catalog


def _service_data(item, today):
    data = dict(item)
    for key in ("procedure", "rules"):
        data[key] = _rich(data.get(key))
    for key in ("available_from", "available_until"):
        if key in data:  # days relative to today keep the demo's windows meaningful
            data[key] = today + datetime.timedelta(days=data[key])
    data.pop("faqs", None)
    data.pop("state", None)
    return data


def create_services(catalog, today=None):
    today = today or datetime.date.today()
    for item in SERVICES:
        service_id = item["service_code"].lower()
        if service_id in catalog.objectIds():
            continue
        service = api.content.create(
            container=catalog, type="Service", id=service_id, **_service_data(item, today)
        )
        for number, (question, answer) in enumerate(item.get("faqs", ()), start=1):
            faq = api.content.create(
                container=service,
                type="FAQ",
                id=f"faq-{number}",
                title=question,
                answer=_rich(answer),
            )
            api.content.transition(obj=faq, to_state="published")
        state = item.get("state", "published")
        if state != "private":
            api.content.transition(obj=service, to_state=state)


def create_requests(portal):
    """A few requests of the demo student, at different steps (only into an empty desk)."""
    folder = desk_api.requests_folder()
    if len(folder.objectIds()):
        return
    catalog = portal[CATALOG_ID]
    student = {
        "applicant_name": "امیر حسینی",
        "applicant_national_code": "0084575948",
        "applicant_mobile": "09121234567",
        "applicant_email": "student@example.edu",
        "notify_channels": ["sms"],
    }
    with api.env.adopt_user(username="student"):
        password = desk_api.submit(
            dict(student, kind="request", body="گذرواژه ایمیلم را فراموش کرده‌ام."),
            service=catalog["it-502"],
        )
        wifi = desk_api.submit(
            dict(student, kind="request", body="در خوابگاه ۳ به وای‌فای وصل نمی‌شوم."),
            service=catalog["it-503"],
        )
        desk_api.submit(
            dict(
                student,
                kind="suggestion",
                subject="ساعت کار سلف",
                body="پیشنهاد می‌کنم سلف شام تا ساعت ۲۰ باز باشد.",
            )
        )
    with api.env.adopt_user(username="supervisor"):
        desk_api.refer(password, unit="unit-it", expert="expert")
        desk_api.refer(wifi, unit="unit-it")
    with api.env.adopt_user(username="expert"):
        desk_api.reply(password, "گذرواژه موقت برای شما پیامک شد؛ پس از ورود آن را تغییر دهید.")
        desk_api.resolve(password)


def configure_mail():
    """A sender address, so that notifications can go out once an SMTP server is set
    (Site setup → Mail; the demo's SMS go to the logging gateway)."""
    if not api.portal.get_registry_record("plone.email_from_address", default=""):
        api.portal.set_registry_record("plone.email_from_address", "servicedesk@uni.example")
        api.portal.set_registry_record("plone.email_from_name", "میز خدمت دانشگاه")


def configure_desk():
    """Who escalations reach, and two canned responses, for the demo's IT unit."""
    if not api.portal.get_registry_record(sla.ESCALATION_RECORD, default=None):
        api.portal.set_registry_record(
            sla.ESCALATION_RECORD,
            [
                {
                    "unit": "unit-it",
                    "head": ["supervisor"],
                    "supervisors": ["supervisor"],
                    "managers": ["manager"],
                }
            ],
        )
    if not canned.all_canned():
        canned.add_canned(
            "دریافت درخواست",
            "${name} گرامی، درخواست ${code} دریافت شد و در "
            "دست بررسی است. نتیجه را به شما اطلاع می‌دهیم.",
        )
        canned.add_canned(
            "بازنشانی گذرواژه",
            "گذرواژه موقت برای شما پیامک شد؛ پس از ورود آن را تغییر دهید.",
            scope="unit-it",
        )


def create_demo_content(context):
    portal = api.portal.get()
    configure_mail()
    create_groups()
    create_users()
    catalog = create_catalog(portal)
    create_services(catalog)
    create_service_forms(catalog)
    create_survey(portal)
    create_calendar(catalog)
    create_requests(portal)
    configure_desk()
    # The demo portal opens on its catalog, unless someone chose another front page.
    if not portal.getDefaultPage():
        portal.setDefaultPage(CATALOG_ID)
