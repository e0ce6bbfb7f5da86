"""What the benchmarks share: bringing up the test layers, percentiles."""

import statistics


def set_up(layer, done):
    """Set up ``layer`` after its bases (plone.testing's runner does this for tests)."""
    for base in layer.__bases__:
        set_up(base, done)
    if layer not in done:
        layer.setUp()
        done.append(layer)


def percentiles(samples):
    """(p50, p95) in milliseconds of timings in seconds."""
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def open_site():
    """The functional test layer's site, set up as an instance runs: 3 conflict retries (the
    layer's server has none), a ZODB cache of 30,000 objects (ZODB's default of 400 would
    measure cache misses, not the site); logged in as Manager, with a published catalog.

    Returns (layer, portal, base URL, catalog); ``close_site(layer)`` tears it down."""
    from plone import api
    from plone.app.testing import login
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from plone.app.testing import TEST_USER_NAME
    from uni.servicedesk.testing import FUNCTIONAL_TESTING as layer
    from ZPublisher.HTTPRequest import HTTPRequest

    HTTPRequest.retry_max_count = 3
    layer.done = []
    set_up(layer, layer.done)
    layer.testSetUp()
    layer["zodbDB"].setCacheSize(30000)
    portal = layer["portal"]
    base = f"http://{layer['host']}:{layer['port']}/plone"
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    catalog = api.content.create(
        container=portal, type="ServiceCatalog", id="services", title="خدمات"
    )
    api.content.transition(obj=catalog, transition="publish")
    return layer, portal, base, catalog


def close_site(layer):
    layer.testTearDown()
    for done in reversed(layer.done):
        done.tearDown()
