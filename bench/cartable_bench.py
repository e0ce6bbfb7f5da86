"""The cartable at scale: its first page for an expert and a supervisor, next to a plain query.

Fills a throw-away site (the functional test layer behind a real WSGI server, its changes
in a FileStorage as an instance keeps them, unless ``--storage memory``) with N requests
for each size given, one every five minutes back from now, referred to three units, with
every priority and several channels. With ``--mix desk`` (the default) the last three
days' requests are open (submitted, referred, in progress, awaiting the applicant; some at
risk or overdue) and the archive behind them is closed, but for 1 in 500 forgotten open —
the open work is that of a desk's pace, and each larger size adds archive behind it. With
``--mix share`` every state is a fixed share of all requests (a stress case: 37% open).
Then it measures, for an expert (of unit-a) and a supervisor:

in-process (the same ZODB connection, no HTTP):
* plain: ``portal_catalog(portal_type="ServiceRequest", sort_on="created",
  sort_order="descending", b_size=20)`` as that user, its 20 brains made — the reference;
* same tab, plain: the tab's own query handed to the catalog with the same sort and
  b_size (what one would write without ``api.cartable``);
* search: ``api.cartable.search`` of the user's first tab, its 20 brains made;
* search + counts: the same plus ``api.cartable.counts()`` (all tabs), i.e. all the
  catalog work of the page;
* view: ``@@cartable`` rendered whole (main template included) by its view.

through the publisher (HTTP, as browsers and other systems ask):
* GET /@@cartable (HTML), GET /@cartable (JSON), next to GET /@search with the plain query,
  the expert's GET /@@my-requests (a Plone page of the same weight: main template, a
  batched listing, here empty) and GET /@site (a reference that does not depend on the
  number of requests: how fast the machine ran at each size).

Usage: bin/py bench/cartable_bench.py [--sizes 1000 10000] [--samples 50] [--mix desk|share]
                                      [--storage file|memory] [--no-publisher]
Filling runs at about 50 requests a second: 10,000 take 3-4 minutes, 100,000 about 35.
Prints figures; fails nothing.
"""

import argparse
import datetime
import os
import random
import sys
import time

# bin/py runs a script with exec(): its folder is not on the path by itself.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import close_site
from benchlib import open_site
from benchlib import percentiles
from requests_bench import APPLICANT
from requests_bench import keep_changes_on_disk
from requests_bench import measure_all
from requests_bench import PASSWORD
from requests_bench import session_for

os.environ.setdefault("zope_i18n_compile_mo_files", "true")
# No outbox worker in the measured server: its SLA sweep would move the requests' SLA states
# (and conflict with the fill's commits) while we fill and measure.
os.environ["SERVICEDESK_OUTBOX_WORKER"] = "off"

EXPERT, SUPERVISOR = "bench-expert", "bench-supervisor"
UNITS = ("unit-a", "unit-b", "unit-c")
# --mix desk (the default): the work of the last days is open, the archive behind it is
# done — as on a desk, where the open work follows the staff's pace, not the archive's size.
RECENT_DAYS = 3
RECENT_STATES = (
    ("submitted", 20),
    ("assigned", 25),
    ("in_progress", 30),
    ("awaiting_applicant", 15),
    ("resolved", 10),
)
# ... and a few old ones forgotten open (1 in 500): a backlog that does grow with the archive.
ARCHIVE_STATES = (
    ("closed", 900),
    ("rejected", 50),
    ("withdrawn", 48),
    ("in_progress", 1),
    ("awaiting_applicant", 1),
)
# --mix share: every state a fixed share of all requests, whatever their age (a stress case:
# at 100,000 requests, 37,000 open).
SHARE_STATES = (
    ("closed", 55),
    ("resolved", 5),
    ("rejected", 3),
    ("submitted", 7),
    ("assigned", 10),
    ("in_progress", 12),
    ("awaiting_applicant", 8),
)
PRIORITIES = (("urgent", 5), ("high", 15), ("normal", 70), ("low", 10))
CHANNELS = (("web", 70), ("rest", 10), ("email", 10), ("sms", 5), ("phone", 5))
MINUTES_APART = 5  # one request every five minutes: 100,000 are about a year of work
# What ``fill`` sets after ``_create``: only these indexes (and the metadata) are redone.
CHANGED = [
    "created",
    "due_date",
    "review_state",
    "allowedRolesAndUsers",
    "referred_unit",
    "referred_expert",
    "sla_state",
    "escalation_level",
]


