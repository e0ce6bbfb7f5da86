"""Notifications: what they add to a request's steps, and how soon they are delivered.

Every step on a request's timeline queues its notifications in the transactional outbox,
in the transaction of the step; a worker sends them after commit. The issue's goal: a
notification adds under 5% to a step's time. Measured in-process on the functional test
layer's site (its changes kept in a FileStorage in a temporary folder, as an instance
keeps them, unless ``--storage memory``), each time *including the commit*:

* the steps ``refer`` (a supervisor, to unit-a and its expert: the expert is emailed in
  every variant), ``reply`` (the expert) and ``resolve`` (the expert) of requests whose
  applicant chose no channel (``none``) or email and SMS (``email+sms``); for reference,
  ``off``: the same with ``notify.on_timeline`` skipped (no notification code at all);
* in three phases: ``stopped``, no worker (messages stored, not sent: the pure cost of
  queuing); ``running``, an ``OutboxWorker`` on the site's database sends mail to a local
  aiosmtpd server and SMS through the "log" gateway while the steps go on back to back (so
  that the figure includes any interference from sending after commit); ``paced``, the
  same worker, but each step starts once the previous one's messages were sent;
* as a second figure, how long after the commit the mail reached the SMTP server
  (matched by Message-ID) and the messages were recorded as sent.

Samples are taken in ``--rounds`` interleaved rounds (in each, every phase and every
variant in turn, the order alternating), so that a slow spell of this shared
machine weighs on every figure alike instead of on one.

Usage: bin/py bench/notifications_bench.py [--samples 50] [--rounds 5] [--storage file]
       [--interval 10] [--profile 0]
Prints figures; fails nothing.
"""

from email import policy
from email.parser import BytesParser

import argparse
import os
import socket
import sys
import threading
import time

# bin/py runs a script with exec(): its folder is not on the path by itself.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import close_site
from benchlib import open_site
from benchlib import percentiles

os.environ.setdefault("zope_i18n_compile_mo_files", "true")
# The test server would start an outbox worker of its own (as `bin/instance fg` does):
# this bench starts and stops its own.
os.environ["SERVICEDESK_OUTBOX_WORKER"] = "off"

APPLICANT = {
    "applicant_name": "مریم احمدی",
    "applicant_national_code": "0084575948",
    "applicant_email": "maryam@example.com",
    "applicant_mobile": "09121234567",
}
VARIANTS = {"off": [], "none": [], "email+sms": ["email", "sms"]}  # name -> notify_channels
STEPS = ("refer", "reply", "resolve")
EXPERT, SUPERVISOR, UNIT = "bench-expert", "bench-supervisor", "unit-a"
WARM_UP = 5  # untimed requests per variant and phase before the first round
GOAL = 5.0  # percent
PHASES = {
    "stopped": "worker stopped: messages stored in the outbox, not sent (the pure cost of queuing)",
    "running": "worker running: an OutboxWorker sends each step's messages after its commit,\n"
    "   while the next step runs (steps back to back, as on a busy desk)",
    "paced": "worker running, paced: each step starts once the previous step's messages were\n"
    "   sent (no sending overlaps a measured step)",
}
WORKER_PHASES = ("running", "paced")
CONFLICTING = {}
# profiled functions shown in --profile's second table (pstats regular expression)
NOTIFICATION_CODE = (
    r"servicedesk/api|plone/api/(user|group|portal|content)\.py|string\.py"
    r"|zope/i18n/__init__|getTitleForStateOnType|unrestrictedSearchResults"
)  # oid of the object a measured commit conflicted on -> how often


# -- a local SMTP server noting when each message arrived --------------------------------


class Arrivals:
    """aiosmtpd handler: message id (from the Message-ID header) -> time.time() on arrival."""

    def __init__(self):
        self.times = {}
        self.duplicates = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        received = time.time()
        headers = BytesParser(policy=policy.default).parsebytes(envelope.content, headersonly=True)
        message_id = str(headers["Message-ID"] or "").strip().strip("<>").split("@")[0]
        with self.lock:
            if message_id in self.times:
                self.duplicates += 1
            else:
                self.times[message_id] = received
        return "250 OK"


def start_smtp():
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    arrivals = Arrivals()
    controller = Controller(arrivals, hostname="127.0.0.1", port=port)
    controller.start()
    controller.arrivals = arrivals
    return controller


# -- the site --------------------------------------------------------------------------------


