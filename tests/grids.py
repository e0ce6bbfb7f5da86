"""Posting a control panel's grid (collective.z3cform.datagridfield) as its script does:
rows renumbered 0..n-1 in the order shown, and their count."""

from urllib.parse import urlencode


def post_grid(browser, grids, changes=None, button="form.buttons.save"):
    """Submit the page's form (``id="form"``) with ``grids`` ({field name: [{column: text}]})
    in place of the grids it shows and ``changes`` ({control name: text}) applied."""
    form = browser.getForm(id="form")
    prefixes = tuple(f"form.widgets.{name}." for name in grids)
    fields = [
        (name, value)
        for name, value in form._form.submit_fields()
        if isinstance(value, str) and not name.startswith(prefixes) and name not in (changes or {})
    ]
    fields += list((changes or {}).items())
    for name, rows in grids.items():
        for index, row in enumerate(rows):
            fields += [
                (f"form.widgets.{name}.{index}.widgets.{column}", text)
                for column, text in row.items()
            ]
            fields.append((f"form.widgets.{name}.{index}-empty-marker", "1"))
        fields.append((f"form.widgets.{name}.count", str(len(rows))))
    fields.append((button, "Save"))
    browser.post(form._form.action, urlencode(fields))


def shown_rows(browser, name, columns):
    """The rows a grid shows (its inputs' values), without the empty rows for adding."""
    rows, index = [], 0
    while True:
        try:
            rows.append({
                column: browser.getControl(
                    name=f"form.widgets.{name}.{index}.widgets.{column}"
                ).value
                for column in columns
            })
        except LookupError:
            return rows
        index += 1