def pick(rng, table):
    return rng.choices([value for value, _ in table], weights=[w for _, w in table])[0]


def fill(portal, service, start, count, newest, mix="desk"):
    """Add requests ``start`` to ``count`` in-process (not measured), committing every 1,000.

    Through the domain API's ``_create`` (as requests_bench fills); the desk's work on each
    — its state, referral, SLA, dates — is then set directly, as it would stand after the
    work (firing every transition would measure the workflow, not the cartable).
    """
    import transaction
    from DateTime import DateTime
    from plone import api
    from uni.servicedesk.api import requests as desk_api

    workflow_tool = api.portal.get_tool("portal_workflow")
    workflow = workflow_tool["service_request_workflow"]
    rng = random.Random(start)
    started = time.time()
    applicant = dict(APPLICANT, notify_channels=[])
    recent = newest - datetime.timedelta(days=RECENT_DAYS)
    for index in range(start, count):
        # Each size adds older requests behind the ones there: the newest (the open work)
        # are the same at every size, and the archive grows behind them.
        created = newest - datetime.timedelta(minutes=MINUTES_APART * (index + 1))
        if mix == "share":
            state = pick(rng, SHARE_STATES)
        else:
            state = pick(rng, RECENT_STATES if created >= recent else ARCHIVE_STATES)
        priority = pick(rng, PRIORITIES)
        request = desk_api.create(
            "request",
            service,
            "",
            f"درخواست شماره {index}",
            "متن درخواست",
            priority,
            dict(applicant, applicant_number=str(index)),
            [],
            pick(rng, CHANNELS),
            None,
        )
        request.creation_date = DateTime(created.isoformat())
        request.due_date = created + datetime.timedelta(days=7)
        if state != "submitted":
            unit = rng.choice(UNITS)
            expert = EXPERT if unit == "unit-a" and rng.random() < 0.5 else None
            for principal in filter(None, (unit, expert)):
                request.manage_setLocalRoles(principal, ["Request Handler"])
            request.referred_unit, request.referred_expert = unit, expert
        workflow_tool.setStatusOf(
            "service_request_workflow",
            request,
            {
                "review_state": state,
                "action": None,
                "actor": "bench",
                "comments": "",
                "time": DateTime(created.isoformat()),
            },
        )
        workflow.updateRoleMappingsFor(request)
        if state in ("submitted", "assigned", "in_progress"):
            request.sla_state = rng.choices(("on_time", "at_risk", "overdue"), (80, 10, 10))[0]
            request.escalation_level = {"on_time": 0, "at_risk": 1, "overdue": 2}[request.sla_state]
        elif state == "awaiting_applicant":
            request.sla_state = "paused"
        else:
            request.sla_state = "met" if rng.random() < 0.85 else "missed"
        request.reindexObject(idxs=CHANGED)
        if index % 1000 == 999:
            transaction.commit()
    transaction.commit()
    return max(count - start, 0) / max(time.time() - started, 1e-9)


