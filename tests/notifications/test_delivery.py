"""Sending after commit through a real SMTP server and a stand-in SMS provider:
exactly once across worker restarts and concurrent workers; failures retried, then
dead-lettered, never in the way of the desk."""

from plone import api
from tests.notifications.conftest import APPLICANT_EMAIL
from tests.notifications.conftest import APPLICANT_MOBILE
from tests.notifications.conftest import as_user
from tests.notifications.conftest import wait_for
from uni.servicedesk.api import scheduler
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api import requests as desk_api

import time
import transaction

SETTINGS = "uni.servicedesk.notifications."


def fresh_outbox():
    transaction.begin()  # see what the workers committed
    return outbox_api.get_outbox()


def states(request):
    return sorted(
        (m.channel, m.state)
        for m in outbox_api.messages_of_request(fresh_outbox(), request.tracking_code)
    )


def use_http_provider(provider, **settings):
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record(SETTINGS + "sms_gateway", "http")
        api.portal.set_registry_record(SETTINGS + "http_url", provider.url + "/send")
        api.portal.set_registry_record(SETTINGS + "http_parameters", ["to=${to}", "text=${text}"])
        api.portal.set_registry_record(SETTINGS + "timeout", settings.get("timeout", 5))
        for name, value in settings.items():
            api.portal.set_registry_record(SETTINGS + name, value)
    transaction.commit()


class TestAfterCommit:
    def test_nothing_sent_without_a_worker_then_sent_once_by_the_next(self, desk, submit, workers):
        mailbox = desk["mailbox"]
        request = submit(notify_channels=["email"])
        time.sleep(0.5)
        assert mailbox.messages == []  # committed, stored, not sent: no worker runs
        (worker,) = workers(1)
        assert wait_for(lambda: len(mailbox.messages) == 1)
        worker.stop()
        # a worker started again (a restarted process) finds nothing left to send
        (again,) = workers(1)
        assert wait_for(lambda: again.passes >= 3)
        assert len(mailbox.messages) == 1
        (rcpts, email) = mailbox.messages[0]
        assert rcpts == [APPLICANT_EMAIL]
        assert (
            request.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
            in email["Subject"]
        )
        assert "مریم احمدی" in email.get_content()
        assert email["From"].addresses[0].addr_spec == "desk@uni.example"
        assert states(request) == [("email", outbox_api.SENT)]

    def test_worker_is_woken_by_the_commit_not_the_clock(self, desk, submit, workers):
        (worker,) = workers(1, interval=60)
        assert wait_for(lambda: worker.passes >= 1)
        started = time.time()
        submit(notify_channels=["email"])
        assert wait_for(lambda: len(desk["mailbox"].messages) == 1, timeout=10)
        assert time.time() - started < 10

    def test_a_worker_that_died_after_claiming_is_taken_over_after_its_lease(
        self, desk, submit, workers
    ):
        request = submit(notify_channels=["email"])
        box = fresh_outbox()
        (message,) = outbox_api.messages_of_request(box, request.tracking_code)
        outbox_api.claim(message, "dead-worker", time.time())  # then the process died
        transaction.commit()
        (worker,) = workers(1)
        assert wait_for(lambda: worker.passes >= 3)
        assert desk["mailbox"].messages == []  # the lease still holds
        message = fresh_outbox().messages[message.id]
        message.claimed_until = time.time() - 1  # … until it runs out
        transaction.commit()
        worker.wake()
        assert wait_for(lambda: len(desk["mailbox"].messages) == 1)
        time.sleep(0.5)
        assert len(desk["mailbox"].messages) == 1

    def test_three_workers_deliver_each_message_exactly_once(self, desk, submit, workers):
        codes = [submit(notify_channels=["email"]).tracking_code for _ in range(15)]
        workers(3, interval=0.05)
        mailbox = desk["mailbox"]
        assert wait_for(lambda: len(mailbox.messages) >= 15, timeout=30)
        time.sleep(1)
        ids = mailbox.message_ids()
        assert len(ids) == 15 == len(set(ids))
        box = fresh_outbox()
        assert all(
            s == outbox_api.SENT
            for c in codes
            for s in [m.state for m in outbox_api.messages_of_request(box, c)]
        )
        assert box.sent_count() == 15


