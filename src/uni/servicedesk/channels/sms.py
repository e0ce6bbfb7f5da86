"""What every SMS gateway promises, the error it raises, and how long a text is in SMS.

A gateway sends one text to one mobile and either returns the provider's reference or
raises ``SMSError``. ``permanent`` tells the outbox whether trying again later can help:
a timeout can pass, a wrong API key or an invalid number cannot.
"""

from collections import namedtuple
from zope.i18n import interpolate
from zope.interface import Attribute
from zope.interface import Interface

import re

MOBILE = re.compile(r"09\d{9}")

GSM7 = "gsm7"
UCS2 = "ucs2"

# GSM 03.38 default alphabet (one septet each) and its extension table (escape + septet).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

# Single message / each part of a concatenated one (the user data header takes the rest).
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}

SMSParts = namedtuple("SMSParts", "encoding length parts per_part")


class SMSError(Exception):
    """Sending failed. ``message`` is translatable; ``permanent`` means do not retry.

    Gateways never put secrets (API keys, passwords) in the message.
    """

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent

    def __str__(self):
        # For logs: the English text with its ${variables} filled in.
        return interpolate(str(self.message), getattr(self.message, "mapping", None))


class ISMSGateway(Interface):
    """Sends SMS through one provider; registered as a named utility."""

    title = Attribute("Name shown to managers (translatable)")
    settings_keys = Attribute("Keys of the non-secret settings this gateway reads")
    secret_keys = Attribute("Keys of the secret settings (API keys, passwords) it reads")

    def send(mobile, text, message_id, config, secrets):
        """Send ``text`` to ``mobile`` (09xxxxxxxxx); return the provider's reference or "".

        ``message_id`` is our unique id of the message: where the provider supports an
        idempotency key it is passed as that key, so a re-send after a crash is not
        delivered twice. ``config`` holds the settings, ``secrets`` the secret settings.
        Raises ``SMSError``.
        """


def sms_parts(text):
    """How the provider will encode and split ``text``: (encoding, length, parts, per_part).

    ``length`` counts septets for GSM 7-bit (extension characters take two) and UTF-16
    code units for UCS-2. ``per_part`` is the capacity of each part actually used.
    """
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        encoding = GSM7
        sizes = [2 if char in GSM7_EXTENSION else 1 for char in text]
    else:
        encoding = UCS2
        sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]  # surrogate pairs
    single, per_part = LIMITS[encoding]
    length = sum(sizes)
    if length <= single:
        return SMSParts(encoding, length, 1 if length else 0, single)
    return SMSParts(encoding, length, _packed_parts(sizes, per_part), per_part)


def _packed_parts(sizes, capacity):
    # An escape sequence or a surrogate pair is never split between two parts, so a part
    # may end one unit short: count by filling parts, not by dividing the length.
    parts, used = 1, 0
    for size in sizes:
        if used + size > capacity:
            parts, used = parts + 1, 0
        used += size
    return parts


def international(mobile):
    """09121234567 -> 989121234567 (the form most provider APIs want)."""
    if not MOBILE.fullmatch(mobile or ""):
        raise ValueError(f"not a normalised Iranian mobile number: {mobile!r}")
    return "98" + mobile[1:]
