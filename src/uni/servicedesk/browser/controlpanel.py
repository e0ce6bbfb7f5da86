"""Control panels of the service desk and of service levels.

Settings kept as rows (categories, audiences, escalation levels) are JSON in the registry
(``interfaces``); here they are edited as a grid (collective.z3cform.datagridfield) whose
cells are checked one by one, and converted to and from JSON.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidget
from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.datagridfield import DataGridValidator
from collective.z3cform.datagridfield.row import DictRow
from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.registry.interfaces import IRegistry
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from uni.servicedesk import _
from plone.namedfile.field import NamedFile
from uni.servicedesk.api import sla
from uni.servicedesk.api.sla import check_escalation
from uni.servicedesk.api.sla import check_unit
from uni.servicedesk.api.sla import check_users
from uni.servicedesk.browser.base import Formatting
from uni.servicedesk.interfaces import IServicedeskControlPanel
from uni.servicedesk.interfaces import IServicedeskSettings
from uni.servicedesk.interfaces import ISLASettings
from uni.servicedesk.interfaces import UNMIGRATED_RECORD
from uni.servicedesk.vocabularies import check_entries
from uni.servicedesk.vocabularies import check_token
from uni.servicedesk.working_time import official_holidays
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.interfaces import ISecuritySettings
from z3c.form import field
from z3c.form import validator
from z3c.form.browser.textlines import TextLinesFieldWidget
from zope import schema
from zope.component import getUtility
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema import getFieldNames
from zope.schema import getFieldNamesInOrder

import datetime
import re


# -- rows: grid cells <-> JSON ----------------------------------------------------------------


def entry_rows(rows):
    """Grid rows of categories or audiences -> the JSON rows kept in the registry."""
    return [
        {
            "token": (row.get("token") or "").strip(),
            "title_fa": (row.get("title_fa") or "").strip(),
            "title_en": (row.get("title_en") or "").strip(),
        }
        for row in rows or ()
    ]


def entry_cells(rows):
    return [
        {
            "token": row.get("token"),
            "title_fa": row.get("title_fa"),
            "title_en": row.get("title_en") or None,
        }
        for row in rows or ()
    ]


def people(text):
    """User ids typed in one cell, separated by commas (Latin or Persian) or spaces."""
    return [user_id for user_id in re.split(r"[,،\s]+", text or "") if user_id]


def _check_people(text):
    return check_users(people(text))


PEOPLE_COLUMNS = ("head", "supervisors", "managers")


def escalation_rows(rows):
    """Grid rows of escalation levels -> the JSON rows kept in the registry."""
    return [
        dict(
            {"unit": (row.get("unit") or "").strip()},
            **{column: people(row.get(column)) for column in PEOPLE_COLUMNS},
        )
        for row in rows or ()
    ]


def escalation_cells(rows):
    return [
        dict(
            {"unit": row.get("unit")},
            **{column: ", ".join(row.get(column) or ()) or None for column in PEOPLE_COLUMNS},
        )
        for row in rows or ()
    ]


class IEntryRow(Interface):
    token = schema.TextLine(title=_("Token"), constraint=check_token)
    title_fa = schema.TextLine(title=_("Persian title"))
    title_en = schema.TextLine(title=_("English title"), required=False)


_PEOPLE = _("User ids, separated by commas")


class IEscalationRow(Interface):
    unit = schema.TextLine(title=_("Unit"), description=_("unit-… or *"), constraint=check_unit)
    head = schema.TextLine(
        title=_("Unit head"), description=_PEOPLE, required=False, constraint=_check_people
    )
    supervisors = schema.TextLine(
        title=_("Supervisors"), description=_PEOPLE, required=False, constraint=_check_people
    )
    managers = schema.TextLine(
        title=_("Managers"), description=_PEOPLE, required=False, constraint=_check_people
    )


def _grid(registry_field, row_schema, check, to_registry):
    """The form's field for a setting kept as rows: a list of rows edited in a grid; the
    rules across rows (a token or a unit once) are checked on the whole list."""
    return schema.List(
        title=registry_field.title,
        description=registry_field.description,
        value_type=DictRow(schema=row_schema),
        required=False,
        default=[],
        constraint=lambda rows: check(to_registry(rows)),
    )


class IUnreadableLines(Interface):
    unreadable_lines = schema.List(
        title=_("Lines of the former settings that could not be read"),
        description=_(
            "They were kept when these settings became rows; enter what they meant "
            "as rows above, then forget them."
        ),
        value_type=schema.TextLine(),
        readonly=True,
        required=False,
    )
    forget_unreadable_lines = schema.Bool(
        title=_("Forget these lines"), required=False, default=False
    )


class RowsRegistryEditForm(RegistryEditForm):
    """A registry form whose ``schema`` is made for the form: fields named like the records
    of ``registry_schema``, except those kept as JSON rows (``rows``: name -> (JSON ->
    cells, cells -> JSON)), shown as grids. Lines of these settings that the upgrade to
    rows could not read are shown until a manager forgets them."""

    registry_schema = None
    rows = {}

    def _is_ours(self, line):
        return line.split(":", 1)[0] in self.rows

    def unreadable_lines(self):
        lines = api.portal.get_registry_record(UNMIGRATED_RECORD, default=None) or ()
        return [line for line in lines if self._is_ours(line)]

    def forget_unreadable_lines(self):
        records = getUtility(IRegistry).records
        if UNMIGRATED_RECORD in records:
            others = [
                line for line in records[UNMIGRATED_RECORD].value or () if not self._is_ours(line)
            ]
            if others:
                records[UNMIGRATED_RECORD].value = others
            else:
                del records[UNMIGRATED_RECORD]

    def updateFields(self):
        super().updateFields()
        names = getFieldNamesInOrder(self.registry_schema)
        self.fields = self.fields.select(*names) + self.fields.omit(*names)
        for name in self.rows:
            self.fields[name].widgetFactory = DataGridFieldWidgetFactory
        if self.unreadable_lines():
            self.fields += field.Fields(IUnreadableLines)

    def updateWidgets(self):
        super().updateWidgets()
        for name in self.rows:
            grid = self.widgets[name]
            grid.allow_reorder = True
            for row in grid.widgets:
                if row.id.endswith(("AA", "TT")):  # the empty rows for adding: not errors
                    for cell in row.widgets.values():
                        cell.error = None

    def proxy(self):
        return getUtility(IRegistry).forInterface(self.registry_schema, prefix=self.schema_prefix)

    def getContent(self):
        if getattr(self, "_settings", None) is None:
            proxy = self.proxy()
            settings = {name: getattr(proxy, name) for name in getFieldNames(self.registry_schema)}
            for name, (to_cells, _to_registry) in self.rows.items():
                settings[name] = to_cells(settings[name])
            settings["unreadable_lines"] = self.unreadable_lines()
            settings["forget_unreadable_lines"] = False
            self._settings = settings
        return self._settings

    def applyChanges(self, data):
        changes = super().applyChanges(data)
        settings, proxy = self.getContent(), self.proxy()
        stored = getFieldNames(self.registry_schema)
        for name in {name for names in changes.values() for name in names}:
            if name in stored:
                value = settings[name]
                if name in self.rows:
                    value = self.rows[name][1](value)
                setattr(proxy, name, value)
        if settings.get("forget_unreadable_lines"):
            self.forget_unreadable_lines()
        return changes


class RowsValidator(DataGridValidator):
    """The grid's cells first (each shows its own error), then the rules across rows."""

    def validate(self, value, force=False):
        try:
            super().validate(value, force)
        except ValueError:  # a cell's error, shown in its cell
            raise Invalid(_("Some cells of this table need correcting: see the messages in them."))
        if value:
            self.field.bind(self.context).validate(value)


