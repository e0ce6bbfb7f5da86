"""Requests at scale: submission, tracking, "my requests" and an expert's request page.

Fills a throw-away site (the functional test layer behind a real WSGI server; its changes
kept in a FileStorage in a temporary folder, as an instance keeps them, unless
``--storage memory``) with N requests for each size given, then measures through the
publisher:

* submission: POST /requests (the REST channel; same API as the web form);
* tracking lookup: POST /@track with code and mobile;
* "my requests": GET /@@my-requests of an applicant who has 25 requests;
* an expert's page of one request: GET /requests/<code>;
* 4 concurrent clients submitting: failures, acknowledged requests found, throughput.

Usage: bin/py bench/requests_bench.py [--sizes 1000 100000] [--samples 100] [--storage file]
Prints figures; fails nothing.
"""

from concurrent.futures import ThreadPoolExecutor

import argparse
import os
import random
import sys
import time

# bin/py runs a script with exec(): its folder is not on the path by itself.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import close_site
from benchlib import open_site
from benchlib import percentiles

os.environ.setdefault("zope_i18n_compile_mo_files", "true")

APPLICANT = {
    "applicant_name": "سارا محمدی",
    "applicant_national_code": "0084575948",
    "applicant_mobile": "09121234567",
    "applicant_email": "sara@example.com",
}
PASSWORD = "bench-password-1"


def fill(portal, count, users, expert_unit):
    """Add requests in-process (not measured), committing every 1,000."""
    import transaction
    from plone import api
    from uni.servicedesk.api import requests as desk_api

    service = portal.services["edu-101"]
    folder = desk_api.requests_folder()
    started = time.time()
    owners = [api.user.get(userid=u) for u in users]
    for index in range(count):
        owner = owners[index % len(owners)] if index % 2 else None  # half anonymous
        request = desk_api.create(
            "request",
            service,
            "",
            f"درخواست شماره {index}",
            "متن درخواست",
            "normal",
            dict(APPLICANT, applicant_number=str(index), notify_channels=["sms"]),
            [],
            "web",
            owner,
        )
        if index % 3 == 0:  # a third referred to the expert's unit
            request.manage_setLocalRoles(expert_unit, ["Request Handler"])
            request.referred_unit = expert_unit
            request.reindexObject(idxs=["allowedRolesAndUsers"])
        if index % 1000 == 999:
            transaction.commit()
    transaction.commit()
    return max(count, 0) / max(time.time() - started, 1e-9), len(folder.objectIds())


WARM_UP = 20
ROUNDS = 5
REFERENCE = "reference: site info (GET /@site), size-independent"


def timed(session, method, url, payload, index):
    body = payload(index) if callable(payload) else payload
    started = time.perf_counter()
    response = session.request(method, url, json=body)
    elapsed = time.perf_counter() - started
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    return elapsed


