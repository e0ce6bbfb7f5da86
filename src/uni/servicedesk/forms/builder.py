"""Building easyform forms in code (the demo, tests): fields and actions as supermodel XML.

Editors build forms through the web; this writes the same models easyform keeps.
"""

from plone import api
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

FIELD_TYPES = {
    "text": "zope.schema.TextLine",
    "textarea": "zope.schema.Text",
    "email": "plone.schema.email.Email",
    "int": "zope.schema.Int",
    "date": "zope.schema.Date",
    "bool": "zope.schema.Bool",
    "choice": "zope.schema.Choice",
    "multi": "zope.schema.Set",
    "file": "plone.namedfile.field.NamedBlobFile",
}
WIDGETS = {
    "choice": "z3c.form.browser.radio.RadioFieldWidget",
    "multi": "z3c.form.browser.checkbox.CheckBoxFieldWidget",
}
ACTION_TYPE = "uni.servicedesk.forms.action.CreateServiceRequest"
SAVE_DATA_TYPE = "collective.easyform.actions.SaveData"
NAMESPACES = (
    'xmlns="http://namespaces.plone.org/supermodel/schema" '
    'xmlns:form="http://namespaces.plone.org/supermodel/form"'
)


def _values(values):
    return "<values>{}</values>".format(
        "".join(f"<element>{escape(value)}</element>" for value in values)
    )


def field_xml(name, kind, title, required=True, description="", values=()):
    attributes = f"name={quoteattr(name)} type={quoteattr(FIELD_TYPES[kind])}"
    if kind in WIDGETS:
        attributes += f" form:widget={quoteattr(WIDGETS[kind])}"
    parts = [f"<title>{escape(title)}</title>"]
    if description:
        parts.append(f"<description>{escape(description)}</description>")
    parts.append(f"<required>{required}</required>")
    if kind == "choice":
        parts.append(_values(values))
    if kind == "multi":
        parts.append(f'<value_type type="zope.schema.Choice">{_values(values)}</value_type>')
    return f"<field {attributes}>{''.join(parts)}</field>"


def fields_model(fields):
    """``fields``: dicts with name, kind (see FIELD_TYPES), title and optionally required,
    description, values."""
    return f"<model {NAMESPACES}><schema>{''.join(field_xml(**f) for f in fields)}</schema></model>"


def action_xml(name, type_, title, **settings):
    parts = [f"<title>{escape(title)}</title>"]
    for key, value in settings.items():
        if value is None:
            continue
        parts.append(f"<{key}>{escape(str(value))}</{key}>")
    return f"<field name={quoteattr(name)} type={quoteattr(type_)}>{''.join(parts)}</field>"


def actions_model(actions):
    """``actions``: (name, type, title, settings) tuples."""
    body = "".join(
        action_xml(name, type_, title, **settings) for name, type_, title, settings in actions
    )
    return f"<model {NAMESPACES}><schema>{body}</schema></model>"


def create_form(container, id, title, fields, actions, **attributes):
    """An EasyForm with these fields and actions; returns it."""
    form = api.content.create(container=container, type="EasyForm", id=id, title=title)
    form.fields_model = fields_model(fields)
    form.actions_model = actions_model(actions)
    for key, value in attributes.items():
        setattr(form, key, value)
    form.reindexObject()
    return form
