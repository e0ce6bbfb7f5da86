"""Move SLA states (at risk, overdue) and escalate, on every site, once.

For cron: ``bin/instance run scripts/sla_sweep.py``. The scheduler inside the server
does the same every few minutes; running both, or twice, does each thing once.
"""

from Testing.makerequest import makerequest
from uni.servicedesk.api.scheduler import sites
from uni.servicedesk.api.sla.escalation import SweepJob
from zope.component.hooks import setSite

app = makerequest(globals()["app"])
for portal in sites(app):
    setSite(portal)
    print(portal.getId(), SweepJob()(portal))
