"""Who may do what, through the real publisher: every role × every action on requests,
services and bookings, with the expectations written as one table (``MATRIX``).

Each cell is a case run through plone.restapi or a classic page, as the person of that
column (Basic auth; anonymous without), and judged by what happened, read back from the
database where the answer could hide it (content_status_modify answers a redirect whether
it did the transition or not):

- ``Y``: allowed, and done;
- ``-``: refused, and nothing changed — a leak if it was done;
- ``?``: either (a transition whose other preconditions are kept by the desk's rules).

A 5xx fails any case. Cells that write get an object of their own, so a case never
depends on the one before it. The site is built once for the module; the test prints how
many cases it checked.
"""

from plone import api
from plone.app.redirector.interfaces import IRedirectionStorage
from plone.app.testing import login
from plone.app.testing import logout
from plone.protect.authenticator import createToken
from tests.conftest import clear_committed_counters
from tests.helpers import Upload
from tests.integrity.conftest import build_desk
from tests.integrity.conftest import request_in
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.testing import TEST_PASSWORD
from zope.component import getUtility

import json
import pytest
import requests as http
import time
import transaction

# The columns: who, as which test user (None: a visitor not logged in).
USERS = {
    "anon": None,
    "appl": "test-member",  # the applicant: submitted the requests, owns them
    "memb": "other-member",  # another member
    "expA": "expert-a",  # an expert of unit-a, which the requests are referred to
    "expB": "expert-b",  # an expert of unit-b
    "sup": "test-supervisor",
    "edit": "test-editor",  # Service Editor
    "rev": "test-reviewer",  # Reviewer
    "sadm": "test-siteadmin",
    "mgr": "test-manager",
}

