"""The demo's forms (collective.easyform): three services with their own request forms and
a satisfaction survey whose answers managers download; and an appointment calendar."""

from plone import api
from uni.servicedesk.forms import builder

APPLICANT_FIELDS = [
    {"name": "full_name", "kind": "text", "title": "نام و نام خانوادگی"},
    {
        "name": "mobile",
        "kind": "text",
        "title": "تلفن همراه",
        "description": "برای پیگیری درخواست و دریافت پیامک؛ مانند ۰۹۱۲۱۲۳۴۵۶۷",
    },
    {"name": "email", "kind": "email", "title": "ایمیل", "required": False},
]
APPLICANT_MAPPING = {"name_field": "full_name", "mobile_field": "mobile", "email_field": "email"}

SERVICE_FORMS = [
    {
        # With file uploads, for logged-in students.
        "service": "edu-102",
        "id": "form",
        "title": "فرم درخواست مهمانی در دانشگاه دیگر",
        "description": "فرم تکمیل‌شده مهمانی و کارنامه را به صورت PDF یا تصویر بارگذاری کنید.",
        "fields": APPLICANT_FIELDS
        + [
            {"name": "student_number", "kind": "text", "title": "شماره دانشجویی"},
            {"name": "host", "kind": "text", "title": "دانشگاه مقصد"},
            {
                "name": "term",
                "kind": "choice",
                "title": "نیمسال مهمانی",
                "values": ["نیمسال اول", "نیمسال دوم", "تابستان"],
            },
            {"name": "courses", "kind": "textarea", "title": "درس‌هایی که می‌گذرانید"},
            {"name": "guest_form", "kind": "file", "title": "فرم تکمیل‌شده درخواست مهمانی"},
            {"name": "transcript", "kind": "file", "title": "کارنامه آخرین نیمسال"},
        ],
        "action": dict(APPLICANT_MAPPING, kind="request", number_field="student_number"),
    },
    {
        # Optional and extra fields, kept on the request as the form's answers.
        "service": "edu-101",
        "id": "form",
        "title": "فرم درخواست گواهی اشتغال به تحصیل",
        "description": "گواهی پس از تأیید کارشناس آموزش به صورت الکترونیکی صادر می‌شود.",
        "fields": APPLICANT_FIELDS
        + [
            {"name": "student_number", "kind": "text", "title": "شماره دانشجویی"},
            {"name": "recipient", "kind": "text", "title": "سازمان گیرنده گواهی"},
            {
                "name": "language",
                "kind": "choice",
                "title": "زبان گواهی",
                "values": ["فارسی", "انگلیسی"],
            },
            {"name": "copies", "kind": "int", "title": "تعداد نسخه", "required": False},
            {
                "name": "pickup",
                "kind": "bool",
                "title": "نسخه کاغذی را حضوری تحویل می‌گیرم",
                "required": False,
            },
            {"name": "notes", "kind": "textarea", "title": "توضیحات", "required": False},
        ],
        "action": dict(
            APPLICANT_MAPPING, kind="request", number_field="student_number", body_field="notes"
        ),
    },
    {
        # A support request with a screenshot and a date.
        "service": "it-503",
        "id": "form",
        "title": "فرم گزارش مشکل اینترنت و وای‌فای",
        "description": "هرچه دقیق‌تر بنویسید، مشکل زودتر رفع می‌شود.",
        "fields": APPLICANT_FIELDS
        + [
            {
                "name": "place",
                "kind": "choice",
                "title": "محل",
                "values": ["خوابگاه", "دانشکده", "کتابخانه مرکزی", "ساختمان مرکزی"],
            },
            {
                "name": "devices",
                "kind": "multi",
                "title": "دستگاه",
                "required": False,
                "values": ["لپ‌تاپ", "تلفن همراه", "رایانه رومیزی"],
            },
            {"name": "since", "kind": "date", "title": "از چه روزی", "required": False},
            {"name": "problem", "kind": "textarea", "title": "شرح مشکل"},
            {"name": "screenshot", "kind": "file", "title": "تصویر خطا", "required": False},
        ],
        "action": dict(APPLICANT_MAPPING, kind="support", body_field="problem"),
    },
]

