"""Anonymise the requests that ended longer ago than the retention setting, on every site,
once.

For cron, e.g. nightly: ``bin/instance run scripts/retention.py``. Closed, rejected and
withdrawn requests lose their personal data ``uni.servicedesk.privacy.retention_years``
years after they ended (the *Personal data* page; 0 keeps it for ever). The scheduler
inside the server does the same every hour; running both, or twice, anonymises each
request once.
"""

from Testing.makerequest import makerequest
from uni.servicedesk.api.privacy.retention import RetentionJob
from uni.servicedesk.api.scheduler import sites
from zope.component.hooks import setSite

app = makerequest(globals()["app"])
for portal in sites(app):
    setSite(portal)
    print(portal.getId(), f"anonymised {RetentionJob()(portal)} request(s)")
