"""The easyform action "Create service request".

Registered the way collective.easyform 5 expects: the action class (a schema field kept in
the form's actions model), an ``ActionFactory`` guarded by our permission, and a supermodel
handler. Its work is one call of ``uni.servicedesk.api.forms.submit_form``.
"""

from collective.easyform.actions import Action
from collective.easyform.actions import ActionFactory
from collective.easyform.api import get_context
from collective.easyform.api import get_schema
from collective.easyform.api import is_file_data
from collective.easyform.config import FORM_ERROR_MARKER
from collective.easyform.interfaces import IAction
from plone.namedfile.interfaces import INamedField
from plone.supermodel.exportimport import BaseHandler
from uni.servicedesk import _
from uni.servicedesk.api import forms as forms_api
from uni.servicedesk.api import requests as desk_api
from zope import schema
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema import getFieldsInOrder

import transaction

CREATED_KEY = "uni.servicedesk.form_request"


def _field_choice(title, description=None, required=False):
    return schema.Choice(
        title=title, description=description, required=required, vocabulary="easyform.Fields"
    )


class ICreateServiceRequest(IAction):
    """Creates a service request (or complaint, suggestion…) from the filled-in form."""

    service_code = schema.Choice(
        title=_("Service"),
        description=_(
            "Leave empty for the service this form belongs to (the service it is "
            "in, or the service that names it as its request form)."
        ),
        vocabulary="uni.servicedesk.ServiceCodes",
        required=False,
    )
    kind = schema.Choice(
        title=_("Kind"),
        vocabulary="uni.servicedesk.RequestKinds",
        default="request",
        required=True,
    )
    name_field = _field_choice(_("Field with the applicant's name"), required=True)
    national_code_field = _field_choice(_("Field with the applicant's national code"))
    number_field = _field_choice(_("Field with the student or personnel number"))
    email_field = _field_choice(_("Field with the applicant's email"))
    mobile_field = _field_choice(_("Field with the applicant's mobile"))
    subject_field = _field_choice(
        _("Field with the subject"), _("Leave empty to use the service's title.")
    )
    body_field = _field_choice(_("Field with the description or message"))

    @invariant
    def applicant_can_follow(data):
        if not (getattr(data, "email_field", None) or getattr(data, "mobile_field", None)):
            raise Invalid(
                _(
                    "Choose the form field that holds the applicant's email or mobile: "
                    "applicants follow their requests with it."
                )
            )

    @invariant
    def feedback_has_a_message(data):
        if getattr(data, "kind", None) in desk_api.KINDS_OF_FEEDBACK and not getattr(
            data, "body_field", None
        ):
            raise Invalid(_("Choose the form field that holds the message."))


def form_fields(form):
    """The form's fields as the domain API sees them."""
    return [
        forms_api.FormField(name, field.title, is_file=INamedField.providedBy(field))
        for name, field in getFieldsInOrder(get_schema(form))
    ]


@implementer(ICreateServiceRequest)
class CreateServiceRequest(Action):
    __doc__ = ICreateServiceRequest.__doc__

    def __init__(self, **kw):
        for name, field in ICreateServiceRequest.namesAndDescriptions():
            if isinstance(field, schema.Field):
                setattr(self, name, kw.pop(name, field.default))
        super().__init__(**kw)

    def problems(self):
        form = get_context(self)
        return forms_api.configuration_problems(self, form, form_fields(form))

    def onSuccess(self, fields, request):
        form = get_context(self)
        values = {
            name: value
            for name, value in fields.items()
            if not is_file_data(value) or getattr(value, "filename", None)
        }
        try:
            created = forms_api.submit_form(self, form, form_fields(form), values)
        except desk_api.SubmissionError as error:
            # Actions run in order: one before this (say, save data) must not keep the
            # answers of a submission that was refused.
            transaction.doom()
            if error.too_many:
                request.response.setStatus(429)
            return self.form_errors(error.errors, fields, request)
        IAnnotations(request)[CREATED_KEY] = created
        return None

    def form_errors(self, errors, fields, request):
        """Errors as easyform shows them: on the field, the rest above the form."""
        shown, general = {}, []
        for key, message in errors.items():
            if key in fields or key in get_schema(get_context(self)):
                shown[key] = translate(message, context=request)
            else:
                general.append(translate(message, context=request))
        if general:
            shown[FORM_ERROR_MARKER] = " ".join(general)
        return shown


CreateServiceRequestAction = ActionFactory(
    CreateServiceRequest,
    _("Create service request"),
    "uni.servicedesk.AddRequestFormAction",
)
CreateServiceRequestHandler = BaseHandler(CreateServiceRequest)


def created_request(request):
    """The request the form created while publishing ``request``, if any."""
    return IAnnotations(request).get(CREATED_KEY)