def timed_in_process(functions, rounds=5, warm_up=20):
    """{name: (p50, p95)} of ``functions`` ({name: (function, samples)}): each warmed up,
    then timed in ``rounds`` interleaved rounds, so that a slow spell of this shared machine
    weighs on every figure alike (as requests_bench's ``measure_all`` does over HTTP)."""
    timings = {name: [] for name in functions}
    for function, _ in functions.values():
        for _ in range(warm_up):
            function()
    for _ in range(rounds):
        for name, (function, count) in functions.items():
            for _ in range(max(1, count // rounds)):
                started = time.perf_counter()
                function()
                timings[name].append(time.perf_counter() - started)
    return {name: percentiles(values) for name, values in timings.items()}


def in_process_figures(layer, portal, user_id, samples):
    """{name: (p50, p95)} of the in-process measurements for ``user_id``."""
    from plone import api
    from plone.app.testing import login
    from uni.servicedesk.api import cartable
    from uni.servicedesk.interfaces import IUniServicedeskLayer
    from zope.annotation.interfaces import IAnnotations
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides

    login(portal, user_id)
    catalog = api.portal.get_tool("portal_catalog")
    request = layer["request"]
    alsoProvides(request, IUniServicedeskLayer)
    tab = cartable.default_tab()
    query = cartable.tab_queries(tab)[0]

    def fresh():
        """Nothing remembered from the previous sample (role and group caches per request)."""
        IAnnotations(request).clear()
        request.form.clear()

    def made(brains):
        return [(b.tracking_code, b.subject, b.review_state, b.getURL()) for b in brains]

    def plain():
        fresh()
        return made(
            catalog(
                portal_type="ServiceRequest", sort_on="created", sort_order="descending", b_size=20
            )[:20]
        )

    def same_tab_plain():
        fresh()
        return made(
            catalog(dict(query), sort_on="created", sort_order="descending", b_size=20)[:20]
        )

    def search():
        fresh()
        return made(cartable.search(tab).brains)

    def search_and_counts():
        """What the page asks of the catalog: its tab's page and every tab's count."""
        fresh()
        listing = cartable.search(tab)
        cartable.counts(known={tab: listing.total})
        return made(listing.brains)

    def view():
        fresh()
        request.set("REQUEST_METHOD", "GET")
        html = getMultiAdapter((portal, request), name="cartable")()
        assert 'name="codes:list"' in html or "No request here." in html
        return html

    # the cartable's page is the plain query's 20 newest when the tab is everything; at
    # least it must be the same tab's 20 newest as the catalog's own sort gives
    assert [b[0] for b in search()] == [b[0] for b in same_tab_plain()], "order differs"
    figures = timed_in_process({
        "plain catalog query (all requests, 20 newest)": (plain, samples),
        f"same tab ({tab}), catalog's own sort": (same_tab_plain, samples),
        f"api.cartable.search({tab!r})": (search, samples),
        "search + counts of every tab": (search_and_counts, samples),
        "@@cartable view rendered": (view, max(10, samples // 2)),
    })
    total = len(cartable.matching(tab))
    return tab, total, cartable.counts(), figures


def run(sizes, samples, storage="file", publisher=True, mix="desk"):
    import transaction
    from plone import api
    from plone.app.testing import login
    from plone.app.testing import TEST_USER_NAME

    directory = None
    if storage == "file":
        import tempfile

        directory = tempfile.mkdtemp(prefix="cartable-bench-")
        keep_changes_on_disk(directory)
    layer, portal, base, catalog = open_site()
    service = api.content.create(
        container=catalog,
        type="Service",
        id="edu-101",
        service_code="EDU-101",
        title="گواهی",
        service_category="education",
        allow_anonymous=True,
        duration_max=3,
    )
    api.content.transition(obj=service, transition="publish")
    for unit in UNITS:
        api.group.create(groupname=unit, title=unit)
    portal.acl_users.userFolderAddUser(EXPERT, PASSWORD, ["Service Desk Agent"], [])
    portal.acl_users.userFolderAddUser(SUPERVISOR, PASSWORD, ["Service Desk Supervisor"], [])
    api.group.add_user(groupname="unit-a", username=EXPERT)
    transaction.commit()

    newest = datetime.datetime.now().replace(second=0, microsecond=0)
    results = {}
    filled = 0
    for size in sizes:
        login(portal, TEST_USER_NAME)  # the layer's Manager fills
        rate = fill(portal, service, filled, size, newest, mix)
        filled = size
        total = len(
            api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
                portal_type="ServiceRequest"
            )
        )
        print(
            f"\n== {total:,} requests in the site (filled at {rate:,.0f}/s in-process)", flush=True
        )
        results[size] = {}
        for user_id in (EXPERT, SUPERVISOR):
            tab, tab_total, counts, figures = in_process_figures(layer, portal, user_id, samples)
            counts_text = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            print(f"  {user_id}: first tab {tab!r} ({tab_total:,} requests); tabs: {counts_text}")
            plain = figures["plain catalog query (all requests, 20 newest)"][0]
            for name, (p50, p95) in figures.items():
                print(
                    f"    {name:48s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   "
                    f"{p50 / plain:5.2f}× plain",
                    flush=True,
                )
            results[size][user_id] = figures
        login(portal, TEST_USER_NAME)
        transaction.commit()
        if publisher:
            plain_search = (
                f"{base}/@search?portal_type=ServiceRequest&sort_on=created"
                "&sort_order=descending&b_size=20"
            )
            expert, supervisor = session_for(base, EXPERT), session_for(base, SUPERVISOR)
            expert_html, supervisor_html = session_for(base, EXPERT), session_for(base, SUPERVISOR)
            expert_html.headers["Accept"] = supervisor_html.headers["Accept"] = "text/html"
            figures = measure_all(
                [
                    ("expert: GET /@search (plain query)", expert, "GET", plain_search, None),
                    ("expert: GET /@cartable (JSON)", expert, "GET", f"{base}/@cartable", None),
                    (
                        "expert: GET /@@cartable (HTML)",
                        expert_html,
                        "GET",
                        f"{base}/@@cartable",
                        None,
                    ),
                    (
                        "supervisor: GET /@search (plain query)",
                        supervisor,
                        "GET",
                        plain_search,
                        None,
                    ),
                    (
                        "supervisor: GET /@cartable (JSON)",
                        supervisor,
                        "GET",
                        f"{base}/@cartable",
                        None,
                    ),
                    (
                        "supervisor: GET /@@cartable (HTML)",
                        supervisor_html,
                        "GET",
                        f"{base}/@@cartable",
                        None,
                    ),
                    (
                        "reference page: expert's GET /@@my-requests (HTML)",
                        expert_html,
                        "GET",
                        f"{base}/@@my-requests",
                        None,
                    ),
                    ("reference: GET /@site", session_for(base), "GET", f"{base}/@site", None),
                ],
                samples,
            )
            print("  through the publisher:")
            for name, (p50, p95) in figures.items():
                print(f"    {name:48s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
            results[size]["publisher"] = figures

    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\n== cost at {large:,} relative to {small:,} (p50; goal: flat)")
        for user_id in (EXPERT, SUPERVISOR):
            for name in results[small][user_id]:
                ratio = results[large][user_id][name][0] / results[small][user_id][name][0]
                print(f"  {user_id:17s} {name:48s} {ratio:5.2f}×")
        if publisher:
            for name in results[small]["publisher"]:
                ratio = results[large]["publisher"][name][0] / results[small]["publisher"][name][0]
                print(f"  {name:66s} {ratio:5.2f}×")
    close_site(layer)
    if directory:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument(
        "--storage",
        choices=["file", "memory"],
        default="file",
        help="where the site's changes go: a FileStorage (as deployed) or memory",
    )
    parser.add_argument(
        "--no-publisher", dest="publisher", action="store_false", help="measure in-process only"
    )
    parser.add_argument(
        "--mix",
        choices=["desk", "share"],
        default="desk",
        help="desk: the last days' requests open, the archive done (default); "
        "share: every state a fixed share of all requests (stress)",
    )
    args = parser.parse_args(argv)
    print(f"changes kept in: {args.storage}; mix of states: {args.mix}", flush=True)
    run(sorted(args.sizes), args.samples, args.storage, args.publisher, args.mix)


if __name__ == "__main__":
    sys.exit(main())
