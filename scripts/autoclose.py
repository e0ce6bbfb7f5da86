"""Close the resolved requests whose time has come, on every site, once.

For cron, e.g. nightly: ``bin/instance run scripts/autoclose.py``. A resolved request
closes by itself after ``uni.servicedesk.autoclose_days`` working days (the service desk
settings; 0 switches it off). Running it twice, or beside a periodic job doing the same,
closes each request once.
"""
from Testing.makerequest import makerequest
from uni.servicedesk.api.autoclose import close_site
from uni.servicedesk.api.delivery import sites

app = makerequest(globals()["app"])  # noqa: F821 - injected by `bin/instance run`
for portal in sites(app):
    print(portal.getId(), f"closed {close_site(portal)} resolved request(s)")
