"""Clients, leads and contact persons: create, read, list."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from models import Client, Contact, ContactPoint, Lead, User
from services.core import access, normalize, timezones
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import ClientView, ContactView
from services.parties import client_list, contact_points, custom_fields
from services.parties.client_list import MAX_NAME as MAX_NAME  # imports use it from here

# Bidi overrides and isolates: they make a name read differently from what it is.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_name(value: str, what: str = "Name") -> str:
    """One line of text; control characters (a terminal would run them when a
    name is printed) are refused rather than guessed away."""
    name = " ".join(value.split())
    if not name:
        raise ValidationError(
            f"{what} must not be empty",
            field="name",
            code="parties.records.must_not_empty",
            params={"what": str(what)},
        )
    control = next((c for c in name if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise ValidationError(
            f"{what} contains a control character (U+{ord(control):04X}): type it as plain text",
            field="name",
            code="parties.records.contains_control_character_u",
            params={"what": str(what), "control": format(ord(control), "04X")},
        )
    if len(name) > MAX_NAME:
        raise ValidationError(
            f"{what} is longer than {MAX_NAME} characters",
            field="name",
            code="parties.records.longer_than_characters",
            params={"what": str(what), "max_name": str(MAX_NAME)},
        )
    return name


def typed_name(value: str, what: str = "Name") -> str:
    """``clean_name`` for a name a person types: control characters (a bell,
    a NUL, a bidi override) are refused rather than stored. Imports keep
    ``clean_name``: a vCard's stray byte is cut there, with a warning."""
    name = clean_name(value, what)
    for char in name:
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
            raise ValidationError(
                f"{what} contains a control character (U+{ord(char):04X})",
                field="name",
                code="parties.records.contains_control_character_u_2",
                params={"what": str(what), "char": format(ord(char), "04X")},
            )
    return name


def check_region(region: str | None) -> str | None:
    if region is None or not region.strip():
        return None
    code = region.strip().upper()
    if normalize.timezone_for_region(code) is None:
        raise ValidationError(
            f"Unknown region {region!r}: use a two-letter country code",
            "region",
            code="parties.records.unknown_region_use_two",
            params={"region": repr(region)},
        )
    return code


def check_zone(name: str | None) -> str | None:
    if not name:
        return None
    timezones.zone(name)
    return name


def owner_id_for(uow: UnitOfWork, actor: Actor, owner_id: int | None) -> int:
    if owner_id is None:
        return actor.id
    user = uow.session.get(User, owner_id)
    if user is None:  # only a typed id (the CLI's --owner) names nobody
        raise ValidationError(
            f"No colleague has the id {owner_id}",
            "owner",
            code="parties.records.no_such_user",
            params={"owner_id": str(owner_id)},
        )
    if not user.active:
        name = user.full_name or user.login
        raise ValidationError(
            f"{name} is no longer an active colleague and cannot be the owner",
            "owner",
            code="parties.records.no_active_user_id",
            params={"name": name, "owner_id": str(owner_id)},
        )
    return owner_id


def _add_points(
    uow: UnitOfWork,
    actor: Actor,
    emails: Sequence[str],
    phones: Sequence[str],
    *,
    client_id: int | None = None,
    lead_id: int | None = None,
    contact_id: int | None = None,
) -> None:
    """Add each address and number once: "+7 495 ..." and "8 (495) ..." are one."""
    for kind, values in (("email", emails), ("phone", phones)):
        seen: set[str] = set()
        for raw in values:
            value = contact_points.normalized_value(uow, kind, raw)
            if value not in seen:
                seen.add(value)
                contact_points.add(
                    uow,
                    actor,
                    kind,
                    raw,
                    client_id=client_id,
                    lead_id=lead_id,
                    contact_id=contact_id,
                    new_card=True,
                )


