"""Profile version 1008: categories, audiences and escalation levels become rows.

They were pipe-separated lines (``token|Persian title|English title`` and ``unit | head |
supervisors | managers``) in the records ``uni.servicedesk.categories``,
``uni.servicedesk.audiences`` and ``uni.servicedesk.sla.escalation``; they are now JSON rows
in new records (``interfaces.IServicedeskSettings``, ``ISLASettings``), so that importing
the registry again, in any order of upgrade steps, never finds old lines in a new field.
Each line is read as the former code read it. A line it skipped, or read only in part, is
logged and kept in ``interfaces.UNMIGRATED_RECORD`` as "<setting>: <line>", which the
control panel shows until a manager forgets it. The old records are then removed.
"""

from plone import api
from plone.registry import field
from plone.registry import Record
from plone.registry.interfaces import IRegistry
from uni.servicedesk.api.sla import ESCALATION_RECORD
from uni.servicedesk.interfaces import UNMIGRATED_RECORD
from uni.servicedesk.vocabularies import AUDIENCES_RECORD
from uni.servicedesk.vocabularies import CATEGORIES_RECORD
from uni.servicedesk.vocabularies import TOKEN_PATTERN
from zope.component import getUtility

import logging
import re

logger = logging.getLogger("uni.servicedesk.upgrades")
PROFILE = "profile-uni.servicedesk:default"
UNIT = re.compile(r"^(\*|unit-\S+)$")


def entry_row(line):
    """``token|Persian title|English title`` -> (row or None, whether all of it was read)."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) < 2 or not TOKEN_PATTERN.match(parts[0]) or not parts[1]:
        return None, False
    english = parts[2] if len(parts) > 2 else ""
    return {"token": parts[0], "title_fa": parts[1], "title_en": english}, len(parts) <= 3


def escalation_row(line):
    """``unit | head | supervisors | managers`` (user ids separated by commas) -> (row or
    None, whether all of it was read)."""
    cells = [cell.strip() for cell in line.split("|")]
    if len(cells) < 2 or not UNIT.match(cells[0]):
        return None, False
    row = {"unit": cells[0]}
    for level, column in ((1, "head"), (2, "supervisors"), (3, "managers")):
        cell = cells[level] if level < len(cells) else ""
        row[column] = [user_id.strip() for user_id in cell.split(",") if user_id.strip()]
    return row, len(cells) <= 4


# old record -> (new record, reader, key that a later line replaces (escalation) or that
# the first line keeps (categories and audiences))
SETTINGS = {
    "uni.servicedesk.categories": (CATEGORIES_RECORD, entry_row, "token"),
    "uni.servicedesk.audiences": (AUDIENCES_RECORD, entry_row, "token"),
    "uni.servicedesk.sla.escalation": (ESCALATION_RECORD, escalation_row, "unit"),
}


def install_datagridfield(context):
    api.addon.install("collective.z3cform.datagridfield")


def _rows(old_name, lines):
    """(rows, lines to keep) of one former setting; what is not migrated is logged."""
    new_name, read, key = SETTINGS[old_name]
    setting = new_name.rsplit(".", 1)[1]
    rows, kept = {}, []

    def keep(line, why):
        logger.warning("%s: line %r %s; kept in %s.", old_name, line, why, UNMIGRATED_RECORD)
        kept.append(f"{setting}: {line}")

    for line in lines:
        if not (line or "").strip():
            continue
        row, whole = read(line)
        if row is None:
            keep(line, "could not be read and was not migrated")
            continue
        if not whole:
            keep(line, "has more cells than the setting had columns; the first ones were migrated")
        if row[key] in rows:
            if key == "token":  # the former vocabulary could not hold a token twice
                keep(line, "repeats a token and was not migrated")
                continue
            # the former escalation table took the unit's last line
            keep(rows.pop(row[key])[1], "was replaced by a later line of the same unit")
        rows[row[key]] = (row, line)
    return [row for row, _line in rows.values()], kept


def rows_from_lines(context):
    registry = getUtility(IRegistry)
    kept = []
    for old_name, (new_name, _read, _key) in SETTINGS.items():
        if old_name not in registry.records:
            continue  # a new site, or migrated already
        rows, unread = _rows(old_name, registry.records[old_name].value or ())
        registry[new_name] = rows
        kept += unread
        for row in rows:
            for column in ("head", "supervisors", "managers"):
                for user_id in row.get(column, ()):
                    if api.user.get(userid=user_id) is None:
                        logger.warning(
                            "%s: unit %s names %s, who is not a user of the site "
                            "(migrated as it was).",
                            old_name,
                            row["unit"],
                            user_id,
                        )
        del registry.records[old_name]
        logger.info("%s: %d rows in %s.", old_name, len(rows), new_name)
    if kept:
        previous = (
            list(registry.records[UNMIGRATED_RECORD].value or ())
            if (UNMIGRATED_RECORD in registry.records)
            else []
        )
        registry.records[UNMIGRATED_RECORD] = Record(
            field.List(
                title="Lines of former settings that could not be read (upgrade 1008)",
                value_type=field.TextLine(),
            ),
            previous + kept,
        )