def set_up_desk(portal, catalog, smtp_port):
    from plone import api

    import transaction

    service = api.content.create(
        container=catalog,
        type="Service",
        id="edu-101",
        service_code="EDU-101",
        title="صدور گواهی اشتغال به تحصیل",
        service_category="education",
        allow_anonymous=True,
        duration_max=3,
        steps=["ثبت | دانشجو", "بررسی | کارشناس"],
    )
    api.content.transition(obj=service, transition="publish")
    api.group.create(groupname=UNIT, title="واحد الف")
    password = "bench-password-1"
    portal.acl_users.userFolderAddUser(EXPERT, password, ["Service Desk Agent"], [])
    api.group.add_user(groupname=UNIT, username=EXPERT)
    api.user.get(userid=EXPERT).setMemberProperties({
        "email": "expert@uni.example",
        "fullname": "کارشناس",
    })
    portal.acl_users.userFolderAddUser(SUPERVISOR, password, ["Service Desk Supervisor"], [])
    api.user.get(userid=SUPERVISOR).setMemberProperties({"email": "supervisor@uni.example"})
    # Plone's mail control panel (MailHost reads the registry when sending).
    api.portal.set_registry_record("plone.smtp_host", "127.0.0.1")
    api.portal.set_registry_record("plone.smtp_port", smtp_port)
    api.portal.set_registry_record("plone.email_from_address", "desk@uni.example")
    api.portal.set_registry_record("plone.email_from_name", "میز خدمت")
    api.portal.set_registry_record("uni.servicedesk.notifications.sms_gateway", "log")
    transaction.commit()
    return service


def committed_step(step, request):
    """Run the step and commit; a conflict with the worker's commits is retried, as Zope
    retries a request (the time includes the failed attempt). Returns (result, retries)."""
    from ZODB.POSException import ConflictError

    import transaction

    conflicts = 0
    while True:
        try:
            result = step(request)
            transaction.commit()
            return result, conflicts
        except ConflictError as error:
            transaction.abort()
            conflicts += 1
            CONFLICTING[error.oid] = CONFLICTING.get(error.oid, 0) + 1


def steps():
    from uni.servicedesk.api import requests as desk_api

    return {
        "refer": (SUPERVISOR, lambda r: desk_api.refer(r, unit=UNIT, expert=EXPERT)),
        "reply": (EXPERT, lambda r: desk_api.reply(r, "پاسخ کارشناس: گواهی آماده است.")),
        "resolve": (EXPERT, lambda r: desk_api.resolve(r, "انجام شد")),
    }


class Bench:
    def __init__(self, portal, service):
        self.portal = portal
        self.service = service
        # (phase, variant, step) -> [seconds]
        self.timings = {}
        self.conflicts = {}
        # messages queued while a worker ran: (phase, variant, step, message id, channel,
        # committed at)
        self.tracked = []
        self.profiler = None

    def one_request(self, variant, phase, timed=True):
        """Submit (not measured), then refer, reply and resolve, each measured with its
        commit, one after the other as a busy desk does: the sending of one step's
        messages overlaps the next step when a worker runs (not when ``paced``)."""
        from plone.app.testing import login
        from plone.app.testing import logout
        from plone.app.testing import TEST_USER_NAME
        from uni.servicedesk.api.notifications import messages as notify
        from uni.servicedesk.api.notifications import outbox as outbox_api
        from uni.servicedesk.api import requests as desk_api

        from uni.servicedesk.api.events import ITimelineEntryAdded
        from uni.servicedesk.content.service_request import IServiceRequest
        from zope.component import getGlobalSiteManager

        # "off": the notifications' subscriber is taken out for the run.
        subscribed = (IServiceRequest, ITimelineEntryAdded)
        if variant == "off":
            getGlobalSiteManager().unregisterHandler(notify.on_timeline, subscribed)
        try:
            logout()
            data = dict(
                APPLICANT, kind="request", subject="بنچمارک", notify_channels=VARIANTS[variant]
            )
            request, _ = committed_step(
                lambda service: desk_api.submit(data, service=service), self.service
            )
            for name, (actor, step) in steps().items():
                if phase == "paced":
                    drain(self.portal)  # the previous commit's messages are sent first
                login(self.portal, actor)
                started_wall = time.time()
                started = time.perf_counter()
                if self.profiler is not None:
                    self.profiler.enable()
                _, conflicts = committed_step(step, request)
                elapsed = time.perf_counter() - started
                if self.profiler is not None:
                    self.profiler.disable()
                committed_at = time.time()
                if not timed:
                    continue
                key = (phase, variant, name)
                self.timings.setdefault(key, []).append(elapsed)
                self.conflicts[key] = self.conflicts.get(key, 0) + conflicts
                if phase in WORKER_PHASES:
                    box = outbox_api.get_outbox(self.portal)
                    for message in outbox_api.messages_of_request(box, request.tracking_code):
                        if message.created >= started_wall:
                            self.tracked.append((
                                phase,
                                variant,
                                name,
                                message.id,
                                message.channel,
                                committed_at,
                            ))
        finally:
            if variant == "off":
                getGlobalSiteManager().registerHandler(notify.on_timeline, subscribed)
            login(self.portal, TEST_USER_NAME)  # the Manager open_site logged in


