"""Display names for codes that come from the services (interaction types,
card fields in the change history), translatable like any other string."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLocale

from services.core.views import ScenarioStepTag

# Names of interaction types as Settings left them: {code: (English, Russian)}.
# Filled on the GUI thread whenever the types are read; a built-in type that
# was never renamed keeps its translated name from the table below.
_TYPE_NAMES: dict[str, tuple[str, str]] = {}
_BUILTIN_EN = {
    "call": "Call",
    "meeting": "Meeting",
    "email": "Email",
    "sms": "SMS",
    "messenger": "Messenger",
    "other": "Other",
}


# Labels of custom fields: {"client.custom.tier": (English, Russian)}, filled
# on the GUI thread whenever a card or Settings → Fields reads them, so the
# change history names a custom field by its label, not its code.
_FIELD_NAMES: dict[str, tuple[str, str]] = {}


def remember_fields(names: Mapping[str, tuple[str, str]]) -> None:
    """Custom fields' labels (English, Russian) by "kind.custom.code"."""
    _FIELD_NAMES.update(names)


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def remember_types(names: Mapping[str, tuple[str, str]]) -> None:
    """The types' current names (English, Russian), from Settings."""
    _TYPE_NAMES.clear()
    _TYPE_NAMES.update(names)


def _named(code: str) -> str | None:
    found = _TYPE_NAMES.get(code)
    if found is None or (code in _BUILTIN_EN and found == (_BUILTIN_EN[code], _builtin_ru(code))):
        return None  # as shipped: the translation table below
    return found[1] if _ru() else found[0]


def _ru() -> bool:
    return QLocale().language() == QLocale.Language.Russian


def _builtin_ru(code: str) -> str:
    return {
        "call": "Звонок",
        "meeting": "Встреча",
        "email": "Электронное письмо",
        "sms": "SMS",
        "messenger": "Мессенджер",
        "other": "Прочее",
    }[code]


def type_label(code: str) -> str:
    """The name of an interaction type code, or of a feed item kind: the name
    given in Settings when it was renamed or added there."""
    named = _named(code)
    if named is not None:
        return named
    names = {
        "call": QCoreApplication.translate("Labels", "Call"),
        "meeting": QCoreApplication.translate("Labels", "Meeting"),
        "email": QCoreApplication.translate("Labels", "Email"),
        "sms": QCoreApplication.translate("Labels", "SMS"),
        "messenger": QCoreApplication.translate("Labels", "Messenger"),
        "other": QCoreApplication.translate("Labels", "Other"),
        "note": QCoreApplication.translate("Labels", "Note"),
        "task": QCoreApplication.translate("Labels", "Task"),
        "change": QCoreApplication.translate("Labels", "Change"),
    }
    return names.get(code, code.replace("_", " ").capitalize())


def type_plural(code: str) -> str:
    """For the type filter menu: "Calls", "Notes" ..."""
    names = {
        "call": QCoreApplication.translate("Labels", "Calls"),
        "meeting": QCoreApplication.translate("Labels", "Meetings"),
        "email": QCoreApplication.translate("Labels", "Emails"),
        "sms": QCoreApplication.translate("Labels", "SMS"),
        "messenger": QCoreApplication.translate("Labels", "Messenger"),
        "other": QCoreApplication.translate("Labels", "Other"),
        "note": QCoreApplication.translate("Labels", "Notes"),
        "task": QCoreApplication.translate("Labels", "Tasks"),
        "change": QCoreApplication.translate("Labels", "Card changes"),
    }
    return names.get(code, type_label(code))


def field_label(entity_field: str) -> str:
    """ "client.name" -> "name" for the change history."""
    _, _, field = entity_field.rpartition(".")
    names = {
        "name": QCoreApplication.translate("Labels", "name"),
        "owner_id": QCoreApplication.translate("Labels", "owner"),
        "region": QCoreApplication.translate("Labels", "region"),
        "timezone": QCoreApplication.translate("Labels", "time zone"),
        "address": QCoreApplication.translate("Labels", "address"),
        "company": QCoreApplication.translate("Labels", "company"),
        "full_name": QCoreApplication.translate("Labels", "name"),
        "position": QCoreApplication.translate("Labels", "position"),
        "stage_id": QCoreApplication.translate("Labels", "stage"),
        "amount": QCoreApplication.translate("Labels", "amount"),
        "title": QCoreApplication.translate("Labels", "title"),
        "active": QCoreApplication.translate("Labels", "status"),
        "raw": QCoreApplication.translate("Labels", "contact details"),
        "label": QCoreApplication.translate("Labels", "label"),
    }
    return names.get(field, field.replace("_", " "))


def change_title(entity_field: str, values: str = "") -> str:
    """The feed's title of a card change; ``values`` is its "old → new"."""
    kind, _, field = entity_field.rpartition(".")
    if field == "archived_at":  # its values are raw times: the row says when
        if values.rpartition("→")[2].strip():
            return QCoreApplication.translate("Labels", "Moved to the archive")
        return QCoreApplication.translate("Labels", "Restored from the archive")
    if field == "created":
        if kind == "contact_point":
            return QCoreApplication.translate("Labels", "Contact details added")
        return QCoreApplication.translate("Labels", "Card created")
    if field == "shared_with":  # old → new: a colleague it was, or now is, shared with
        return QCoreApplication.translate("Labels", "Sharing changed")
    if field == "attachment_removed":  # old: the file's name
        return QCoreApplication.translate("Labels", "Attachment removed")
    if field == "attachment_restored":  # new: the file's name (an Undo)
        return QCoreApplication.translate("Labels", "Attachment restored")
    custom = _FIELD_NAMES.get(entity_field)
    if custom is not None:
        name = (custom[1] if _ru() else custom[0]) or custom[0] or field
        return QCoreApplication.translate("Labels", "Changed %1").replace("%1", name)
    return QCoreApplication.translate("Labels", "Changed %1").replace("%1", field_label(field))


def scenario_step(step: ScenarioStepTag) -> str:
    """ "«New client», step 2 of 5", and a failed step's error after it: which
    scenario run a planned item belongs to, in the feed and My agenda alike."""
    where = (
        QCoreApplication.translate("Labels", "«%1», step %2 of %3")
        .replace("%1", step.scenario)
        .replace("%2", str(step.position))
        .replace("%3", str(step.steps))
    )
    if step.step_state == "failed" and step.last_error:
        failed = QCoreApplication.translate("Labels", "%1 (failed: %2)")
        where = failed.replace("%1", where).replace("%2", step.last_error)
    return where
