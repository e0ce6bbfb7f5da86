"""Daily digests: staff who asked for them get one email a day listing their held
messages, made once a day after the digest hour (a periodic job of the scheduler)."""

from plone import api
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.notifications.delivery import setting
from uni.servicedesk.api.notifications.messages import render
from uni.servicedesk.api.notifications.messages import staff_language
from uni.servicedesk.api.transactions import committed

import datetime
import time
import transaction
import zoneinfo


def render_digest(user_id, messages):
    """One email listing a staff member's held messages (subject and first line each)."""
    user = api.user.get(userid=user_id)
    language = staff_language(user) if user is not None else "fa"
    email = messages[-1].recipient
    lines = []
    for message in messages:
        first = (message.body or "").strip().splitlines()[:1]
        lines.append(f"- {message.subject}" + (f"\n  {first[0]}" if first else ""))
    texts = render(
        "digest",
        language,
        {
            "items": "\n".join(lines),
            "site": api.portal.get().Title(),
        },
    )
    return outbox_api.Message(
        "email",
        email,
        texts["email_body"],
        texts["email_subject"],
        "digest",
        recipient_user=user_id,
        language=language,
    )


def _digest_day(now=None):
    """The local date (the site's time zone) once the digest hour has passed, else None."""
    zone = api.portal.get_registry_record("plone.portal_timezone", default="") or "Asia/Tehran"
    local = datetime.datetime.fromtimestamp(now or time.time(), zoneinfo.ZoneInfo(zone))
    hour = setting("digest_hour", 7)
    return local.date().isoformat() if local.hour >= (hour or 0) else None


def make_digests(now=None):
    """Once a day after the digest hour: one email per user with their held messages.

    The day is recorded in the same transaction, so two workers make it once."""
    day = _digest_day(now)
    box = outbox_api.get_outbox()
    if day is None or box.last_digest_day == day or not len(box.held):
        return 0

    def digest():
        box = outbox_api.get_outbox()
        if box.last_digest_day == day:
            return 0
        box.last_digest_day = day
        made = 0
        for user_id in outbox_api.held_users(box):
            messages = outbox_api.release_held(box, user_id)
            if messages:
                digest = outbox_api.add(render_digest(user_id, messages))
                for message in messages:  # erasing a message's texts finds its line here
                    message.digest_id = digest.id
                made += 1
        return made

    transaction.begin()
    return committed(digest)


class DigestJob:
    """Digests as a periodic job: looked at on every pass (cheap while nothing is held;
    made once a day), before delivery, so that a digest leaves in the pass that made it."""

    order = 20
    interval = 0

    def __call__(self, portal):
        return make_digests()
