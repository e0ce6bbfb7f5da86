"""Close the resolved requests whose time has come, on every site, once.

For cron, e.g. nightly: ``bin/instance run scripts/autoclose.py``. A resolved request
closes by itself after ``uni.servicedesk.autoclose_days`` working days (the service desk
settings; 0 switches it off). The scheduler inside the server does the same every hour;
running both, or twice, closes each request once.
"""

from Testing.makerequest import makerequest
from uni.servicedesk.api.scheduler import sites
from uni.servicedesk.api.sla.autoclose import AutoCloseJob
from zope.component.hooks import setSite

app = makerequest(globals()["app"])
for portal in sites(app):
    setSite(portal)
    print(portal.getId(), f"closed {AutoCloseJob()(portal)} resolved request(s)")