def add_client(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    *,
    owner_id: int | None = None,
    region: str | None = None,
    timezone: str | None = None,
    address: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    custom: Mapping[str, str] | None = None,
) -> ClientView:
    actor.require(Permission.CLIENTS_EDIT)
    client = Client(
        name=typed_name(name, "Client name"),
        owner_id=owner_id_for(uow, actor, owner_id),
        region=check_region(region),
        timezone=check_zone(timezone),
        address=(address or "").strip() or None,
    )
    uow.session.add(client)
    uow.session.flush()
    _add_points(uow, actor, emails, phones, client_id=client.id)
    if custom:
        custom_fields.set_values(uow, "client", client.id, custom)
    return get_client(uow, actor, client.id)


def add_lead(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    *,
    company: str | None = None,
    owner_id: int | None = None,
    region: str | None = None,
    timezone: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
) -> ClientView:
    actor.require(Permission.CLIENTS_EDIT)
    lead = Lead(
        name=typed_name(name, "Lead name"),
        company=(company or "").strip() or None,
        owner_id=owner_id_for(uow, actor, owner_id),
        region=check_region(region),
        timezone=check_zone(timezone),
    )
    uow.session.add(lead)
    uow.session.flush()
    _add_points(uow, actor, emails, phones, lead_id=lead.id)
    return get_lead(uow, actor, lead.id)


def add_contact(
    uow: UnitOfWork,
    actor: Actor,
    full_name: str,
    *,
    client_id: int | None = None,
    lead_id: int | None = None,
    position: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    custom: Mapping[str, str] | None = None,
) -> ContactView:
    actor.require(Permission.CLIENTS_EDIT)
    if (client_id is None) == (lead_id is None):
        raise ValidationError(
            "A contact person belongs to exactly one client or lead",
            "client",
            code="parties.records.contact_person_belongs_exactly",
        )
    if client_id is not None:
        visible_client(uow, actor, client_id)
    else:
        assert lead_id is not None
        visible_lead(uow, actor, lead_id)
    contact = Contact(
        full_name=typed_name(full_name, "Contact name"),
        position=(position or "").strip() or None,
        client_id=client_id,
        lead_id=lead_id,
    )
    uow.session.add(contact)
    uow.session.flush()
    _add_points(uow, actor, emails, phones, contact_id=contact.id)
    if custom:
        custom_fields.set_values(uow, "contact", contact.id, custom)
    return contact_view(uow, contact.id)


def check_visible(uow: UnitOfWork, actor: Actor, kind: str, party_id: int) -> None:
    """The cheap form of ``visible_client``/``visible_lead`` for read paths."""
    access.check(uow, actor, kind, party_id)


def visible_client(uow: UnitOfWork, actor: Actor, client_id: int) -> Client:
    access.check(uow, actor, "client", client_id)
    client = uow.session.get(Client, client_id)
    if client is None:
        raise NotFoundError("Client", client_id)
    return client


def visible_lead(uow: UnitOfWork, actor: Actor, lead_id: int) -> Lead:
    access.check(uow, actor, "lead", lead_id)
    lead = uow.session.get(Lead, lead_id)
    if lead is None:
        raise NotFoundError("Lead", lead_id)
    return lead


def visible_card(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    ident: int,
    permission: Permission | None,
    *,
    verb: str,
    code: str,
) -> Client | Lead:
    """A client or lead the actor sees, for the use cases that act on either
    one alike (sharing, handing over): the permission first, then a kind
    other than these two refused as ``code`` ("Only a client or a lead is
    <verb>"), so each use case keeps its own words and error code."""
    if permission is not None:
        actor.require(permission)
    if kind not in ("client", "lead"):
        raise ValidationError(
            f"Only a client or a lead is {verb}, not {kind!r}",
            "kind",
            code=code,
            params={"kind": repr(kind)},
        )
    if kind == "client":
        return visible_client(uow, actor, ident)
    return visible_lead(uow, actor, ident)


def _points(uow: UnitOfWork, column: Any, value: int) -> list[ContactPoint]:
    return list(
        uow.session.scalars(select(ContactPoint).where(column == value).order_by(ContactPoint.id))
    )


