"""Display names for codes that come from the services (interaction types,
card fields in the change history), translatable like any other string."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def type_label(code: str) -> str:
    """The name of an interaction type code, or of a feed item kind."""
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


def change_title(entity_field: str) -> str:
    kind, _, field = entity_field.rpartition(".")
    if field == "created":
        if kind == "contact_point":
            return QCoreApplication.translate("Labels", "Contact details added")
        return QCoreApplication.translate("Labels", "Card created")
    return QCoreApplication.translate("Labels", "Changed %1").replace("%1", field_label(field))