def pending(portal):
    """Queued messages a worker will send now: not those waiting for a retry (a failed
    attempt), nor those *stranded*: claimed by a pass that sent them but could not record
    it; they stay "sending" until their lease runs out, then are sent again."""
    from uni.servicedesk.api.notifications import outbox as outbox_api

    import transaction

    transaction.begin()  # see what the worker committed
    box = outbox_api.get_outbox(portal)
    now = time.time()
    waiting = 0
    for message in outbox_api.waiting(box, limit=10**9):  # not yet sent, dead or held
        if message.state == outbox_api.SENDING:
            if message.claimed_until - outbox_api.LEASE_SECONDS < now - 10:
                continue  # stranded (claimed over 10 s ago)
        elif message.next_attempt > now + 1:
            continue  # retried later
        waiting += 1
    return waiting


def drain(portal, timeout=60):
    """Wait until the running worker has sent what it can send now; the number left."""
    deadline = time.time() + timeout
    while pending(portal) and time.time() < deadline:
        time.sleep(0.01)
    return pending(portal)


def outbox_health(portal):
    """(sent, queued for a retry, stranded in "sending", dead) over the whole outbox."""
    from uni.servicedesk.api.notifications import outbox as outbox_api

    import transaction

    transaction.begin()
    box = outbox_api.get_outbox(portal)
    counts = {"sent": 0, "retry": 0, "stranded": 0, "dead": len(box.dead)}
    for message in box.messages.values():
        if message.state == outbox_api.SENT:
            counts["sent"] += 1
        elif message.state == outbox_api.SENDING:
            counts["stranded"] += 1
        elif message.state == outbox_api.PENDING and message.attempts:
            counts["retry"] += 1
    return counts


class WorkerLog:
    """Keeps the outbox worker's warnings and errors (not printed as they come)."""

    def __init__(self):
        import logging

        self.records = []
        self.logger = logging.getLogger("uni.servicedesk.outbox")
        handler = logging.Handler(logging.WARNING)
        handler.emit = self.records.append
        self.logger.addHandler(handler)
        self.logger.propagate = False

    def report(self):
        import collections
        import re

        if not self.records:
            print("  the worker logged no warning or error")
            return
        kinds = collections.Counter()
        for record in self.records:
            what = record.getMessage().split(":")[0][:80]
            if record.exc_info:
                error = record.exc_info[1]
                on = re.search(r"class ([\w.]+)", str(error))
                what += f": {type(error).__name__}" + (f" on a {on.group(1)}" if on else "")
            kinds[(record.levelname, what)] += 1
        for (level, what), count in kinds.most_common():
            print(f"  worker {level.lower()} ×{count}: {what}")


def start_worker(db, interval):
    from uni.servicedesk.api import scheduler

    for worker in scheduler._running:
        print(f"  warning: a worker still runs ({worker.name})")

    worker = scheduler.Scheduler(db, interval=interval, name="bench outbox worker")
    worker.start()
    return worker


def report(bench, phases, variants):
    rows = {}
    for phase, title in phases:
        print(f"\n== {title}", flush=True)
        print(
            f"  {'step':8s} {'channels':10s} {'p50 ms':>8s} {'p95 ms':>8s}   {'added (p50)':>22s}   conflicts"
        )
        for name in STEPS:
            base = percentiles(bench.timings[(phase, "none", name)])[0]
            for variant in variants:
                key = (phase, variant, name)
                p50, p95 = percentiles(bench.timings[key])
                rows[key] = (p50, p95)
                added = ""
                if variant == "email+sms":
                    added = f"{p50 - base:+6.1f} ms {100 * (p50 - base) / base:+6.1f}% vs none"
                elif variant == "none" and "off" in variants:
                    off = percentiles(bench.timings[(phase, "off", name)])[0]
                    added = f"{p50 - off:+6.1f} ms {100 * (p50 - off) / off:+6.1f}% vs off"
                print(
                    f"  {name:8s} {variant:10s} {p50:8.1f} {p95:8.1f}   {added:>22s}   "
                    f"{bench.conflicts.get(key, 0)}",
                    flush=True,
                )
        if "off" in variants:
            print(
                "  all notification code (email+sms vs off, p50):",
                ", ".join(
                    f"{name} {rows[(phase, 'email+sms', name)][0] - rows[(phase, 'off', name)][0]:+.1f} ms "
                    f"({100 * (rows[(phase, 'email+sms', name)][0] / rows[(phase, 'off', name)][0] - 1):+.1f}%)"
                    for name in STEPS
                ),
            )
    return rows


