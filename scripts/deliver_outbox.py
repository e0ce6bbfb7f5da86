"""Run one pass of the desk's periodic jobs on every site: send what is due in the outbox,
make the day's digests, sweep the SLAs when their interval has passed.

For cron, or where the scheduler inside the server is switched off:
``bin/instance run scripts/deliver_outbox.py``. Safe beside running schedulers: a message
is claimed by one of them only.
"""

from uni.servicedesk.api.scheduler import Scheduler

scheduler = Scheduler(globals()["app"]._p_jar.db())
done = scheduler.run_once()
print(f"sent {done.get('delivery', 0)} notification(s)")