MATRIX = """
action                                        anon appl memb expA expB sup  edit rev  sadm mgr
request: view (REST)                          -    Y    -    Y    -    Y    -    -    Y    Y
request: view (page)                          -    Y    -    Y    -    Y    -    -    Y    Y
request: attachment (@@request-file)          -    Y    -    Y    -    Y    -    -    Y    Y
request: internal notes                       -    -    -    Y    -    Y    -    -    Y    Y
request: found by @search                     -    Y    -    Y    -    Y    -    -    Y    Y
request: edit (PATCH)                         -    -    -    -    -    -    -    -    -    Y
request: delete (DELETE)                      -    -    -    -    -    -    -    -    -    Y
request: delete (delete_confirmation)         -    -    -    -    -    -    -    -    -    Y
request: delete (folder contents)             -    -    -    -    -    -    -    -    -    Y
request: rename (folder contents)             -    -    -    -    -    -    -    -    -    -
request: cut (folder contents)                -    -    -    -    -    -    -    -    -    -
request: @sharing GET                         -    -    -    -    -    -    -    -    -    Y
request: @sharing POST                        -    -    -    -    -    -    -    -    -    Y
request: Sharing tab (@@sharing)              -    -    -    -    -    -    -    -    -    Y
request: @aliases POST                        -    -    -    -    -    -    -    -    -    -
request: aliases page (@@manage-aliases)      -    -    -    -    -    -    -    -    -    -
request: @track, right verifier               Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
request: @track, wrong verifier               -    -    -    -    -    -    -    -    -    -
transition assign                             -    -    -    -    -    ?    -    -    ?    ?
transition start                              -    -    -    Y    -    Y    -    -    Y    Y
transition ask_applicant                      -    -    -    ?    -    ?    -    -    ?    ?
transition applicant_responds                 -    ?    -    -    -    -    -    -    -    -
transition resume                             -    -    -    Y    -    Y    -    -    Y    Y
transition resolve                            -    -    -    Y    -    Y    -    -    Y    Y
transition close                              -    -    -    -    -    Y    -    -    Y    Y
transition reopen                             -    Y    -    -    -    -    -    -    -    -
transition reject                             -    -    -    -    -    Y    -    -    Y    Y
transition withdraw                           -    Y    -    -    -    -    -    -    -    -
transition hand_back                          -    -    -    Y    -    Y    -    -    Y    Y
transition merge                              -    -    -    ?    -    ?    -    -    ?    ?
service: view, published                      Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
service: view, private                        -    -    -    -    -    -    Y    Y    Y    Y
service: edit, published (PATCH)              -    -    -    -    -    -    Y    -    Y    Y
service: delete, with requests (DELETE)       -    -    -    -    -    -    -    -    -    -
service: delete, with requests (page)         -    -    -    -    -    -    -    -    -    -
service: rename, with requests (PATCH)        -    -    -    -    -    -    -    -    -    -
service: delete, without requests             -    -    -    -    -    -    -    -    Y    Y
service: archive (@workflow)                  -    -    -    -    -    -    -    Y    Y    Y
service: @sharing GET                         -    -    -    -    -    -    -    Y    Y    Y
service: @aliases POST                        -    -    -    -    -    -    -    -    Y    Y
booking: follow, right verifier               Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
booking: follow, wrong verifier               -    -    -    -    -    -    -    -    -    -
booking: the day's bookings (staff page)      -    -    -    Y    Y    Y    -    -    Y    Y
booking: delete its calendar (DELETE)         -    -    -    -    -    -    -    -    -    -
booking: delete its calendar (page)           -    -    -    -    -    -    -    -    -    -
site: cartable (page)                         -    -    -    Y    Y    Y    -    -    Y    Y
site: cartable (REST)                         -    -    -    Y    Y    Y    -    -    Y    Y
site: cartable lists unit-a's request         -    -    -    Y    -    Y    -    -    Y    Y
site: requests folder (REST)                  -    -    -    -    -    Y    -    -    Y    Y
site: @@servicedesk-settings (control panel)  -    -    -    -    -    -    -    -    Y    Y
site: @@servicedesk-sla (control panel)       -    -    -    -    -    -    -    -    Y    Y
site: @@servicedesk-notifications (settings)  -    -    -    -    -    -    -    -    Y    Y
site: @@servicedesk-notification-templates   -    -    -    -    -    -    -    -    Y    Y
site: @@servicedesk-outbox                    -    -    -    -    -    -    -    -    Y    Y
site: @@canned-responses                      -    -    -    -    -    Y    -    -    Y    Y
site: @@notification-preferences (staff)      -    -    -    Y    Y    Y    -    -    Y    Y
"""
# Each transition is tried through both doors, from this state of a request referred to
# unit-a (a submitted one is referred to nobody yet).
TRANSITION_DOORS = ("@workflow", "content_status_modify")
SOURCE_STATE = {
    "assign": "submitted",
    "start": "assigned",
    "ask_applicant": "in_progress",
    "applicant_responds": "awaiting_applicant",
    "resume": "awaiting_applicant",
    "resolve": "in_progress",
    "close": "resolved",
    "reopen": "resolved",
    "reject": "in_progress",
    "withdraw": "in_progress",
    "hand_back": "in_progress",
    "merge": "in_progress",
}
TARGET_STATE = {
    "assign": "assigned",
    "start": "in_progress",
    "ask_applicant": "awaiting_applicant",
    "applicant_responds": "in_progress",
    "resume": "in_progress",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "in_progress",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "hand_back": "submitted",
    "merge": "merged",
}
INTERNAL_NOTE = "یادداشت داخلی-۷۳۱"
BOOKER = {"applicant_name": "سارا محمدی", "applicant_mobile": "09127654321"}


def parse(table):
    """{action: {role: "Y" | "-" | "?"}} from the table's lines."""
    lines = table.strip().splitlines()
    header = lines[0].split()
    roles = header[1:]
    assert roles == list(USERS), roles
    expected = {}
    for line in lines[1:]:
        cells = line.split()
        action, marks = " ".join(cells[: -len(roles)]), cells[-len(roles) :]
        assert all(mark in ("Y", "-", "?") for mark in marks), line
        expected[action] = dict(zip(roles, marks, strict=False))
    return expected


class ServerError(AssertionError):
    pass


def done(response, ok=(200, 201, 204)):
    """True for a success, False for a refusal; a 5xx is an error of its own."""
    if response.status_code >= 500:
        raise ServerError(f"{response.status_code}: {response.text[:400]}")
    return response.status_code in ok


