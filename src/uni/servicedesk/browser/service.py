"""The service identity card as a page."""

from plone import api
from uni.servicedesk.api import request_availability
from uni.servicedesk.api.forms import request_form
from uni.servicedesk.api.requests import anonymous_may_request
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.content.faq import IFAQ


class ServiceView(ServicedeskView):
    def __call__(self):
        self.categories = self.vocabulary("uni.servicedesk.Categories")
        self.audiences = self.vocabulary("uni.servicedesk.Audiences")
        self.availability = request_availability(self.context, language=self.language)
        return self.index()

    @property
    def may_request(self):
        """Online requests: logged-in visitors, or anyone where the service allows it."""
        return not api.user.is_anonymous() or anonymous_may_request(self.context)

    @property
    def request_url(self):
        """The service's own form where it names one, else the standard request form."""
        form = request_form(self.context)
        if form is not None:
            return form.absolute_url()
        return f"{self.context.absolute_url()}/@@request-service"

    def fixed_title(self, vocabulary_name, token):
        return self.term_title(self.vocabulary(vocabulary_name), token)

    def titles(self, vocabulary_name, tokens):
        vocabulary = self.vocabulary(vocabulary_name)
        return [self.term_title(vocabulary, token) for token in tokens or []]

    def steps(self):
        return [
            {"number": self.digits(index), "title": title, "actor": actor}
            for index, (title, actor) in enumerate(self.context.parsed_steps(), start=1)
        ]

    def faqs(self):
        """The FAQ items the visitor may see, in the service's order."""
        return [
            item
            for item in self.context.objectValues()
            if IFAQ.providedBy(item) and api.user.has_permission("View", obj=item)
        ]

    def attachments(self):
        return api.content.find(
            context=self.context,
            depth=1,
            portal_type=["File", "Image"],
            sort_on="getObjPositionInParent",
        )

    def related_services(self):
        relations = getattr(self.context, "relatedItems", None) or []
        related = []
        for relation in relations:
            target = getattr(relation, "to_object", None)
            if target is not None and api.user.has_permission("View", obj=target):
                related.append(target)
        return related

    def responsible_unit(self):
        return self.fixed_title("uni.servicedesk.OrgUnits", self.context.responsible_unit)

    def duration(self):
        context = self.context
        return {
            "average": self.digits(context.duration_average) if context.duration_average else "",
            "max": self.digits(context.duration_max) if context.duration_max else "",
        }
