"""Move SLA states (at risk, overdue) and escalate, on every site, once.

For cron: ``bin/instance run scripts/sla_sweep.py``. The outbox worker inside the
server does the same every few minutes; running both, or twice, does each thing once.
"""
from Testing.makerequest import makerequest
from uni.servicedesk.api.delivery import sites
from uni.servicedesk.api.sla import sweep_site

app = makerequest(globals()["app"])  # noqa: F821 - injected by `bin/instance run`
for portal in sites(app):
    print(portal.getId(), sweep_site(portal, force=True))