def report_conflicts(portal):
    """Which objects the measured commits conflicted on (with the worker's commits)."""
    from uni.servicedesk.api.notifications import outbox as outbox_api

    if not CONFLICTING:
        print("\n  no measured commit conflicted with the worker's")
        return
    box = outbox_api.get_outbox(portal)
    names = {
        getattr(box, attr)._p_oid: f"outbox.{attr}"
        for attr in (
            "messages",
            "queue",
            "dead",
            "held",
            "by_request",
            "preferences",
            "sent_count",
            "pending_count",
            "cursor",
        )
    }
    names[box._p_oid] = "outbox"
    connection = box._p_jar
    described = []
    for oid, count in sorted(CONFLICTING.items(), key=lambda item: -item[1]):
        name = names.get(oid)
        if name is None and oid is not None:
            try:
                name = type(connection.get(oid)).__name__
            except Exception:
                name = repr(oid)
        described.append(f"{name or 'unknown'} ×{count}")
    print(
        "\n  measured commits that conflicted with the worker's (retried; their time counted):",
        ", ".join(described),
    )


def report_delivery(bench, smtp, portal):
    from uni.servicedesk.api.notifications import outbox as outbox_api

    arrivals = smtp.arrivals.times
    box = outbox_api.get_outbox(portal)
    for phase in WORKER_PHASES:
        report_delivery_of(bench, arrivals, box, phase)
    print("  (none: the expert's email of each refer; the applicant chose no channel)")


def report_delivery_of(bench, arrivals, box, phase):
    print(f"\n== delivery after commit ({phase}; the messages of the measured steps)", flush=True)
    for channel, what in (
        ("email", "commit -> SMTP server received"),
        ("email", "commit -> recorded as sent"),
        ("sms", "commit -> recorded as sent (log gateway)"),
    ):
        for variants in (("email+sms",), ("none",)):
            latencies, missing = [], 0
            for phase_, variant, _step, message_id, kind, committed_at in bench.tracked:
                if kind != channel or variant not in variants or phase_ != phase:
                    continue
                if what.endswith("received"):
                    arrived = arrivals.get(message_id)
                else:
                    message = box.messages.get(message_id)
                    arrived = message.sent_at if message is not None else None
                if arrived is None:
                    missing += 1
                else:
                    latencies.append(arrived - committed_at)
            if not latencies and not missing:
                continue
            label = f"{channel} ({variants[0]}): {what}"
            if latencies:
                p50, p95 = percentiles(latencies)
                print(
                    f"  {label:58s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
                    f"({len(latencies)} messages, {missing} not delivered)",
                    flush=True,
                )
            else:
                print(f"  {label:58s} none delivered ({missing} messages)", flush=True)


def profile(bench, count):
    """cProfile of ``count`` requests' steps (refer, reply, resolve, each with its commit)
    with email+sms, worker stopped; the submissions are not profiled."""
    import cProfile
    import io
    import pstats

    bench.profiler = cProfile.Profile()
    try:
        for _ in range(count):
            bench.one_request("email+sms", "profile", timed=False)
    finally:
        profiler, bench.profiler = bench.profiler, None
    stats = pstats.Stats(profiler, stream=io.StringIO())
    print(
        f"\n== cProfile of {count} requests' refer+reply+resolve, each with its commit "
        f"(email+sms, worker stopped): {stats.total_tt * 1000 / count / len(STEPS):.1f} ms per "
        "step under the profiler"
    )
    sections = (
        ("the whole step, by cumulative time", "cumulative", (25,)),
        (
            "the add-on's functions and what notifications call, by cumulative time",
            "cumulative",
            (NOTIFICATION_CODE, 40),
        ),
    )
    for title, sort, restrictions in sections:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(*restrictions)
        print(f"\n-- {title}")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())
    for function in ("on_timeline", "values", "notify_staff", "notify_applicant"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_callees(
            rf"messages.py:\d+\({function}\)"
        )
        print(f"\n-- what notify.{function} calls")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())
    # A catalog search flushes CMF's indexing queue: the request is indexed there and
    # again at commit.
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).print_callers(r"indexing.py:\d+\(processQueue\)")
    print("\n-- who flushes the indexing queue (catalog_object runs in each flush with work)")
    print(out.getvalue().split("\n\n", 1)[-1].rstrip())


