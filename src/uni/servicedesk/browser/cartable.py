"""``@@cartable``: the staff's work list — tabs, filters, sorting, pages, bulk actions.

Thin: the tabs, filters and bulk actions are ``uni.servicedesk.api.cartable``'s; the page
reads its form, calls them and shows catalog brains (no request object is woken to show
a row).
"""

from AccessControl import Unauthorized
from plone import api
from plone.protect import CheckAuthenticator
from uni.servicedesk import _
from uni.servicedesk.api import cartable
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.vocabularies import org_units_vocabulary
from urllib.parse import urlencode
from zope.i18n import translate

FILTERS = ("kind", "service", "state", "priority", "channel", "created_from", "created_to")
SLA_BADGES = {
    "on_time": "bg-success",
    "at_risk": "bg-warning text-dark",
    "overdue": "bg-danger",
    "paused": "bg-secondary",
    "met": "bg-info text-dark",
    "missed": "bg-dark",
}
PRIORITY_BADGES = {"urgent": "bg-danger", "high": "bg-warning text-dark"}
SORTABLE = {"created": _("Registered on"), "due_date": _("Expected by"), "priority": _("Priority")}


class CartableView(ServicedeskView):
    errors = None
    results = None
    listing = None
    bulk_error = None

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("log in to see the cartable")  # Plone sends them to log in
        self.who = cartable.check_staff()
        self.errors = {}
        self.supervisor = self.who.supervisor
        if self.request.method == "POST" and self.request.form.get("bulk_action"):
            CheckAuthenticator(self.request)
            self.bulk()
        self.list()
        if (self.errors or self.bulk_error) and self.request.response.getStatus() < 400:
            self.request.response.setStatus(400)
        return self.index()

    # -- what the form asked for ----------------------------------------------------------

    def value(self, name, default=""):
        value = self.request.form.get(name, default)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else default
        return str(value or "")

    @property
    def tab(self):
        return self.value("tab") or cartable.default_tab(self.who)

    def list(self):
        form = self.request.form
        if self.tab not in cartable.TABS:
            self.errors["tab"] = _("Choose a tab of the cartable.")
            return
        try:
            filters = cartable.parse_filters(form)
            self.listing = cartable.search(
                self.tab,
                filters,
                sort=self.value("sort"),
                order=self.value("order"),
                b_start=self.value("b_start", "0"),
                b_size=cartable.PAGE_SIZE,
                who=self.who,
            )
        except cartable.FilterError as error:
            self.errors.update(error.errors)

    def bulk(self):
        form = self.request.form
        codes = form.get("codes") or []
        try:
            results = cartable.bulk(
                codes,
                self.value("bulk_action"),
                unit=self.value("unit"),
                expert=self.value("expert"),
                note=self.value("note"),
                who=self.who,
            )
        except cartable.FilterError as error:
            self.bulk_error = next(iter(error.errors.values()))
            return
        except Unauthorized:
            self.bulk_error = _("You may not do this on these requests.")
            self.request.response.setStatus(403)
            return
        self.results = [
            dict(
                r,
                message=translate(r["message"], context=self.request),
                shown=self.digits(r["code"]),
            )
            for r in results
        ]

    def error(self, name):
        message = (self.errors or {}).get(name)
        return translate(message, context=self.request) if message else ""

    # -- links ------------------------------------------------------------------------------

    def params(self, **changes):
        """The page's current query (tab, filters, sort), with ``changes``; no empty ones."""
        params = {"tab": self.tab}
        for name in FILTERS + ("sort", "order", "b_start"):
            params[name] = self.value(name)
        params.update(changes)
        return {k: v for k, v in params.items() if v not in (None, "")}

    def url(self, **changes):
        return f"{self.context.absolute_url()}/@@cartable?{urlencode(self.params(**changes))}"

    def tab_links(self):
        listing = self.listing
        # The tabs count without filters: a listing without any gives its own tab's count.
        known = {listing.tab: listing.total} if listing is not None and not listing.filters else {}
        counts = cartable.counts(self.who, known=known)
        return [
            {
                "id": tab,
                "title": cartable.TAB_TITLES[tab],
                "count": self.number(counts[tab]),
                "url": self.url(tab=tab, b_start=None),
                "current": tab == self.tab,
            }
            for tab in cartable.tabs(self.who)
        ]

    def sort_link(self, sort):
        """The header's link: sort by it, or turn the order round if it is the sort."""
        listing = self.listing
        if listing is not None and listing.sort == sort:
            order = "asc" if listing.order == "desc" else "desc"
        else:
            order = None
        return {
            "url": self.url(sort=sort, order=order, b_start=None),
            "title": SORTABLE[sort],
            "arrow": ""
            if listing is None or listing.sort != sort
            else ("↓" if listing.order == "desc" else "↑"),
            "current": listing is not None and listing.sort == sort,
        }

    batchformkeys = ("tab",) + FILTERS + ("sort", "order")

    def hidden_params(self):
        """The listing's query as hidden fields of the bulk form (the page after acting)."""
        return sorted(self.params().items())

    # -- choices ----------------------------------------------------------------------------

    def choices(self, vocabulary_name):
        return [(term.value, term.title) for term in self.vocabulary(vocabulary_name)]

    def state_choices(self):
        return [(state, self.state_title(state)) for state in cartable.STATES]

    def services(self):
        catalog = api.portal.get_tool("portal_catalog")
        return [
            (brain.UID, self.title_of(brain))
            for brain in catalog(portal_type="Service", sort_on="sortable_title")
        ]

    def bulk_actions(self):
        if self.tab == cartable.RESOLVED:  # resolved requests are only ever closed
            return [("close", cartable.BULK_TITLES["close"])]
        actions = [a for a in cartable.BULK_ACTIONS if a != "refer" or self.supervisor]
        return [(a, cartable.BULK_TITLES[a]) for a in actions]

    def units(self):
        return self._cached(
            "units",
            None,
            lambda _: [(term.value, term.title) for term in org_units_vocabulary(self.context)],
        )

    def experts(self):
        """The experts of the units (not every user of the site: students are many)."""
        experts = {}
        for unit, _title in self.units():
            for user in api.user.get_users(groupname=unit):
                if cartable.AGENT_ROLE in user.getRoles():
                    experts[user.getId()] = user.getProperty("fullname") or user.getId()
        return sorted(experts.items(), key=lambda item: item[1])

    def date_placeholder(self):
        return self.digits("1405/09/01")

    # -- rows -------------------------------------------------------------------------------

    def batch(self):
        return self.listing.batch() if self.listing is not None else []

    def total(self):
        return self.number(self.listing.total) if self.listing is not None else ""

    def row(self, brain):
        """What one row shows, from the brain's metadata only."""
        priority = brain.priority or ""
        sla = brain.sla_state or ""
        level = brain.escalation_level or 0
        return {
            "code": brain.tracking_code,
            "code_shown": self.digits(brain.tracking_code),
            "url": brain.getURL(),
            "subject": brain.subject,
            "applicant": brain.applicant_name,
            "kind": self._cached("kind", brain.kind, self.kind_title),
            "state": self._cached("state", brain.review_state, self.state_title),
            "priority": self._cached("priority", priority, self._priority_title),
            "priority_badge": PRIORITY_BADGES.get(priority, "bg-light text-dark"),
            "created": self.date(brain.created),
            "due": self.date(brain.due_date) if brain.due_date else "",
            "sla": cartable.SLA_TITLES.get(sla, sla),
            "sla_badge": SLA_BADGES.get(sla, "bg-light text-dark"),
            "level": self.digits(level) if level else "",
            "unit": self._unit_title(brain.referred_unit),
            "expert": self._expert_name(brain.referred_expert),
        }

    def _priority_title(self, priority):
        return self.term_title(self.vocabulary("uni.servicedesk.Priorities"), priority)

    def _cached(self, kind, key, lookup):
        """What ``lookup(key)`` gives, worked out once per page (rows repeat titles)."""
        cache = self.__dict__.setdefault(f"_{kind}_cache", {})
        if key not in cache:
            cache[key] = lookup(key)
        return cache[key]

    def _unit_title(self, unit):
        if not unit:
            return ""

        def lookup(unit):
            group = api.group.get(groupname=unit)
            return (group.getProperty("title") or unit) if group is not None else unit

        return self._cached("unit", unit, lookup)

    def _expert_name(self, expert):
        if not expert:
            return ""

        def lookup(expert):
            user = api.user.get(userid=expert)
            return (user.getProperty("fullname") or expert) if user is not None else expert

        return self._cached("expert", expert, lookup)
