"""Send what the notification outboxes of every site hold, once, and make due digests.

For cron on instances that run with SERVICEDESK_OUTBOX_WORKER=off (or as a safety net):
``bin/instance run scripts/deliver_outbox.py``. Safe beside running workers: a message
is claimed in a transaction before it is sent, so none goes out twice.
"""
from uni.servicedesk.api.delivery import OutboxWorker

worker = OutboxWorker(globals()["app"]._p_jar.db())  # noqa: F821 - `bin/instance run`
print(f"sent {worker.run_once()} notification(s)")