def run(samples, rounds, storage, interval, with_off, profile_count):
    import transaction

    directory = None
    if storage == "file":
        import tempfile

        from requests_bench import keep_changes_on_disk

        directory = tempfile.mkdtemp(prefix="notifications-bench-")
        keep_changes_on_disk(directory)
    smtp = start_smtp()
    worker_log = WorkerLog()
    layer, portal, _base, catalog = open_site()
    db = layer["zodbDB"]
    service = set_up_desk(portal, catalog, smtp.port)
    bench = Bench(portal, service)
    variants = (["off"] if with_off else []) + ["none", "email+sms"]
    per_round = max(1, samples // rounds)
    kept = (
        "a FileStorage in a temporary folder (under the layer's DemoStorage)"
        if storage == "file"
        else "memory (the layer's DemoStorage)"
    )
    print(
        f"changes kept in: {kept}; "
        f"{rounds} rounds × {per_round} requests per variant and phase; "
        f"worker interval {interval} s (woken after each commit that queued messages); "
        f"mail to aiosmtpd on 127.0.0.1:{smtp.port}, SMS to the log gateway",
        flush=True,
    )

    started = time.time()
    for phase in PHASES:
        worker = start_worker(db, interval) if phase in WORKER_PHASES else None
        for variant in variants:
            for _ in range(WARM_UP):
                bench.one_request(variant, phase, timed=False)
        if worker:
            drain(portal)
            worker.stop()
    for round_ in range(rounds):
        order = variants if round_ % 2 == 0 else list(reversed(variants))
        phases = list(PHASES) if round_ % 2 == 0 else list(reversed(PHASES))
        for phase in phases:
            worker = None
            if phase in WORKER_PHASES:
                worker = start_worker(db, interval)
                left = drain(portal)  # what the stopped phase queued, sent before measuring
                if left:
                    print(f"  warning: {left} messages still queued before the {phase} phase")
            for variant in order:
                for _ in range(per_round):
                    bench.one_request(variant, phase)
                if worker:
                    drain(portal)  # one variant's sending does not spill into the next
            if worker:
                worker.stop()
        print(f"  round {round_ + 1}/{rounds} done ({time.time() - started:.0f} s)", flush=True)

    # messages still unsent (the stopped phase's last ones): sent now, not measured
    worker = start_worker(db, interval)
    drain(portal)
    time.sleep(0.5)
    worker.stop()
    transaction.begin()
    print(f"  measured in {time.time() - started:.0f} s", flush=True)

    report(bench, list(PHASES.items()), variants)
    report_conflicts(portal)
    report_delivery(bench, smtp, portal)
    health = outbox_health(portal)
    print(
        f"\n== the outbox afterwards: {health['sent']} sent, {health['retry']} waiting for a retry, "
        f"{health['stranded']} stranded in 'sending' (sent, not recorded: sent again when the "
        f"lease runs out), {health['dead']} dead; the SMTP server received "
        f"{len(smtp.arrivals.times)} messages, {smtp.arrivals.duplicates} of them twice"
    )
    worker_log.report()
    print(
        f"\n  goal: a notification adds under {GOAL:.0f}% to a step's time (email+sms vs none, p50)."
    )

    if profile_count:
        profile(bench, profile_count)

    smtp.stop()
    close_site(layer)
    if directory:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=50, help="requests per variant and phase")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--storage",
        choices=["file", "memory"],
        default="file",
        help="where the site's changes go: a FileStorage (as deployed) or memory",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=10.0,
        help="the worker's pause between passes when not woken (as an instance)",
    )
    parser.add_argument(
        "--no-off",
        action="store_true",
        help="leave out the reference variant with the notification code skipped",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, cProfile N requests' steps with email+sms",
    )
    args = parser.parse_args(argv)
    run(args.samples, args.rounds, args.storage, args.interval, not args.no_off, args.profile)


if __name__ == "__main__":
    sys.exit(main())
