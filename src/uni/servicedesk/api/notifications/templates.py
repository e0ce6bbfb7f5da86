"""The default text of every notification, per event and language.

These are data, not interface strings: managers edit them in the control panel
(``@@servicedesk-notification-templates``); the registry keeps only what they changed,
so "reset" means forgetting the change. Variables are ``${name}`` (see VARIABLES).
SMS texts are kept short: Persian text is sent as UCS-2, 70 characters in one part.
"""

from uni.servicedesk import _
from uni.servicedesk.localization import DESK_LANGUAGES

LANGUAGES = DESK_LANGUAGES
PARTS = ("email_subject", "email_body", "sms")

VARIABLES = {
    "code": _("Tracking code"),
    "name": _("Applicant's name"),
    "subject": _("Subject of the request"),
    "service": _("Service"),
    "status": _("Status"),
    "link": _("Private tracking link (applicant)"),
    "staff_link": _("The request's page (staff)"),
    "due_date": _("Due date (Jalali in Persian)"),
    "text": _("Text of the reply, note or reason"),
    "documents": _("Documents asked for"),
    "results": _("Files delivered"),
    "unit": _("Unit"),
    "expert": _("Expert"),
    "level": _("Escalation level"),
    "items": _("The digest's list"),
    "site": _("Name of the site"),
    "calendar": _("Appointment calendar (appointments)"),
    "when": _("Date and time of the appointment (Jalali in Persian)"),
    "location": _("Where the appointment is"),
}

# event -> (who receives it, its title in the control panel)
APPLICANT, STAFF = "applicant", "staff"
EVENTS = {
    "submitted": (APPLICANT, _("Request registered")),
    "referred": (APPLICANT, _("Request referred")),
    "replied": (APPLICANT, _("Reply from the desk")),
    "documents_requested": (APPLICANT, _("Documents requested")),
    "resolved": (APPLICANT, _("Request resolved")),
    "closed": (APPLICANT, _("Request closed")),
    "rejected": (APPLICANT, _("Request rejected")),
    "reopened": (APPLICANT, _("Request reopened")),
    "merged": (APPLICANT, _("Request merged with a similar one")),
    "work_started": (APPLICANT, _("Work on the request started")),
    "delivered": (APPLICANT, _("Result delivered")),
    "appointment_booked": (APPLICANT, _("Appointment booked")),
    "appointment_moved": (APPLICANT, _("Appointment moved")),
    "appointment_cancelled": (APPLICANT, _("Appointment cancelled")),
    "appointment_reminder": (APPLICANT, _("Appointment tomorrow (reminder)")),
    "assigned": (STAFF, _("Referred to me or my unit")),
    "applicant_replied": (STAFF, _("The applicant replied")),
    "escalated": (STAFF, _("Escalated to me")),
    "overdue": (STAFF, _("Overdue")),
    "digest": (STAFF, _("Daily digest")),
    "subtask": (STAFF, _("A sub-task for me or my unit")),
}

_FA_SIGN = "\n\n${site}"
_EN_SIGN = "\n\n${site}"

