"""Control panel for the catalog's categories and audiences."""
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from uni.servicedesk import _
from uni.servicedesk.interfaces import IServicedeskControlPanel
from z3c.form.browser.textlines import TextLinesFieldWidget


class ServicedeskSettingsForm(RegistryEditForm):
    schema = IServicedeskControlPanel
    schema_prefix = "uni.servicedesk"
    label = _("Service desk settings")
    description = _("Categories and audiences of the service catalog; rules of requests.")

    def updateFields(self):
        super().updateFields()
        for name in ("categories", "audiences", "allowed_extensions"):
            self.fields[name].widgetFactory = TextLinesFieldWidget

    def updateWidgets(self):
        super().updateWidgets()
        for name in ("categories", "audiences"):
            self.widgets[name].rows = 8


class ServicedeskSettingsControlPanel(ControlPanelFormWrapper):
    form = ServicedeskSettingsForm