class Desk:
    """The site, its people and what they act on; objects made on demand, committed."""

    def __init__(self, portal):
        self.portal = portal
        self.url = portal.absolute_url()
        self.service = build_desk(portal)
        self.sessions = {role: self._session(user) for role, user in USERS.items()}
        self.tokens = {}
        self.shared = {}
        self.pool = {}
        self._drafts = 0
        # The request everyone reads: referred to unit-a, worked, a file and a note.
        viewed = request_in("in_progress", self.service)
        login(portal, "expert-a")
        desk_api.reply(viewed, "پاسخ با پیوست", uploads=[Upload(filename="result.pdf")])
        desk_api.note(viewed, INTERNAL_NOTE)
        self.viewed = viewed.tracking_code
        self.attachment = desk_api.attachments(viewed, "result")[0]["id"]
        # Waiting for the applicant: in unit-a's "awaiting" tab.
        self.awaiting = request_in("awaiting_applicant", self.service).tracking_code
        # A calendar of the service with a booking: it may not go.
        from tests.appointments.conftest import make_calendar
        from uni.servicedesk.api import appointments as booking_api

        login(portal, "test-manager")
        self.calendar = make_calendar(self.service, capacity=3, min_notice_hours=0)
        logout()
        slot = booking_api.next_free(self.calendar)[0]
        self.booking = booking_api.book(self.calendar, slot.start, dict(BOOKER)).tracking_code
        login(portal, "test-manager")
        self.draft_service = self.new_service(publish=False)
        self.unused_service = self.new_service()
        logout()
        transaction.commit()

    def _session(self, user):
        session = http.Session()
        if user:
            session.auth = (user, TEST_PASSWORD)
        return session

    def token(self, role):
        """The user's CSRF token for classic forms."""
        if role not in self.tokens:
            if USERS[role]:
                login(self.portal, USERS[role])
            else:
                logout()
            self.tokens[role] = createToken()
            logout()
        return self.tokens[role]

    def new_service(self, publish=True):
        from tests.helpers import make_service

        self._drafts += 1
        login(self.portal, "test-manager")
        service = make_service(
            self.service.__parent__, code=f"TMP-{self._drafts:03d}", publish=publish
        )
        logout()
        return service

    # -- requests ----------------------------------------------------------------------

    def request(self, state, fresh):
        """A request of the applicant in ``state``: one of its own when the case may change
        it (one a transition left in that state, or a new one)."""
        if not fresh and state in self.shared:
            return self.shared[state]
        if fresh and self.pool.get(state):
            return self.pool[state].pop()
        request = request_in(state, self.service)
        logout()
        transaction.commit()
        if not fresh:
            self.shared[state] = request.tracking_code
        return request.tracking_code

    def recycle(self, code, state):
        """A request an allowed transition brought to ``state``: the next case's own."""
        self.pool.setdefault(state, []).append(code)

    def forget(self, state):
        """The shared request of ``state`` was changed (a leak): the next case gets another."""
        self.shared.pop(state, None)

    def get(self, role, path, json_api=True, params=None):
        headers = {"Accept": "application/json" if json_api else "text/html"}
        if not json_api:
            # The page without Plone's frame (ajax_main_template): the same view and the
            # same security checks, less to render.
            params = dict(params or {}, ajax_load="1")
        return self.sessions[role].get(
            self.url + path, headers=headers, params=params, allow_redirects=False
        )

    def send(self, role, method, path, json_api=True, **kwargs):
        headers = {"Accept": "application/json" if json_api else "text/html"}
        return self.sessions[role].request(
            method, self.url + path, headers=headers, allow_redirects=False, **kwargs
        )

    def form(self, role, path, data):
        """A classic form POST with the user's CSRF token."""
        return self.send(
            role, "POST", path, json_api=False, data=dict(data, _authenticator=self.token(role))
        )

    @staticmethod
    def fetch(code):
        transaction.begin()
        return desk_api.find_by_code(code)


# -- the doors: each returns whether the action was done -----------------------------------


def view_rest(desk, role, mark):
    return done(desk.get(role, f"/requests/{desk.viewed}"))


def view_page(desk, role, mark):
    return done(desk.get(role, f"/requests/{desk.viewed}", json_api=False))


def attachment(desk, role, mark):
    response = desk.get(
        role, f"/requests/{desk.viewed}/@@request-file?id={desk.attachment}", json_api=False
    )
    return done(response) and response.content.startswith(b"%PDF")