DEFAULTS = {
    "submitted": {
        "fa": {
            "email_subject": "ثبت درخواست — کد رهگیری ${code}",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» ثبت شد.\nکد رهگیری: ${code}\n"
            "مهلت رسیدگی: ${due_date}\n\nپیگیری: ${link}" + _FA_SIGN,
            "sms": "درخواست شما ثبت شد.\nکد رهگیری: ${code}",
        },
        "en": {
            "email_subject": "Request registered — tracking code ${code}",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" is registered.\n'
            "Tracking code: ${code}\nDue by: ${due_date}\n\nFollow it: ${link}" + _EN_SIGN,
            "sms": "Your request is registered. Tracking code: ${code}",
        },
    },
    "referred": {
        "fa": {
            "email_subject": "ارجاع درخواست ${code}",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» برای رسیدگی به ${unit} ارجاع شد.\n\n"
            "پیگیری: ${link}" + _FA_SIGN,
            "sms": "درخواست ${code} به ${unit} ارجاع شد.",
        },
        "en": {
            "email_subject": "Request ${code} referred",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" was referred to ${unit}.\n\n'
            "Follow it: ${link}" + _EN_SIGN,
            "sms": "Request ${code} was referred to ${unit}.",
        },
    },
    "replied": {
        "fa": {
            "email_subject": "پاسخ درخواست ${code}",
            "email_body": "${name} گرامی،\n\nبه درخواست «${subject}» پاسخ داده شد:\n\n${text}\n\n"
            "پیگیری: ${link}" + _FA_SIGN,
            "sms": "به درخواست ${code} پاسخ داده شد.",
        },
        "en": {
            "email_subject": "Reply to request ${code}",
            "email_body": 'Dear ${name},\n\nthere is a reply to your request "${subject}":\n\n${text}\n\n'
            "Follow it: ${link}" + _EN_SIGN,
            "sms": "There is a reply to request ${code}.",
        },
    },
    "documents_requested": {
        "fa": {
            "email_subject": "مدارک لازم برای درخواست ${code}",
            "email_body": "${name} گرامی،\n\nبرای ادامه رسیدگی به «${subject}» این مدارک لازم است:\n"
            "${documents}\n\n${text}\n\nارسال مدارک: ${link}" + _FA_SIGN,
            "sms": "برای درخواست ${code} مدارک لازم است.",
        },
        "en": {
            "email_subject": "Documents needed for request ${code}",
            "email_body": 'Dear ${name},\n\nto go on with "${subject}" we need:\n${documents}\n\n'
            "${text}\n\nSend them: ${link}" + _EN_SIGN,
            "sms": "Documents are needed for request ${code}.",
        },
    },
    "resolved": {
        "fa": {
            "email_subject": "انجام درخواست ${code}",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» انجام شد.\n${text}\n\n"
            "نتیجه: ${results}\n\nمشاهده و دریافت: ${link}" + _FA_SIGN,
            "sms": "درخواست ${code} انجام شد.",
        },
        "en": {
            "email_subject": "Request ${code} resolved",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" is resolved.\n${text}\n\n'
            "Results: ${results}\n\nSee and download: ${link}" + _EN_SIGN,
            "sms": "Request ${code} is resolved.",
        },
    },
    "closed": {
        "fa": {
            "email_subject": "بسته شدن درخواست ${code}",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» بسته شد.\n\n${link}" + _FA_SIGN,
            "sms": "",
        },
        "en": {
            "email_subject": "Request ${code} closed",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" is closed.\n\n${link}'
            + _EN_SIGN,
            "sms": "",
        },
    },
    "rejected": {
        "fa": {
            "email_subject": "رد درخواست ${code}",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» پذیرفته نشد.\nدلیل: ${text}\n\n"
            "${link}" + _FA_SIGN,
            "sms": "درخواست ${code} پذیرفته نشد.",
        },
        "en": {
            "email_subject": "Request ${code} rejected",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" was not accepted.\n'
            "Reason: ${text}\n\n${link}" + _EN_SIGN,
            "sms": "Request ${code} was not accepted.",
        },
    },
    "reopened": {
        "fa": {
            "email_subject": "بازگشایی درخواست ${code}",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» دوباره در دست رسیدگی است.\n\n"
            "${link}" + _FA_SIGN,
            "sms": "درخواست ${code} دوباره باز شد.",
        },
        "en": {
            "email_subject": "Request ${code} reopened",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" is being handled again.\n\n'
            "${link}" + _EN_SIGN,
            "sms": "Request ${code} was reopened.",
        },
    },
    # To both applicants: the duplicate's and the main request's. Only the recipient's own
    # request is named (its code, its private link): never the other one's.
    "merged": {
        "fa": {
            "email_subject": "یکی شدن درخواست ${code} با درخواست مشابه",
            "email_body": "${name} گرامی،\n\nدرخواست «${subject}» با درخواست مشابه دیگری یکی شد و "
            "از این پس هر دو با هم رسیدگی و پیگیری می‌شوند.\nوضعیت: ${status}\n\n"
            "پیگیری با همین کد رهگیری (${code}): ${link}" + _FA_SIGN,
            "sms": "درخواست ${code} با درخواست مشابهی یکی شد و با هم پیگیری می‌شوند.",
        },
        "en": {
            "email_subject": "Request ${code} joined with a similar request",
            "email_body": 'Dear ${name},\n\nyour request "${subject}" was joined with a similar '
            "request; from now on they are handled and followed together.\n"
            "Status: ${status}\n\nFollow it with your tracking code (${code}): ${link}" + _EN_SIGN,
            "sms": "Request ${code} was joined with a similar one; followed together.",
        },
    },
    "work_started": {
        "fa": {
            "email_subject": "آغاز رسیدگی به درخواست ${code}",
            "email_body": "${name} گرامی،\n\nرسیدگی به درخواست «${subject}» آغاز شد.\n"
            "مهلت رسیدگی: ${due_date}\n\nپیگیری: ${link}" + _FA_SIGN,
            "sms": "رسیدگی به درخواست ${code} آغاز شد.",
        },
        "en": {
            "email_subject": "Work on request ${code} has started",
            "email_body": 'Dear ${name},\n\nwork on your request "${subject}" has started.\n'
            "Due by: ${due_date}\n\nFollow it: ${link}" + _EN_SIGN,
            "sms": "Work on request ${code} has started.",
        },
    },
    "delivered": {
        "fa": {
            "email_subject": "تحویل نتیجه درخواست ${code}",
            "email_body": "${name} گرامی،\n\nنتیجه درخواست «${subject}» تحویل شد: ${results}\n"
            "${text}\n\nدریافت: ${link}" + _FA_SIGN,
            "sms": "نتیجه درخواست ${code} آماده دریافت است.",
        },
        "en": {
            "email_subject": "Result of request ${code} delivered",
            "email_body": 'Dear ${name},\n\nthe result of your request "${subject}" is delivered: '
            "${results}\n${text}\n\nDownload it: ${link}" + _EN_SIGN,
            "sms": "The result of request ${code} is ready to download.",
        },
    },
    "appointment_booked": {
        "fa": {
            "email_subject": "نوبت شما — کد رهگیری ${code}",
            "email_body": "${name} گرامی،\n\nنوبت شما در «${calendar}» ثبت شد.\nزمان: ${when}\n"
            "مکان: ${location}\nکد رهگیری: ${code}\n\nلغو یا جابه‌جایی: ${link}" + _FA_SIGN,
            "sms": "نوبت ${calendar}: ${when}\nکد رهگیری: ${code}",
        },
        "en": {
            "email_subject": "Your appointment — tracking code ${code}",
            "email_body": 'Dear ${name},\n\nyour appointment at "${calendar}" is booked.\n'
            "When: ${when}\nWhere: ${location}\nTracking code: ${code}\n\n"
            "Cancel or move it: ${link}" + _EN_SIGN,
            "sms": "Appointment ${calendar}: ${when}. Code ${code}",
        },
    },
    "appointment_moved": {
        "fa": {
            "email_subject": "جابه‌جایی نوبت ${code}",
            "email_body": "${name} گرامی،\n\nنوبت شما در «${calendar}» جابه‌جا شد.\n"
            "زمان تازه: ${when}\nمکان: ${location}\n\n${link}" + _FA_SIGN,
            "sms": "نوبت ${code} به ${when} جابه‌جا شد.",
        },
        "en": {
            "email_subject": "Appointment ${code} moved",
            "email_body": 'Dear ${name},\n\nyour appointment at "${calendar}" was moved.\n'
            "New time: ${when}\nWhere: ${location}\n\n${link}" + _EN_SIGN,
            "sms": "Appointment ${code} moved to ${when}.",
        },
    },
    "appointment_cancelled": {
        "fa": {
            "email_subject": "لغو نوبت ${code}",
            "email_body": "${name} گرامی،\n\nنوبت شما در «${calendar}» (${when}) لغو شد.\n${text}\n\n"
            "گرفتن نوبت تازه: ${link}" + _FA_SIGN,
            "sms": "نوبت ${code} (${when}) لغو شد.",
        },
        "en": {
            "email_subject": "Appointment ${code} cancelled",
            "email_body": 'Dear ${name},\n\nyour appointment at "${calendar}" (${when}) is '
            "cancelled.\n${text}\n\n${link}" + _EN_SIGN,
            "sms": "Appointment ${code} (${when}) is cancelled.",
        },
    },
    "appointment_reminder": {
        "fa": {
            "email_subject": "یادآوری نوبت فردا — ${code}",
            "email_body": "${name} گرامی،\n\nفردا نوبت شما در «${calendar}» است.\nزمان: ${when}\n"
            "مکان: ${location}\n\nاگر نمی‌آیید، لطفاً لغو کنید: ${link}" + _FA_SIGN,
            "sms": "یادآوری: نوبت فردا ${when}، ${calendar}. کد ${code}",
        },
        "en": {
            "email_subject": "Reminder: your appointment tomorrow — ${code}",
            "email_body": 'Dear ${name},\n\nyour appointment at "${calendar}" is tomorrow.\n'
            "When: ${when}\nWhere: ${location}\n\nIf you cannot come, please cancel: "
            "${link}" + _EN_SIGN,
            "sms": "Reminder: appointment tomorrow ${when}, ${calendar}. Code ${code}",
        },
    },
    "assigned": {
        "fa": {
            "email_subject": "ارجاع درخواست ${code} به شما",
            "email_body": "درخواست «${subject}» (${service}) به ${unit} ${expert} ارجاع شد.\n"
            "مهلت: ${due_date}\n\n${staff_link}",
        },
        "en": {
            "email_subject": "Request ${code} referred to you",
            "email_body": 'Request "${subject}" (${service}) was referred to ${unit} ${expert}.\n'
            "Due by: ${due_date}\n\n${staff_link}",
        },
    },
    "applicant_replied": {
        "fa": {
            "email_subject": "پیام متقاضی درباره درخواست ${code}",
            "email_body": "${name} درباره «${subject}» نوشت:\n\n${text}\n\n${staff_link}",
        },
        "en": {
            "email_subject": "The applicant replied on request ${code}",
            "email_body": '${name} wrote about "${subject}":\n\n${text}\n\n${staff_link}',
        },
    },
    "escalated": {
        "fa": {
            "email_subject": "ارجاع درخواست ${code} به سطح ${level}",
            "email_body": "درخواست «${subject}» به سطح ${level} رسید.\n${text}\nمهلت: ${due_date}\n\n"
            "${staff_link}",
        },
        "en": {
            "email_subject": "Request ${code} escalated to level ${level}",
            "email_body": 'Request "${subject}" was escalated to level ${level}.\n${text}\n'
            "Due by: ${due_date}\n\n${staff_link}",
        },
    },
    "overdue": {
        "fa": {
            "email_subject": "گذشتن مهلت درخواست ${code}",
            "email_body": "مهلت رسیدگی به «${subject}» (${due_date}) گذشته است.\n\n${staff_link}",
        },
        "en": {
            "email_subject": "Request ${code} is overdue",
            "email_body": 'Request "${subject}" was due on ${due_date}.\n\n${staff_link}',
        },
    },
    "subtask": {
        "fa": {
            "email_subject": "کار فرعی درخواست ${code} برای شما",
            "email_body": "برای درخواست «${subject}» (${service}) کاری به شما یا واحدتان سپرده شد:\n"
            "${text}\nمهلت درخواست: ${due_date}\n\n${staff_link}",
        },
        "en": {
            "email_subject": "A sub-task of request ${code} for you",
            "email_body": 'On request "${subject}" (${service}) a sub-task was given to you or '
            "your unit:\n${text}\nThe request is due by ${due_date}\n\n${staff_link}",
        },
    },
    "digest": {
        "fa": {
            "email_subject": "خلاصه روزانه میز خدمت",
            "email_body": "پیام‌های امروز شما:\n\n${items}" + _FA_SIGN,
        },
        "en": {
            "email_subject": "Service desk daily digest",
            "email_body": "Your messages of the day:\n\n${items}" + _EN_SIGN,
        },
    },
}


def default(event, language, part):
    texts = DEFAULTS.get(event, {})
    return texts.get(language, texts.get("fa", {})).get(part, "")


def parts_of(event):
    """Staff are told by email only (the site keeps no staff mobile numbers)."""
    return PARTS if EVENTS[event][0] == APPLICANT else PARTS[:2]