validator.WidgetValidatorDiscriminators(
    RowsValidator, view=RowsRegistryEditForm, widget=DataGridFieldWidget
)


class IServicedeskSettingsForm(IServicedeskControlPanel):
    service_categories = _grid(
        IServicedeskSettings["service_categories"], IEntryRow, check_entries, entry_rows
    )
    service_audiences = _grid(
        IServicedeskSettings["service_audiences"], IEntryRow, check_entries, entry_rows
    )


class ServicedeskSettingsForm(RowsRegistryEditForm):
    schema = IServicedeskSettingsForm
    registry_schema = IServicedeskControlPanel
    schema_prefix = "uni.servicedesk"
    rows = {
        "service_categories": (entry_cells, entry_rows),
        "service_audiences": (entry_cells, entry_rows),
    }
    label = _("Service desk settings")
    description = _("Categories and audiences of the service catalog; rules of requests.")

    def updateFields(self):
        super().updateFields()
        self.fields["allowed_extensions"].widgetFactory = TextLinesFieldWidget


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
    return [
        line.split(",")[0].strip() if "," in line and "/" in line.split(",")[0] else line.strip()
        for line in text.splitlines()
        if line.strip()
    ]


class IHolidaysImport(Interface):
    holidays_file = NamedFile(
        title=_("Import holidays"),
        description=_(
            "A UTF-8 text or CSV file, one Jalali date or range per line (e.g. the "
            "year's official calendar); added to the list above."
        ),
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
            raise Invalid(
                _("This line is not a Jalali date or range: ${line}", mapping={"line": str(error)})
            )


class ISLASettingsForm(ISLASettings):
    escalation_levels = _grid(
        ISLASettings["escalation_levels"], IEscalationRow, check_escalation, escalation_rows
    )


class SLASettingsForm(RowsRegistryEditForm):
    schema = ISLASettingsForm
    registry_schema = ISLASettings
    schema_prefix = "uni.servicedesk.sla"
    rows = {"escalation_levels": (escalation_cells, escalation_rows)}
    label = _("Working calendar and service levels")
    description = _(
        "Working hours and holidays that due dates count in, the first-answer "
        "target, when a request is at risk, and who it is escalated to."
    )

    def updateFields(self):
        super().updateFields()
        self.fields["holidays"].widgetFactory = TextLinesFieldWidget
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


class SLASettingsControlPanel(Formatting, ControlPanelFormWrapper):
    """The form, then Iran's official holidays of the coming year: what due dates skip."""

    form = SLASettingsForm
    index = ViewPageTemplateFile("templates/sla_controlpanel.pt")
    coming_days = 365

    @property
    def observes_official_holidays(self):
        return bool(sla.setting("official_holidays", True))

    def official_holidays(self):
        today = sla.now_local().date()
        last = today + datetime.timedelta(days=self.coming_days)
        return [
            {"date": self.date(day), "name": name}
            for day, name in official_holidays(today, last, self.language)
        ]


# -- security: limits, challenge, page policy ------------------------------------------------


class SecuritySettingsForm(RegistryEditForm):
    schema = ISecuritySettings
    schema_prefix = "uni.servicedesk.security"
    label = _("Security of the public desk")
    description = _(
        "How many wrong tracking look-ups and how many requests and bookings "
        "visitors may make, the question on forms, and the policy sent with "
        "every page."
    )


class SecuritySettingsControlPanel(ControlPanelFormWrapper):
    form = SecuritySettingsForm