class TestFailures:
    def test_smtp_down_desk_unaffected_retried_then_dead_then_retried_by_manager(
        self, desk, submit, workers, closed_port, smtp
    ):
        portal = desk["portal"]
        api.portal.set_registry_record("plone.smtp_port", closed_port)
        api.portal.set_registry_record(SETTINGS + "max_attempts", 3)
        transaction.commit()
        request = submit(notify_channels=["email"])
        as_user(portal, "supervisor")
        desk_api.refer(request, expert="expert-a")  # the desk goes on
        transaction.commit()
        workers(1, interval=0.1)
        # retries after 1 s, 2 s: then dead
        assert wait_for(lambda: fresh_outbox() and len(fresh_outbox().dead) == 3, timeout=20)
        box = fresh_outbox()
        dead = [box.messages[i] for i in box.dead]
        assert {m.attempts for m in dead} == {3}
        assert all(
            "Connection refused" in m.last_error or "refused" in m.last_error.lower() for m in dead
        )
        assert desk_api.state(request) == "assigned"
        # the server is back; a manager sends the dead letters again
        api.portal.set_registry_record("plone.smtp_port", smtp.port)
        transaction.commit()
        for message_id in list(box.dead.keys()):
            outbox_api.retry(box, message_id)
        scheduler.wake_after_commit()
        transaction.commit()
        assert wait_for(lambda: len(desk["mailbox"].messages) == 3)
        assert not len(fresh_outbox().dead)

    def test_sms_provider_errors_are_retried_and_dead_lettered(
        self, desk, submit, workers, provider
    ):
        use_http_provider(provider, max_attempts=2)
        provider.answer(status=503, body="busy")
        request = submit(notify_channels=["sms"])
        workers(1, interval=0.1)
        assert wait_for(lambda: states(request) == [("sms", outbox_api.DEAD)], timeout=15)
        assert len(provider.requests) == 2
        (message,) = outbox_api.messages_of_request(fresh_outbox(), request.tracking_code)
        assert "503" in message.last_error
        assert len(message.errors) == 2

    def test_permanent_sms_error_is_not_retried(self, desk, submit, workers, provider):
        use_http_provider(provider, max_attempts=5)
        provider.answer(status=400, body="invalid receptor")
        request = submit(notify_channels=["sms"])
        workers(1, interval=0.1)
        assert wait_for(lambda: states(request) == [("sms", outbox_api.DEAD)])
        assert len(provider.requests) == 1

    def test_slow_provider_times_out_without_holding_the_desk(
        self, desk, submit, workers, provider
    ):
        use_http_provider(provider, timeout=1, max_attempts=5)
        provider.answer(status=200, body="OK", delay=3)
        request = submit(notify_channels=["sms"])
        workers(1, interval=0.1)
        started = time.time()
        second = submit(notify_channels=[])  # the desk is not waiting for the provider
        assert time.time() - started < 2
        assert wait_for(
            lambda: (lambda m: m.attempts >= 1)(
                outbox_api.messages_of_request(fresh_outbox(), request.tracking_code)[0]
            ),
            timeout=10,
        )
        (message,) = outbox_api.messages_of_request(fresh_outbox(), request.tracking_code)
        assert message.state in (outbox_api.PENDING, outbox_api.SENDING)  # to be tried again
        assert message.last_error == "The SMS gateway did not answer in time."
        assert second.tracking_code

    def test_sms_through_the_provider(self, desk, submit, workers, provider):
        use_http_provider(provider)
        provider.answer(status=200, body="OK")
        request = submit(notify_channels=["sms"])
        workers(1)
        assert wait_for(lambda: states(request) == [("sms", outbox_api.SENT)])
        assert provider.last.query == {} and provider.last.form["to"] == APPLICANT_MOBILE
        assert "کد رهگیری" in provider.last.form["text"]


def test_a_step_and_the_worker_never_conflict_on_the_outbox(desk, submit):
    """Steps insert, the worker only changes its messages, its cursor and counters: a step
    that queued a message commits after the worker recorded the oldest one as sent."""
    first = submit(notify_channels=["email", "sms"])
    # The worker, in its own connection: claims, sends (no-op here), records.
    import transaction as txn_module

    manager = txn_module.TransactionManager()
    connection = desk["db"].open(transaction_manager=manager)
    try:
        from zope.component.hooks import setSite

        portal = connection.root()["Application"]["plone"]
        box_w = outbox_api.get_outbox(portal)
        # Meanwhile a step of the desk queues new messages (not committed yet).
        second = submit(commit=False, notify_channels=["email", "sms"])
        manager.begin()
        due = outbox_api.due(box_w, time.time() + 1)
        assert {m.request_code for m in due} == {first.tracking_code}
        for message in due:
            outbox_api.claim(message, "w", time.time())
        manager.commit()
        for message in due:
            outbox_api.mark_sent(box_w, message, "ref")
        manager.commit()
        transaction.commit()  # the step: no ConflictError
    finally:
        connection.close()
        setSite(desk["portal"])
    box = fresh_outbox()
    assert outbox_api.counts(box)["pending"] == 2 and box.sent_count() == 2
    assert {m.request_code for m in outbox_api.waiting(box)} == {second.tracking_code}