def internal_notes(desk, role, mark):
    response = desk.get(role, f"/requests/{desk.viewed}")
    return done(response) and INTERNAL_NOTE in [e["text"] for e in response.json()["timeline"]]


def found_by_search(desk, role, mark):
    response = desk.get(
        role, "/@search", params={"portal_type": "ServiceRequest", "tracking_code": desk.viewed}
    )
    return done(response) and response.json()["items_total"] > 0


def edit_request(desk, role, mark):
    code = desk.request("in_progress", fresh=mark != "-")
    response = desk.send(role, "PATCH", f"/requests/{code}", json={"priority": "urgent"})
    changed = desk.fetch(code).priority == "urgent"
    if changed and mark == "-":
        desk.forget("in_progress")
    return done(response) and changed


def _gone(desk, code, mark, response):
    gone = desk.fetch(code) is None
    if gone and mark == "-":
        desk.forget("resolved")
    return done(response, ok=(200, 204, 302)) and gone


def delete_rest(desk, role, mark):
    code = desk.request("resolved", fresh=mark != "-")
    return _gone(desk, code, mark, desk.send(role, "DELETE", f"/requests/{code}"))


def delete_page(desk, role, mark):
    code = desk.request("resolved", fresh=mark != "-")
    response = desk.form(
        role, f"/requests/{code}/delete_confirmation", {"form.buttons.Delete": "Delete"}
    )
    return _gone(desk, code, mark, response)


def delete_folder_contents(desk, role, mark):
    code = desk.request("resolved", fresh=mark != "-")
    uid = desk.fetch(code).UID()
    response = desk.form(role, "/requests/@@fc-delete", {"selection": json.dumps([uid])})
    return _gone(desk, code, mark, response)


def rename_folder_contents(desk, role, mark):
    code = desk.request("resolved", fresh=mark != "-")
    uid = desk.fetch(code).UID()
    response = desk.form(
        role,
        "/requests/@@fc-rename",
        {"UID_0": uid, "newid_0": f"renamed-{role}", "newtitle_0": "عنوان دیگر"},
    )
    renamed = desk.fetch(code) is None
    if renamed and mark == "-":
        desk.forget("resolved")
    return done(response) and renamed


def cut_folder_contents(desk, role, mark):
    code = desk.request("resolved", fresh=False)
    uid = desk.fetch(code).UID()
    response = desk.form(role, "/requests/@@fc-cut", {"selection": json.dumps([uid])})
    return done(response) and response.json().get("status") == "success"


def sharing_get(desk, role, mark):
    return done(desk.get(role, f"/requests/{desk.viewed}/@sharing"))


def sharing_post(desk, role, mark):
    code = desk.request("in_progress", fresh=mark != "-")
    response = desk.send(
        role,
        "POST",
        f"/requests/{code}/@sharing",
        json={
            "entries": [
                {"id": "other-member", "type": "user", "roles": {"Editor": True, "Reader": True}}
            ]
        },
    )
    shared = "other-member" in dict(desk.fetch(code).get_local_roles())
    if shared and mark == "-":
        desk.forget("in_progress")
    return done(response) and shared


def sharing_page(desk, role, mark):
    return done(desk.get(role, f"/requests/{desk.viewed}/@@sharing", json_api=False))


def aliases_post(desk, role, mark):
    alias = f"/alias-{role}-{int(time.time() * 1000)}"
    response = desk.send(
        role, "POST", f"/requests/{desk.viewed}/@aliases", json={"items": [{"path": alias}]}
    )
    transaction.begin()
    stored = getUtility(IRedirectionStorage).get("/plone" + alias) is not None
    return done(response) and stored


def aliases_page(desk, role, mark):
    return done(desk.get(role, f"/requests/{desk.viewed}/@@manage-aliases", json_api=False))


def track(verifier):
    def door(desk, role, mark):
        clear_committed_counters()  # wrong verifiers of earlier cases count no more
        response = desk.send(
            role, "POST", "/@track", json={"code": desk.viewed, "verifier": verifier}
        )
        return done(response) and response.json()["tracking_code"] == desk.viewed

    return door


