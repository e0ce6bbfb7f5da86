"""Our settings through plone.restapi's ``@controlpanels``: ``servicedesk-settings``
(categories and audiences as rows, rules of requests) and ``servicedesk-sla`` (working
calendar, service levels, escalation levels as rows).

GET gives the records' values (rows as JSON lists of objects); PATCH writes them through
the same fields as the control panel forms, so the same rules hold (a token or unit once,
units and users that exist, the JSON schema); a refusal is a 400 naming the field with a
translated message. Both need *Manage settings*, like the forms.
"""

from AccessControl import Unauthorized
from plone import api
from plone.restapi.controlpanels import IControlpanel
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.restapi.deserializer.controlpanels import ControlpanelDeserializeFromJson
from plone.restapi.interfaces import IDeserializeFromJson
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.controlpanels import ControlpanelSerializeToJson
from Products.CMFPlone.interfaces import IPloneSiteRoot
from uni.servicedesk.interfaces import IServicedeskControlPanel
from uni.servicedesk.interfaces import ISLASettings
from uni.servicedesk.interfaces import IUniServicedeskLayer
from zope.component import adapter
from zope.interface import implementer

MANAGE_SETTINGS = "uni.servicedesk: Manage settings"


class IServicedeskControlpanel(IControlpanel):
    """A panel of ours: only for those who may manage the service desk's settings."""


@implementer(IServicedeskControlpanel)
@adapter(IPloneSiteRoot, IUniServicedeskLayer)
class ServicedeskSettingsPanel(RegistryConfigletPanel):
    schema = IServicedeskControlPanel
    schema_prefix = "uni.servicedesk"
    configlet_id = "uni-servicedesk-settings"
    configlet_category_id = "plone-general"


@implementer(IServicedeskControlpanel)
@adapter(IPloneSiteRoot, IUniServicedeskLayer)
class SLASettingsPanel(RegistryConfigletPanel):
    schema = ISLASettings
    schema_prefix = "uni.servicedesk.sla"
    configlet_id = "uni-servicedesk-sla"
    configlet_category_id = "plone-general"


def check_permission(panel):
    if not api.user.has_permission(MANAGE_SETTINGS, obj=panel.context):
        raise Unauthorized("You may not manage the service desk's settings.")


@implementer(ISerializeToJson)
@adapter(IServicedeskControlpanel)
class PanelSerializer(ControlpanelSerializeToJson):
    def __call__(self):
        check_permission(self.controlpanel)
        return super().__call__()


@implementer(IDeserializeFromJson)
@adapter(IServicedeskControlpanel)
class PanelDeserializer(ControlpanelDeserializeFromJson):
    def __call__(self, mask_validation_errors=True):
        check_permission(self.controlpanel)
        return super().__call__(mask_validation_errors=mask_validation_errors)