SURVEY = {
    "id": "satisfaction-survey",
    "title": "نظرسنجی رضایت از خدمات دانشگاه",
    "description": "نظر شما به بهتر شدن خدمات کمک می‌کند؛ پاسخ‌ها بی‌نام ذخیره می‌شوند.",
    "fields": [
        {
            "name": "service",
            "kind": "choice",
            "title": "از کدام خدمت استفاده کردید؟",
            "values": ["آموزشی", "دانشجویی و رفاهی", "فناوری اطلاعات", "مالی", "پژوهشی"],
        },
        {
            "name": "overall",
            "kind": "choice",
            "title": "رضایت کلی",
            "values": ["خیلی راضی", "راضی", "نه راضی نه ناراضی", "ناراضی", "خیلی ناراضی"],
        },
        {
            "name": "speed",
            "kind": "choice",
            "title": "سرعت رسیدگی",
            "values": ["خیلی خوب", "خوب", "متوسط", "ضعیف"],
        },
        {
            "name": "staff",
            "kind": "choice",
            "title": "برخورد کارشناسان",
            "values": ["خیلی خوب", "خوب", "متوسط", "ضعیف"],
        },
        {"name": "comment", "kind": "textarea", "title": "پیشنهاد شما", "required": False},
    ],
}


def create_service_forms(catalog):
    for item in SERVICE_FORMS:
        service = catalog.get(item["service"])
        if service is None or item["id"] in service.objectIds():
            continue
        form = builder.create_form(
            service,
            item["id"],
            item["title"],
            item["fields"],
            [("create_request", builder.ACTION_TYPE, "ثبت درخواست خدمت", item["action"])],
            description=item["description"],
            submitLabel="ثبت درخواست",
            thankstitle="درخواست شما ثبت شد",
            thanksdescription="کارشناسان درخواست را بررسی می‌کنند و نتیجه را به شما خبر می‌دهیم.",
        )
        api.content.transition(obj=form, to_state="published")
        service.request_form = form.UID()
        service.reindexObject(idxs=["request_form"])


def create_survey(portal):
    if SURVEY["id"] in portal.objectIds():
        return
    form = builder.create_form(
        portal,
        SURVEY["id"],
        SURVEY["title"],
        SURVEY["fields"],
        [("answers", builder.SAVE_DATA_TYPE, "پاسخ‌ها", {"DownloadFormat": "tsv"})],
        description=SURVEY["description"],
        submitLabel="ارسال نظر",
        thankstitle="از شما سپاسگزاریم",
        thanksdescription="پاسخ شما ثبت شد.",
    )
    api.content.transition(obj=form, to_state="published")


CALENDAR = {
    "id": "counseling-appointments",
    "title": "نوبت مرکز مشاوره دانشجویی",
    "description": "گفت‌وگوی حضوری با مشاوران مرکز؛ هر نوبت ۳۰ دقیقه.",
    "weekly_hours": [
        "شنبه ۰۸:۰۰-۱۲:۰۰ ۱۳:۰۰-۱۵:۰۰",
        "یکشنبه ۰۸:۰۰-۱۲:۰۰ ۱۳:۰۰-۱۵:۰۰",
        "دوشنبه ۰۸:۰۰-۱۲:۰۰",
        "سه‌شنبه ۰۸:۰۰-۱۲:۰۰ ۱۳:۰۰-۱۵:۰۰",
        "چهارشنبه ۰۸:۰۰-۱۲:۰۰",
    ],
    "slot_minutes": 30,
    "capacity": 2,
    "horizon_days": 21,
    "min_notice_hours": 2,
    "cancel_cutoff_hours": 12,
    # Closed on the desk's holidays: Iran's official ones (lunar ones included) and the
    # university's own; the calendar's own closures are for the centre's days alone.
    "follow_desk_holidays": True,
    "closures": [],
    "location": "ساختمان خدمات دانشجویی، طبقه دوم",
    "request_audiences": [],
    "allow_anonymous": True,
}


def create_calendar(catalog):
    if CALENDAR["id"] in catalog.objectIds():
        return
    data = dict(CALENDAR)
    calendar = api.content.create(container=catalog, type="AppointmentCalendar", **data)
    api.content.transition(obj=calendar, to_state="published")
