"""z3c.form converter: whole numbers typed with Persian or Arabic-Indic digits."""

from uni.servicedesk.content.fields import ILocalizedInt
from z3c.form.converter import BaseDataConverter
from z3c.form.interfaces import ITextWidget
from zope.component import adapter


@adapter(ILocalizedInt, ITextWidget)
class LocalizedIntConverter(BaseDataConverter):
    """Shown with ASCII digits (editable anywhere); read through the field's own rule."""

    def toWidgetValue(self, value):
        if value is self.field.missing_value:
            return ""
        return str(value)

    def toFieldValue(self, value):
        if not value:
            return self.field.missing_value
        return self.field.fromUnicode(value)