def transition(name, door):
    def fire(desk, role, mark):
        source = SOURCE_STATE[name]
        code = desk.request(source, fresh=mark != "-")
        if door == "@workflow":
            response = desk.send(
                role, "POST", f"/requests/{code}/@workflow/{name}", json={"comment": "ماتریس"}
            )
        else:
            response = desk.form(
                role,
                f"/requests/{code}/content_status_modify",
                {"workflow_action": name, "comment": "ماتریس"},
            )
        state = desk_api.state(desk.fetch(code))
        if state != source and mark == "-":
            desk.forget(source)
        done(response, ok=range(100, 500))  # a 5xx is never an answer
        if state == TARGET_STATE[name] and mark == "Y":
            desk.recycle(code, state)
        return state == TARGET_STATE[name]

    return fire


# -- services ----------------------------------------------------------------------------


def service_path(service):
    return "/" + "/".join(service.getPhysicalPath()[2:])


def service_view(which):
    def door(desk, role, mark):
        service = desk.service if which == "published" else desk.draft_service
        return done(desk.get(role, service_path(service)))

    return door


def service_edit(desk, role, mark):
    text = f"ویرایش {role}"
    response = desk.send(role, "PATCH", service_path(desk.service), json={"description": text})
    transaction.begin()
    return done(response) and desk.service.Description() == text


def _service_gone(desk, response):
    transaction.begin()
    stays = "edu-101" in desk.service.__parent__.objectIds()
    return done(response) and not stays


def service_delete_rest(desk, role, mark):
    return _service_gone(desk, desk.send(role, "DELETE", service_path(desk.service)))


def service_delete_page(desk, role, mark):
    path = service_path(desk.service) + "/delete_confirmation"
    return _service_gone(desk, desk.form(role, path, {"form.buttons.Delete": "Delete"}))


def service_rename(desk, role, mark):
    response = desk.send(role, "PATCH", service_path(desk.service), json={"id": "edu-101-x"})
    return _service_gone(desk, response)


def service_delete_unused(desk, role, mark):
    service = desk.new_service(publish=False) if mark != "-" else desk.draft_service
    transaction.commit()
    service_id, catalog = service.getId(), service.__parent__
    response = desk.send(role, "DELETE", service_path(service))
    transaction.begin()
    return done(response) and service_id not in catalog.objectIds()


def service_archive(desk, role, mark):
    service = desk.new_service() if mark != "-" else desk.unused_service
    transaction.commit()
    response = desk.send(role, "POST", service_path(service) + "/@workflow/archive")
    transaction.begin()
    return done(response) and api.content.get_state(service) == "archived"


def service_sharing_get(desk, role, mark):
    return done(desk.get(role, service_path(desk.service) + "/@sharing"))


def service_aliases_post(desk, role, mark):
    alias = f"/service-alias-{role}"
    response = desk.send(
        role, "POST", service_path(desk.service) + "/@aliases", json={"items": [{"path": alias}]}
    )
    transaction.begin()
    return done(response) and getUtility(IRedirectionStorage).get("/plone" + alias) is not None


# -- bookings ----------------------------------------------------------------------------


def booking_follow(verifier):
    def door(desk, role, mark):
        clear_committed_counters()  # wrong verifiers of earlier cases count no more
        response = desk.send(
            role, "POST", "/@appointment", json={"code": desk.booking, "verifier": verifier}
        )
        return done(response) and response.json()["tracking_code"] == desk.booking

    return door


def booking_day(desk, role, mark):
    return done(desk.get(role, service_path(desk.calendar) + "/@@appointments-day", json_api=False))


def _calendar_gone(desk, response):
    transaction.begin()
    return done(response) and "appointments" not in desk.service.objectIds()


def calendar_delete_rest(desk, role, mark):
    return _calendar_gone(desk, desk.send(role, "DELETE", service_path(desk.calendar)))


def calendar_delete_page(desk, role, mark):
    path = service_path(desk.calendar) + "/delete_confirmation"
    return _calendar_gone(desk, desk.form(role, path, {"form.buttons.Delete": "Delete"}))


# -- the site ----------------------------------------------------------------------------


def page(path):
    def door(desk, role, mark):
        return done(desk.get(role, path, json_api=False))

    return door


def cartable_rest(desk, role, mark):
    return done(desk.get(role, "/@cartable"))


def cartable_lists(desk, role, mark):
    response = desk.get(role, "/@cartable", params={"tab": "awaiting"})
    return done(response) and desk.awaiting in response.text


