"""Control panel for the catalog's categories and audiences."""
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from uni.servicedesk import _
from plone.namedfile.field import NamedFile
from uni.servicedesk.api.sla.calendar import parse_holidays
from uni.servicedesk.interfaces import IServicedeskControlPanel
from uni.servicedesk.interfaces import ISLASettings
from uni.servicedesk.interfaces import ISecuritySettings
from z3c.form import field
from z3c.form.browser.textlines import TextLinesFieldWidget
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant


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


# -- working calendar and service levels ----------------------------------------------------


def _file_lines(upload):
    data = upload.data if hasattr(upload, "data") else upload
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("The holidays file must be UTF-8 text."))
    # One holiday per line; a CSV export puts the date in the first column.
    return [line.split(",")[0].strip() if "," in line and "/" in line.split(",")[0] else line.strip()
            for line in text.splitlines() if line.strip()]


class IHolidaysImport(Interface):
    holidays_file = NamedFile(
        title=_("Import holidays"),
        description=_("A UTF-8 text or CSV file, one Jalali date or range per line (e.g. the "
                      "year's official calendar); added to the list above."),
        required=False,
    )

    @invariant
    def readable(data):
        upload = getattr(data, "holidays_file", None)
        if upload is None:
            return
        try:
            parse_holidays(_file_lines(upload))
        except ValueError as error:
            raise Invalid(_("This line is not a Jalali date or range: ${line}",
                            mapping={"line": str(error)}))


class SLASettingsForm(RegistryEditForm):
    schema = ISLASettings
    schema_prefix = "uni.servicedesk.sla"
    label = _("Working calendar and service levels")
    description = _("Working hours and holidays that due dates count in, the first-answer "
                    "target, when a request is at risk, and who it is escalated to.")

    def updateFields(self):
        super().updateFields()
        for name in ("holidays", "escalation"):
            self.fields[name].widgetFactory = TextLinesFieldWidget
        upload = field.Fields(IHolidaysImport)
        upload["holidays_file"].ignoreContext = True
        self.fields += upload

    def updateWidgets(self):
        super().updateWidgets()
        self.widgets["holidays"].rows = 12

    def applyChanges(self, data):
        upload = data.pop("holidays_file", None)
        if upload is not None:
            lines = list(data.get("holidays") or ())
            lines += [line for line in _file_lines(upload) if line not in lines]
            data["holidays"] = lines
        return super().applyChanges(data)


class SLASettingsControlPanel(ControlPanelFormWrapper):
    form = SLASettingsForm


# -- security: limits, challenge, page policy ------------------------------------------------


class SecuritySettingsForm(RegistryEditForm):
    schema = ISecuritySettings
    schema_prefix = "uni.servicedesk.security"
    label = _("Security of the public desk")
    description = _("How many wrong tracking look-ups and how many requests and bookings "
                    "visitors may make, the question on forms, and the policy sent with "
                    "every page.")


class SecuritySettingsControlPanel(ControlPanelFormWrapper):
    form = SecuritySettingsForm