def measure_all(figures, samples):
    """p50/p95 of each figure: ``WARM_UP`` untimed requests first (the in-process fill left
    the server's ZODB cache cold, which a running site would not start from), then the
    samples taken in ``ROUNDS`` interleaved rounds, so that a slow spell of this shared
    machine weighs on every figure alike instead of on one."""
    timings = {name: [] for name, *_ in figures}
    for name, session, method, url, payload in figures:
        for index in range(WARM_UP):
            timed(session, method, url, payload, index)
    per_round = max(1, samples // ROUNDS)
    for round_ in range(ROUNDS):
        for name, session, method, url, payload in figures:
            for index in range(per_round):
                timings[name].append(timed(session, method, url, payload, index))
    return {name: percentiles(values) for name, values in timings.items()}


def session_for(base_url, user=None):
    import requests

    session = requests.Session()
    session.headers["Accept"] = "application/json"
    if user:
        session.auth = (user, PASSWORD)
    session.base = base_url
    return session


def keep_changes_on_disk(directory):
    """The test layer keeps each test's changes in memory (a DemoStorage over a
    MappingStorage): with 100,000 requests the process then holds every pickle, which slows
    everything it does. Keep them in a FileStorage instead, as a deployed instance does."""
    from plone.testing import zodb
    from ZODB.DB import DB
    from ZODB.DemoStorage import DemoStorage
    from ZODB.FileStorage import FileStorage

    stack = zodb.stackDemoStorage

    def stack_on_file(db=None, name=None):
        if name != "FunctionalTest":
            return stack(db, name)
        changes = FileStorage(os.path.join(directory, "Data.fs"))
        return DB(DemoStorage(name=name, base=db.storage, changes=changes))

    zodb.stackDemoStorage = stack_on_file


def run(sizes, samples, storage="file"):
    from plone import api

    import transaction

    directory = None
    if storage == "file":
        import tempfile

        directory = tempfile.mkdtemp(prefix="requests-bench-")
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
        steps=["ثبت | دانشجو", "بررسی | کارشناس"],
    )
    api.content.transition(obj=service, transition="publish")
    api.group.create(groupname="unit-a", title="واحد الف")
    users = [f"applicant{i}" for i in range(40)]
    for user_id in users + ["bench-member"]:
        portal.acl_users.userFolderAddUser(user_id, PASSWORD, ["Member"], [])
    portal.acl_users.userFolderAddUser("bench-expert", PASSWORD, ["Service Desk Agent"], [])
    api.group.add_user(groupname="unit-a", username="bench-expert")
    transaction.commit()

    # The measured applicant has 25 requests at every size.
    from uni.servicedesk.api import requests as desk_api

    member = api.user.get(userid="bench-member")
    for index in range(25):
        desk_api.create(
            "request",
            service,
            "",
            f"درخواست من {index}",
            "",
            "normal",
            dict(APPLICANT, notify_channels=[]),
            [],
            "web",
            member,
        )
    transaction.commit()

    results = {}
    filled = 25
    for size in sizes:
        rate, total = fill(portal, size - filled, users, "unit-a")
        filled = size
        print(
            f"\n== {total:,} requests in the site (filled at {rate:,.0f}/s in-process)", flush=True
        )
        codes = list(desk_api.requests_folder().objectIds())
        referred = [
            c
            for c in random.sample(codes, min(len(codes), 3000))
            if desk_api.requests_folder()[c].referred_unit == "unit-a"
        ]
        anonymous = session_for(base)
        member_session = session_for(base, "bench-member")
        submit_body = dict(APPLICANT, kind="request", service="EDU-101", subject="بنچمارک")
        expert_page = session_for(base, "bench-expert")
        expert_page.headers["Accept"] = "text/html"
        figures = measure_all(
            [
                ("submission (POST /requests)", anonymous, "POST", f"{base}/requests", submit_body),
                (
                    "tracking lookup (POST /@track)",
                    anonymous,
                    "POST",
                    f"{base}/@track",
                    lambda i: {
                        "code": random.choice(codes),
                        "verifier": APPLICANT["applicant_mobile"],
                    },
                ),
                (
                    "my requests (GET /@@my-requests)",
                    member_session,
                    "GET",
                    f"{base}/@@my-requests",
                    None,
                ),
                (
                    "expert's request page (GET /requests/<code>)",
                    expert_page,
                    "GET",
                    f"{base}/requests/{referred[0]}",
                    None,
                ),
                (REFERENCE, anonymous, "GET", f"{base}/@site", None),
            ],
            samples,
        )
        for name, (p50, p95) in figures.items():
            print(f"  {name:48s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms", flush=True)

        # 4 clients at once, each submitting 50.
        clients = [session_for(base) for _ in range(4)]

        def client_run(session):
            acknowledged, failures = [], 0
            for _ in range(50):
                response = session.post(f"{base}/requests", json=submit_body)
                if response.status_code == 201:
                    acknowledged.append(response.json()["tracking_code"])
                else:
                    failures += 1
                    print("   failure:", response.status_code, response.text[:200], flush=True)
            return acknowledged, failures

        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(client_run, clients))
        elapsed = time.perf_counter() - started
        acknowledged = [code for codes_, _ in outcomes for code in codes_]
        failures = sum(f for _, f in outcomes)
        transaction.begin()
        folder = desk_api.requests_folder()
        missing = [c for c in acknowledged if c not in folder]
        print(
            f"  4 concurrent clients: {len(acknowledged)} acknowledged, {failures} failed, "
            f"{len(missing)} acknowledged but missing, {len(acknowledged) / elapsed:.1f} requests/s",
            flush=True,
        )
        figures["concurrent"] = (
            len(acknowledged),
            failures,
            len(missing),
            len(acknowledged) / elapsed,
        )
        filled += len(acknowledged) + samples + WARM_UP
        results[size] = figures

    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\n== cost at {large:,} relative to {small:,} (p50; goal: at most 1.3×)")
        for name in results[small]:
            if name == "concurrent":
                continue
            ratio = results[large][name][0] / results[small][name][0]
            print(f"  {name:48s} {ratio:5.2f}×")
        print(
            "  (the reference does not depend on the number of requests: its ratio is how much\n"
            "   faster or slower this machine ran between the two sizes)"
        )
    close_site(layer)
    if directory:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument(
        "--storage",
        choices=["file", "memory"],
        default="file",
        help="where the site's changes go: a FileStorage (as deployed) or memory",
    )
    args = parser.parse_args(argv)
    print(f"changes kept in: {args.storage}", flush=True)
    run(sorted(args.sizes), args.samples, args.storage)


if __name__ == "__main__":
    sys.exit(main())