def get_contact(uow: UnitOfWork, actor: Actor, contact_id: int) -> ContactView:
    access.check(uow, actor, "contact", contact_id)
    return contact_view(uow, contact_id)


def contact_view(uow: UnitOfWork, contact_id: int) -> ContactView:
    contact = uow.session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("Contact", contact_id)
    points = _points(uow, ContactPoint.contact_id, contact.id)
    return ContactView(
        id=contact.id,
        uid=contact.uid,
        full_name=contact.full_name,
        position=contact.position,
        client_id=contact.client_id,
        lead_id=contact.lead_id,
        points=tuple(contact_points.view(p) for p in points),
        archived=contact.archived_at is not None,
        row_version=contact.row_version,
    )


def _contacts_of(uow: UnitOfWork, column: Any, value: int) -> tuple[ContactView, ...]:
    ids = uow.session.scalars(select(Contact.id).where(column == value).order_by(Contact.id))
    return tuple(contact_view(uow, i) for i in ids)


def _owner_name(uow: UnitOfWork, owner_id: int) -> str:
    return uow.session.scalar(select(User.full_name).where(User.id == owner_id)) or "?"


def _party_parts(
    uow: UnitOfWork, party: Client | Lead
) -> tuple[list[ContactPoint], tuple[ContactView, ...], str | None]:
    """A client's or lead's own addresses and numbers, its contact persons,
    and the zone its region and all their phones tell."""
    client = isinstance(party, Client)
    points = _points(uow, ContactPoint.client_id if client else ContactPoint.lead_id, party.id)
    contacts = _contacts_of(uow, Contact.client_id if client else Contact.lead_id, party.id)
    phones = [p.normalized for p in points if p.kind == "phone"]
    phones += [p.normalized for c in contacts for p in c.points if p.kind == "phone"]
    return points, contacts, timezones.party_zone(party.timezone, party.region, phones)


def get_client(
    uow: UnitOfWork, actor: Actor, client_id: int, now: dt.datetime | None = None
) -> ClientView:
    return party_view(uow, visible_client(uow, actor, client_id), now)


def get_lead(
    uow: UnitOfWork, actor: Actor, lead_id: int, now: dt.datetime | None = None
) -> ClientView:
    return party_view(uow, visible_lead(uow, actor, lead_id), now)


def party_view(uow: UnitOfWork, party: Client | Lead, now: dt.datetime | None = None) -> ClientView:
    """The card header of a client or lead already checked (or just handed to
    a colleague). A lead has contact persons and custom fields as a client
    has: their phones tell its zone the same way (SPEC A5), its values are on
    its card; only a client has an address, only a lead a company."""
    client = party if isinstance(party, Client) else None
    lead = party if isinstance(party, Lead) else None
    kind = "client" if client is not None else "lead"
    points, contacts, zone = _party_parts(uow, party)
    return ClientView(
        id=party.id,
        uid=party.uid,
        kind=kind,
        name=party.name,
        owner_id=party.owner_id,
        owner_name=_owner_name(uow, party.owner_id),
        region=party.region,
        timezone=zone,
        address=client.address if client is not None else None,
        points=tuple(contact_points.view(p) for p in points),
        contacts=contacts,
        custom=custom_fields.values_of(uow, kind, party.id),
        local_time=client_list.local_time(zone, now),
        company=lead.company if lead is not None else None,
        archived=party.archived_at is not None,
        converted=lead is not None and lead.status == "converted",
        row_version=party.row_version,
    )


def list_clients(
    uow: UnitOfWork,
    actor: Actor,
    *,
    text: str | None = None,
    after_id: int | None = None,
    limit: int = 100,
    now: dt.datetime | None = None,
    archived: bool = False,
) -> list[ClientView]:
    """A page of clients by id (keyset), filtered by name in SQL, with the
    same points, zone and local time as each card; archived ones only with
    ``archived``, else none of them (``client_list.page``, which the CLI
    runs without the ORM)."""
    return client_list.page(
        uow.session, actor, text=text, after_id=after_id, limit=limit, now=now, archived=archived
    )
