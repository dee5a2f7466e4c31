"""The words of Settings → Work offline (issue #20): a count as the window's
language writes it, a kind of record as the copy's progress names it, a
server as host/database. Kept apart so the section holds only its flow."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from services.core import server


def count(n: int) -> str:
    """A count as the window's language writes it (10 012 / 10,012)."""
    return QLocale().toString(n)


def kinds_label(kind: str) -> str:
    """A kind of record, plural, as the copy's progress names it."""
    names = {
        "user": QCoreApplication.translate("ReplicaSection", "Users"),
        "role": QCoreApplication.translate("ReplicaSection", "Roles"),
        "pipeline": QCoreApplication.translate("ReplicaSection", "Pipelines"),
        "stage": QCoreApplication.translate("ReplicaSection", "Stages"),
        "custom_field": QCoreApplication.translate("ReplicaSection", "Custom fields"),
        "interaction_type": QCoreApplication.translate("ReplicaSection", "Interaction types"),
        "client": QCoreApplication.translate("ReplicaSection", "Clients"),
        "lead": QCoreApplication.translate("ReplicaSection", "Leads"),
        "contact": QCoreApplication.translate("ReplicaSection", "Contact persons"),
        "contact_point": QCoreApplication.translate("ReplicaSection", "Contact details"),
        "deal": QCoreApplication.translate("ReplicaSection", "Deals"),
        "interaction": QCoreApplication.translate("ReplicaSection", "Interactions"),
        "note": QCoreApplication.translate("ReplicaSection", "Notes"),
        "task": QCoreApplication.translate("ReplicaSection", "Tasks"),
        "memo": QCoreApplication.translate("ReplicaSection", "Memos"),
        "custom_value": QCoreApplication.translate("ReplicaSection", "Custom field values"),
        "email_template": QCoreApplication.translate("ReplicaSection", "Templates"),
    }
    return names.get(kind, kind.replace("_", " "))


def server_name(url: str) -> str:
    address = server.address_of(url)
    if address is None:
        return url
    return f"{address.host}/{address.database}"
