"""Importing contacts as a use case, shared by ``touchpoint import contacts``
and the first-run/Import screen: the same checks and batches, and its
``Changes`` (the new clients and contact persons, and the cards it updated)
let every open list and card show them without F5."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from models import Client, Contact
from services.core.access import Actor
from services.core.changes import Outcome
from services.core.storage import Database
from services.exchange import contact_import
from services.feed import touched


def import_contacts(
    db: Database, actor: Actor, path: Path, *, mapping: Mapping[str, str] | None = None
) -> Outcome[contact_import.ImportSummary]:
    """A vCard or CSV file of contacts, in batches; a failure undoes them all."""
    return touched.bulk_tracked(
        db,
        {"client": Client.id, "contact": Contact.id},
        lambda: contact_import.import_contacts(db, actor, path, mapping=mapping),
    )