def folder_rest(desk, role, mark):
    return done(desk.get(role, "/requests"))


DOORS = {
    "request: view (REST)": view_rest,
    "request: view (page)": view_page,
    "request: attachment (@@request-file)": attachment,
    "request: internal notes": internal_notes,
    "request: found by @search": found_by_search,
    "request: edit (PATCH)": edit_request,
    "request: delete (DELETE)": delete_rest,
    "request: delete (delete_confirmation)": delete_page,
    "request: delete (folder contents)": delete_folder_contents,
    "request: rename (folder contents)": rename_folder_contents,
    "request: cut (folder contents)": cut_folder_contents,
    "request: @sharing GET": sharing_get,
    "request: @sharing POST": sharing_post,
    "request: Sharing tab (@@sharing)": sharing_page,
    "request: @aliases POST": aliases_post,
    "request: aliases page (@@manage-aliases)": aliases_page,
    "request: @track, right verifier": track("09121234567"),
    "request: @track, wrong verifier": track("09120000000"),
    "service: view, published": service_view("published"),
    "service: view, private": service_view("private"),
    "service: edit, published (PATCH)": service_edit,
    "service: delete, with requests (DELETE)": service_delete_rest,
    "service: delete, with requests (page)": service_delete_page,
    "service: rename, with requests (PATCH)": service_rename,
    "service: delete, without requests": service_delete_unused,
    "service: archive (@workflow)": service_archive,
    "service: @sharing GET": service_sharing_get,
    "service: @aliases POST": service_aliases_post,
    "booking: follow, right verifier": booking_follow(BOOKER["applicant_mobile"]),
    "booking: follow, wrong verifier": booking_follow("09120000000"),
    "booking: the day's bookings (staff page)": booking_day,
    "booking: delete its calendar (DELETE)": calendar_delete_rest,
    "booking: delete its calendar (page)": calendar_delete_page,
    "site: cartable (page)": page("/@@cartable"),
    "site: cartable (REST)": cartable_rest,
    "site: cartable lists unit-a's request": cartable_lists,
    "site: requests folder (REST)": folder_rest,
}
for _action in parse(MATRIX):
    if _action.startswith("site: @@"):  # a page of the site, named by the line
        DOORS[_action] = page("/" + _action.split()[1])


def cases():
    """(action, door, role, mark) for every cell, transitions once per door."""
    for action, marks in parse(MATRIX).items():
        if action.startswith("transition "):
            name = action.split()[1]
            for door_name in TRANSITION_DOORS:
                yield f"{action} via {door_name}", transition(name, door_name), marks
        else:
            yield action, DOORS[action], marks


@pytest.fixture(scope="module")
def desk(functional_session):
    """The functional site, built once for the module."""
    layer = functional_session
    # zope.pytestlayer set the layer up for the session; a test set-up of our own stacks
    # a database for this module alone (as pytest-plone's class fixtures do per class).
    layer.testSetUp()
    desk = None
    try:
        desk = Desk(layer["portal"])
        yield desk
    finally:
        for session in desk.sessions.values() if desk else ():
            session.close()
        transaction.abort()
        layer.testTearDown()


def test_the_matrix_names_every_transition(desk):
    workflow = api.portal.get_tool("portal_workflow")["service_request_workflow"]
    in_table = {a.split()[1] for a in parse(MATRIX) if a.startswith("transition ")}
    assert in_table == set(workflow.transitions.objectIds()) == set(SOURCE_STATE)


def test_permission_matrix(desk, capsys):
    started = time.time()
    checked, wrong = 0, []
    for action, door, marks in cases():
        for role, mark in marks.items():
            checked += 1
            try:
                did = door(desk, role, mark)
            except ServerError as error:
                wrong.append(f"{action} as {role}: server error {error}")
                continue
            if mark == "Y" and not did:
                wrong.append(f"{action} as {role}: refused where the table allows it")
            elif mark == "-" and did:
                wrong.append(f"{action} as {role}: LEAK, done where the table refuses it")
    with capsys.disabled():
        print(
            f"\npermission matrix: {checked} cases checked in {time.time() - started:.0f} s, "
            f"{len(wrong)} wrong" + "".join(f"\n  {line}" for line in wrong)
        )
    assert wrong == [], "\n".join(wrong)
