"""A refusal that says why: the page of ``workflows.integrity.Conflict`` (HTTP 409)."""

from plone.rest.errors import ErrorHandling
from plone.rest.interfaces import IAPIRequest
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class ConflictView(BrowserView):
    """The message on a Plone page; REST clients get plone.rest's JSON error
    (``{"type": "Conflict", "message": …}``), as for any other exception.

    Registered for the exception class, it is found before plone.rest's view for every
    exception: that is why it hands API requests over.
    """

    index = ViewPageTemplateFile("templates/conflict.pt")

    def __call__(self):
        if IAPIRequest.providedBy(self.request):
            return ErrorHandling(self.context, self.request)()
        self.message = str(self.context)
        # The page is rendered in the place where the refusal happened.
        self.context = self.__parent__
        self.request.response.setStatus(409)
        return self.index()
