"""The catalog page: browse services by category and audience, search title, text and FAQ."""

from plone.batching import Batch
from uni.servicedesk.api import search_services
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.localization import normalize_text

from urllib.parse import quote

import collections


class ServiceCatalogView(ServicedeskView):
    batch_size = 30

    def update(self):
        form = self.request.form
        self.query_text = normalize_text(str(form.get("q", "") or "")).strip()[:200]
        self.categories = self.vocabulary("uni.servicedesk.Categories")
        self.audiences = self.vocabulary("uni.servicedesk.Audiences")
        self.category = self._token(form.get("category"), self.categories)
        self.audience = self._token(form.get("audience"), self.audiences)
        # Counts per category follow the audience filter and the search, so the
        # visitor sees where the matches are.
        self.results = search_services(self.context, text=self.query_text, audience=self.audience)
        self.counts = collections.Counter(brain.service_category for brain in self.results)
        if self.category:
            self.results = [b for b in self.results if b.service_category == self.category]
        self.filtered = bool(self.query_text or self.category or self.audience)

    def __call__(self):
        self.update()
        return self.index()

    @staticmethod
    def _token(value, vocabulary):
        # Unknown tokens (an old bookmark, a hand-made URL) are ignored, not an error.
        value = str(value or "")
        return value if value in vocabulary.by_token else ""

    def category_links(self):
        return [
            {
                "token": term.token,
                "title": term.title,
                "count": self.counts.get(term.value, 0),
                "selected": term.value == self.category,
                "url": self.url(category=term.token),
            }
            for term in self.categories
        ]

    def audience_links(self):
        return [
            {
                "token": term.token,
                "title": term.title,
                "selected": term.value == self.audience,
                "url": self.url(audience=term.token),
            }
            for term in self.audiences
        ]

    def url(self, **params):
        """This page's address with the given filters (others kept unless cleared)."""
        current = {"q": self.query_text, "category": self.category, "audience": self.audience}
        current.update(params)
        query = "&".join(f"{key}={_quote(value)}" for key, value in current.items() if value)
        base = self.context.absolute_url()
        return f"{base}?{query}" if query else base

    def batch(self):
        start = str(self.request.form.get("b_start", "0"))
        return Batch(self.results, self.batch_size, int(start) if start.isdigit() else 0)

    def groups(self):
        """Unfiltered: services grouped under their categories, in the vocabulary's order."""
        by_category = collections.defaultdict(list)
        for brain in self.results:
            by_category[brain.service_category].append(brain)
        groups = [
            {"title": term.title, "token": term.token, "services": by_category.pop(term.value)}
            for term in self.categories
            if term.value in by_category
        ]
        # Services whose category was removed from the settings stay findable.
        for token, services in by_category.items():
            groups.append({"title": token or "—", "token": token, "services": services})
        return groups

    def audience_titles(self, brain):
        return [self.term_title(self.audiences, token) for token in brain.service_audiences or []]

    def category_title(self, brain):
        return self.term_title(self.categories, brain.service_category)


def _quote(value):
    return quote(str(value), safe="")
