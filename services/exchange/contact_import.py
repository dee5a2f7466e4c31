"""Contacts from vCard and CSV files into clients and contact persons.

A card with an organization becomes a contact person of the client of that
name (created when missing); a card without one becomes a client of its own
(a private person). A card whose email or phone is already known updates
that card instead of making a duplicate. Each card is saved or refused on
its own (a savepoint), so one bad card never half-saves, nor stops the rest.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy import select

from models import Client, Contact, folding
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import UserError
from services.core.storage import UnitOfWork
from services.exchange.contact_records import ContactRecord
from services.parties import contact_points
from services.parties import records as parties


@dataclasses.dataclass(frozen=True)
class Rejection:
    source: str
    reason: str


@dataclasses.dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    rejected: tuple[Rejection, ...]


def _known_owner(
    uow: UnitOfWork, actor: Actor, record: ContactRecord
) -> contact_points.Owner | None:
    """The actor's own card with one of the record's addresses: a colleague's
    card is neither updated nor revealed by an import (#15 item 5)."""
    for kind, values in (("email", record.emails), ("phone", record.phones)):
        for raw in values:
            value = contact_points.normalized_value(uow, kind, raw)
            owner = contact_points.owners_of(uow, kind, [value]).get(value)
            if (
                owner is not None
                and owner.kind in ("contact", "client")
                and access.may_see(uow, actor, owner.kind, owner.id)
            ):
                return owner
    return None


def _add_missing_points(
    uow: UnitOfWork,
    actor: Actor,
    record: ContactRecord,
    *,
    client_id: int | None = None,
    contact_id: int | None = None,
) -> None:
    for kind, values in (("email", record.emails), ("phone", record.phones)):
        for raw in values:
            value = contact_points.normalized_value(uow, kind, raw)
            if value in contact_points.owners_of(uow, kind, [value]):
                continue
            contact_points.add(uow, actor, kind, raw, client_id=client_id, contact_id=contact_id)


def _client_named(uow: UnitOfWork, actor: Actor, name: str) -> int:
    name = parties.clean_name(name, "Organization")
    for found in uow.session.scalars(
        select(Client.id).where(Client.name_folded == folding.fold(name)).order_by(Client.id)
    ):
        if access.may_see(uow, actor, "client", found):
            return found
    return parties.add_client(uow, actor, name).id


def _save(uow: UnitOfWork, actor: Actor, record: ContactRecord) -> bool:
    """True when a new card was made, False when a known one was updated."""
    owner = _known_owner(uow, actor, record)
    if owner is not None:
        if owner.kind == "contact":
            contact = uow.session.get(Contact, owner.id)
            if contact is not None and record.position and not contact.position:
                contact.position = record.position
            _add_missing_points(uow, actor, record, contact_id=owner.id)
        else:
            _add_missing_points(uow, actor, record, client_id=owner.id)
        return False
    if record.organization:
        client_id = _client_named(uow, actor, record.organization)
        if folding.fold(record.full_name) == folding.fold(record.organization):
            _add_missing_points(uow, actor, record, client_id=client_id)
        else:
            parties.add_contact(
                uow,
                actor,
                record.full_name,
                client_id=client_id,
                position=record.position,
                emails=record.emails,
                phones=record.phones,
            )
    else:
        parties.add_client(uow, actor, record.full_name, emails=record.emails, phones=record.phones)
    return True


def import_contacts(uow: UnitOfWork, actor: Actor, path: Path) -> ImportSummary:
    from services.exchange.contact_files import parse_contact_file

    actor.require(Permission.IMPORT_EXPORT)
    actor.require(Permission.CLIENTS_EDIT)
    parsed = parse_contact_file(path)
    rejected = [Rejection(r.source, r.reason) for r in parsed.rejected]
    created = updated = 0
    for record in parsed.records:
        savepoint = uow.session.begin_nested()
        try:
            made = _save(uow, actor, record)
            savepoint.commit()
        except UserError as exc:
            savepoint.rollback()
            rejected.append(Rejection(record.source, str(exc)))
            continue
        if made:
            created += 1
        else:
            updated += 1
    return ImportSummary(created, updated, tuple(rejected))
