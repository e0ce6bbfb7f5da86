"""Appointments: free-slot lookup and booking through the publisher, and the last seats
under concurrency.

Sets up a throw-away site (the functional test layer: an in-memory ZODB behind a real WSGI
server) with one calendar open every day 08:00-18:00 in 30-minute slots for 30 days, fills
it in-process with ``--filled`` bookings, then measures:

* free-slot lookup: GET <calendar>/@slots for the whole horizon;
* booking: POST <calendar>/@book of a random free slot;
* 20 clients at once for the 5 seats of one slot: how many got one (must be 5).

Usage: bin/py bench/appointments_bench.py [--filled 3000] [--samples 100]
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

EVERY_DAY = [f"{day} 08:00-18:00" for day in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")]
BOOKER = {"applicant_name": "سارا محمدی", "applicant_email": "sara@example.com"}


def run(filled, samples):
    from plone import api
    from uni.servicedesk.api import appointments as booking_api

    import requests
    import transaction

    layer, portal, base, catalog = open_site()
    calendar = api.content.create(
        container=catalog,
        type="AppointmentCalendar",
        id="calendar",
        title="نوبت",
        weekly_hours=EVERY_DAY,
        slot_minutes=30,
        capacity=10,
        horizon_days=30,
        min_notice_hours=0,
        cancel_cutoff_hours=1,
    )
    api.content.transition(obj=calendar, transition="publish")
    transaction.commit()

    started = time.time()
    free = booking_api.next_free(calendar, limit=10_000)
    for index in range(filled):
        slot = free[index % len(free)]
        booking_api.book(calendar, slot.start, dict(BOOKER, applicant_mobile=f"0912{index:07d}"))
        if index % 500 == 499:
            transaction.commit()
    transaction.commit()
    seats = len(free) * calendar.capacity
    print(
        f"== one calendar, {len(free)} slots × {calendar.capacity} seats = {seats:,}; "
        f"{filled:,} booked in-process ({filled / max(time.time() - started, 1e-9):,.0f}/s)"
    )

    session = requests.Session()
    session.headers["Accept"] = "application/json"
    url = f"{base}/services/calendar"
    timings = []
    for _ in range(samples):
        t = time.perf_counter()
        response = session.get(f"{url}/@slots")
        timings.append(time.perf_counter() - t)
        response.raise_for_status()
    lookup = percentiles(timings)
    print(
        f"  free-slot lookup (GET @slots, 30 days)      p50 {lookup[0]:7.1f} ms   p95 {lookup[1]:7.1f} ms"
        f"   ({len(response.json()['items'])} free slots)"
    )

    keys = [item["slot"] for item in response.json()["items"]]
    timings = []
    for index in range(samples):
        body = dict(BOOKER, slot=random.choice(keys), applicant_mobile=f"0935{index:07d}")
        t = time.perf_counter()
        response = session.post(f"{url}/@book", json=body)
        timings.append(time.perf_counter() - t)
        if response.status_code not in (201, 409):
            raise RuntimeError(f"@book: {response.status_code} {response.text[:300]}")
    booking = percentiles(timings)
    print(
        f"  booking (POST @book)                        p50 {booking[0]:7.1f} ms   p95 {booking[1]:7.1f} ms"
    )

    # 20 people at once for the last 5 seats of one slot.
    transaction.begin()
    last = max(booking_api.next_free(calendar, limit=10_000), key=lambda slot: slot.free)
    for index in range(last.free - 5):
        booking_api.book(calendar, last.start, dict(BOOKER, applicant_mobile=f"0936{index:07d}"))
    transaction.commit()

    def attempt(index):
        body = dict(BOOKER, slot=last.key, applicant_mobile=f"0937{index:07d}")
        return requests.post(f"{url}/@book", json=body, headers={"Accept": "application/json"})

    t = time.perf_counter()
    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(attempt, range(20)))
    statuses = [r.status_code for r in responses]
    for r in responses:
        if r.status_code not in (201, 409):
            print("   error:", r.status_code, r.text[:300])
    elapsed = time.perf_counter() - t
    transaction.begin()
    taken = len(calendar.slots[last.key].codes)
    print(
        f"  20 clients for the last 5 seats: {statuses.count(201)} booked, {statuses.count(409)} "
        f"told it was taken (with the next free times), {len(statuses) - statuses.count(201) - statuses.count(409)} "
        f"errors; the slot holds {taken}/{calendar.capacity}; {elapsed * 1000:.0f} ms in all"
    )

    close_site(layer)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filled", type=int, default=3000)
    parser.add_argument("--samples", type=int, default=100)
    args = parser.parse_args(argv)
    run(args.filled, args.samples)


if __name__ == "__main__":
    sys.exit(main())
