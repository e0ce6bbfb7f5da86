"""What the security headers and the shared throttle cost, through the publisher.

Opens the functional test layer's site behind a real WSGI server (benchlib), with one
service open to visitors and one request, then times, interleaved in rounds, each with and
without the piece measured (switched off in-process for the "off" variant):

* an anonymous page (GET /services) with the headers subscriber on and off;
* a tracking look-up with the right pair (POST /@track) with the throttle on and off
  (on: a connection of its own, three counts read);
* a look-up with a wrong pair, on and off (on: also three events recorded and committed
  in their own transaction); each from its own address (X-Forwarded-For through a trusted
  proxy, as behind nginx), so that none is throttled.

Usage: bin/py bench/security_bench.py [--samples 300] [--rounds 5]
Prints p50/p95 in ms and the difference of the p50s; fails nothing.
"""

import argparse
import os
import sys
import time

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    # Imported here, as in the other benchmarks: bin/py runs this file with exec().
    import requests
    import transaction
    from plone import api
    from uni.servicedesk.api import requests as desk_api
    from uni.servicedesk.api import tracking
    from uni.servicedesk.security import headers
    from ZPublisher import HTTPRequest

    layer, portal, base, catalog = open_site()
    try:
        service = api.content.create(
            container=catalog,
            type="Service",
            id="edu-101",
            title="گواهی",
            service_code="EDU-101",
            allow_anonymous=True,
            duration_max=3,
        )
        api.content.transition(obj=service, transition="publish")
        request = desk_api.submit(dict(APPLICANT, kind="complaint", subject="کلاس", body="سرد است"))
        api.portal.set_registry_record(
            "uni.servicedesk.security.lookup_failures_per_code", 0
        )  # one code, many tries
        transaction.commit()
        HTTPRequest.trusted_proxies = ["127.0.0.1"]
        code = request.tracking_code

        real_set_headers, real_verify = headers.set_headers, tracking.verify

        def plain_verify(code, verifier, find, client="", counters=None):
            found = find(tracking.normalize_code(code))
            return (
                found if found is not None and tracking.verifier_matches(found, verifier) else None
            )

        switches = {
            "headers": lambda on: setattr(
                headers, "set_headers", real_set_headers if on else lambda *args: None
            ),
            "throttle": lambda on: setattr(tracking, "verify", real_verify if on else plain_verify),
        }
        session = requests.Session()
        session.headers["Accept"] = "application/json"
        counter = [0]

        def page():
            return session.get(f"{base}/services", headers={"Accept": "text/html"})

        def lookup(verifier):
            counter[0] += 1
            address = f"10.{counter[0] // 65536 % 256}.{counter[0] // 256 % 256}.{counter[0] % 256}"
            return session.post(
                f"{base}/@track",
                json={"code": code, "verifier": verifier},
                headers={"X-Forwarded-For": address},
            )

        cases = [
            ("anonymous page GET /services", "headers", page, 200),
            ("look-up, right pair", "throttle", lambda: lookup(APPLICANT["applicant_mobile"]), 200),
            ("look-up, wrong pair", "throttle", lambda: lookup("09120000000"), 404),
        ]
        timings = {(name, on): [] for name, _s, _c, _e in cases for on in (True, False)}
        for name, switch, call, expected in cases:  # warm up
            for on in (True, False):
                switches[switch](on)
                for _ in range(20):
                    call()
        per_round = max(1, options.samples // options.rounds)
        for _round in range(options.rounds):
            for name, switch, call, expected in cases:
                for on in (True, False):
                    switches[switch](on)
                    for _ in range(per_round):
                        started = time.perf_counter()
                        response = call()
                        timings[(name, on)].append(time.perf_counter() - started)
                        if response.status_code != expected:
                            raise RuntimeError(
                                f"{name}: {response.status_code} {response.text[:200]}"
                            )
        for switch in switches.values():
            switch(True)
        print(f"{'p50 / p95 (ms)':34} {'on':>16} {'off':>16} {'p50 added':>10}")
        for name, switch, _call, _expected in cases:
            on, off = percentiles(timings[(name, True)]), percentiles(timings[(name, False)])
            print(
                f"{name + ' (' + switch + ')':34} {on[0]:7.2f} / {on[1]:6.2f} "
                f"{off[0]:7.2f} / {off[1]:6.2f} {on[0] - off[0]:+8.2f}"
            )
        headers_seen = page().headers
        print(
            "headers:",
            {
                k: v[:40]
                for k, v in headers_seen.items()
                if k.lower()
                in (
                    "content-security-policy",
                    "x-content-type-options",
                    "referrer-policy",
                    "x-frame-options",
                    "x-powered-by",
                )
            },
        )
    finally:
        close_site(layer)


if __name__ == "__main__":
    main()
