"""Change a client, lead, contact person or deal after it was created:
its fields, archiving (never deleting) and turning a lead into a client.

Every argument left ``None`` keeps the stored value; an empty string clears
an optional field. The field-level history (``services.core.audit``) records
each change from the same flush, so nothing here writes history by hand
except the conversion, which is one event on two cards.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select, update

from models import AuditEntry, Client, Contact, ContactPoint, Deal, Interaction, Lead, User
from models.base import utcnow
from models.notes import Attachment, Memo, Note, Task
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import ClientView, ContactView, DealView
from services.parties import conflicts, custom_fields, deals
from services.parties import records as parties
from services.sync import log as change_log

ARCHIVABLE = ("client", "lead", "contact", "deal")
MAX_TEXT = 300


def _optional(value: str, what: str, limit: int = MAX_TEXT) -> str | None:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(
            f"{what} is longer than {limit} characters",
            what.lower(),
            code="parties.edits.longer_than_characters",
            params={"what": str(what), "limit": str(limit)},
        )
    return text or None


def user_by_login(uow: UnitOfWork, login: str) -> int:
    """The active user with this login (or this numeric id): who ``--owner`` names."""
    wanted = login.strip()
    user = uow.session.scalar(select(User).where(User.login == wanted))
    if user is None and wanted.isdigit():
        user = uow.session.get(User, int(wanted))
    if user is None or not user.active:
        raise ValidationError(
            f"No active user {wanted[:60]!r} to be the owner",
            "owner",
            code="parties.edits.no_active_user_owner",
            params={"wanted": repr(wanted[:60])},
        )
    return user.id


def _owner(uow: UnitOfWork, actor: Actor, owner_id: int | None, current: int) -> int:
    if owner_id is None or owner_id == current:
        return current
    return parties.owner_id_for(uow, actor, owner_id)


def _edit_party(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    party: Client | Lead,
    owner_id: int | None,
    region: str | None,
    timezone: str | None,
    custom: Mapping[str, str] | None,
    expected_version: int | None,
) -> None:
    """What a client and a lead edit alike: owner, region, time zone and
    custom values; then the check against the version shown, and the flush."""
    party.owner_id = _owner(uow, actor, owner_id, party.owner_id)
    if region is not None:
        party.region = parties.check_region(region)
    if timezone is not None:
        party.timezone = parties.check_zone(timezone.strip())
    if custom:
        custom_fields.set_values(uow, kind, party.id, custom)
    conflicts.guard(uow, kind, party, expected_version)
    uow.session.flush()


def edit_client(
    uow: UnitOfWork,
    actor: Actor,
    client_id: int,
    *,
    name: str | None = None,
    owner_id: int | None = None,
    address: str | None = None,
    region: str | None = None,
    timezone: str | None = None,
    custom: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> ClientView:
    actor.require(Permission.CLIENTS_EDIT)
    client = parties.visible_client(uow, actor, client_id)
    if name is not None:
        client.name = parties.typed_name(name, "Client name")
    if address is not None:
        client.address = address.strip()[:2000] or None
    _edit_party(uow, actor, "client", client, owner_id, region, timezone, custom, expected_version)
    return parties.party_view(uow, client)


def edit_lead(
    uow: UnitOfWork,
    actor: Actor,
    lead_id: int,
    *,
    name: str | None = None,
    company: str | None = None,
    owner_id: int | None = None,
    region: str | None = None,
    timezone: str | None = None,
    custom: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> ClientView:
    actor.require(Permission.CLIENTS_EDIT)
    lead = parties.visible_lead(uow, actor, lead_id)
    if name is not None:
        lead.name = parties.typed_name(name, "Lead name")
    if company is not None:
        lead.company = _optional(company, "Company")
    _edit_party(uow, actor, "lead", lead, owner_id, region, timezone, custom, expected_version)
    return parties.party_view(uow, lead)


def _contact(uow: UnitOfWork, actor: Actor, contact_id: int) -> Contact:
    contact = uow.session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("Contact", contact_id)
    access.check(uow, actor, "contact", contact_id)
    return contact


def edit_contact(
    uow: UnitOfWork,
    actor: Actor,
    contact_id: int,
    *,
    name: str | None = None,
    position: str | None = None,
    custom: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> ContactView:
    actor.require(Permission.CLIENTS_EDIT)
    contact = _contact(uow, actor, contact_id)
    if name is not None:
        contact.full_name = parties.typed_name(name, "Contact name")
    if position is not None:
        contact.position = _optional(position, "Position", 200)
    if custom:
        custom_fields.set_values(uow, "contact", contact.id, custom)
    conflicts.guard(uow, "contact", contact, expected_version)
    uow.session.flush()
    return parties.contact_view(uow, contact.id)


def edit_deal(
    uow: UnitOfWork,
    actor: Actor,
    deal_id: int,
    *,
    title: str | None = None,
    owner_id: int | None = None,
    amount: str | Decimal | None = None,
    currency: str | None = None,
    expected_version: int | None = None,
) -> DealView:
    """A deal's own fields; its stage moves with ``deals.move`` (the
    pipeline's next-step rule applies there)."""
    actor.require(Permission.DEALS)
    deal = deals.visible_deal(uow, actor, deal_id)
    if title is not None:
        deal.title = parties.typed_name(title, "Deal title")
    deal.owner_id = _owner(uow, actor, owner_id, deal.owner_id)
    if amount is not None:
        deal.amount = deals.parse_amount(amount)
    if currency is not None:
        deal.currency = deals.check_currency(currency)
    conflicts.guard(uow, "deal", deal, expected_version)
    uow.session.flush()
    return deals.view(uow, deal)


def _archivable(
    uow: UnitOfWork, actor: Actor, kind: str, ident: int
) -> Client | Lead | Contact | Deal:
    if kind == "client":
        actor.require(Permission.CLIENTS_EDIT)
        return parties.visible_client(uow, actor, ident)
    if kind == "lead":
        actor.require(Permission.CLIENTS_EDIT)
        return parties.visible_lead(uow, actor, ident)
    if kind == "contact":
        actor.require(Permission.CLIENTS_EDIT)
        return _contact(uow, actor, ident)
    if kind == "deal":
        actor.require(Permission.DEALS)
        return deals.visible_deal(uow, actor, ident)
    raise ValidationError(
        f"Only {', '.join(ARCHIVABLE)} can be archived, not {kind!r}",
        "kind",
        code="parties.edits.only_can_archived_not",
        params={"archivable": str(", ".join(ARCHIVABLE)), "kind": repr(kind)},
    )


def set_archived(uow: UnitOfWork, actor: Actor, kind: str, ident: int, archived: bool) -> bool:
    """Archive or bring back one card; True when its state changed (archiving
    an archived card again changes nothing and is not an error)."""
    row = _archivable(uow, actor, kind, ident)
    if (row.archived_at is not None) == archived:
        return False
    if not archived and isinstance(row, Lead) and row.status == "converted":
        raise ValidationError(
            f"Lead {ident} was converted into a client: open the client instead",
            "lead",
            code="parties.edits.lead_was_converted_into",
            params={"ident": str(ident)},
        )
    row.archived_at = utcnow() if archived else None
    uow.session.flush()
    return True


def _move(uow: UnitOfWork, model: type, kind: str | None, lead_id: int, client_id: int) -> None:
    """Rows of a lead's feed, moved in one statement (no card field changes:
    the history would only repeat the conversion); on a laptop replica the
    moved rows go into the change log too, or the server never sees them move."""
    where = model.lead_id == lead_id  # type: ignore[attr-defined]
    moved = list(uow.session.scalars(select(model.id).where(where))) if kind else []  # type: ignore[attr-defined]
    uow.session.execute(
        update(model).where(where).values(lead_id=None, client_id=client_id),
        execution_options={"synchronize_session": False},
    )
    if kind:
        change_log.record_bulk(uow.session, kind, moved, ("client_id", "lead_id"))


def convert_lead(uow: UnitOfWork, actor: Actor, lead_id: int) -> ClientView:
    """The lead becomes a client: named by its company when it has one (the
    lead's person then becomes a contact person with the lead's addresses
    and numbers), its contacts, deals and whole feed move to the client, and
    the lead stays archived as "converted", with the event in both histories."""
    actor.require(Permission.CLIENTS_EDIT)
    lead = parties.visible_lead(uow, actor, lead_id)
    if lead.status == "converted":
        raise ValidationError(
            f"Lead {lead_id} is already converted into a client",
            "lead",
            code="parties.edits.lead_already_converted_into",
            params={"lead_id": str(lead_id)},
        )
    session = uow.session
    client = Client(
        name=lead.company or lead.name,
        owner_id=lead.owner_id,
        region=lead.region,
        timezone=lead.timezone,
    )
    session.add(client)
    session.flush()
    person: Contact | None = None
    if lead.company and lead.company != lead.name:
        person = Contact(full_name=lead.name, client_id=client.id)
        session.add(person)
        session.flush()
    for point in session.scalars(select(ContactPoint).where(ContactPoint.lead_id == lead.id)):
        point.lead_id = None
        if person is not None:
            point.contact_id = person.id
        else:
            point.client_id = client.id
    for row in [
        *session.scalars(select(Contact).where(Contact.lead_id == lead.id)),
        *session.scalars(select(Deal).where(Deal.lead_id == lead.id)),
    ]:
        row.lead_id = None
        row.client_id = client.id
    session.flush()
    for model, kind in ((Interaction, "interaction"), (Note, "note"), (Task, "task")):
        _move(uow, model, kind, lead.id, client.id)
    _move(uow, Attachment, "attachment", lead.id, client.id)
    of_lead = (Memo.object_kind == "lead", Memo.object_id == lead.id)
    memos = list(session.scalars(select(Memo.id).where(*of_lead)))
    session.execute(
        update(Memo).where(*of_lead).values(object_kind="client", object_id=client.id),
        execution_options={"synchronize_session": False},
    )
    change_log.record_bulk(session, "memo", memos, ("object_kind", "object_id"))
    # The lead's earlier card changes show in the client's feed too.
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.lead_id == lead.id, AuditEntry.client_id.is_(None))
        .values(client_id=client.id),
        execution_options={"synchronize_session": False},
    )
    lead.status = "converted"
    lead.archived_at = utcnow()
    session.add(
        AuditEntry(
            user_id=actor.id,
            entity_kind="lead",
            entity_id=lead.id,
            field="converted",
            old=lead.name,
            new=client.name,
            client_id=client.id,
            lead_id=lead.id,
        )
    )
    session.flush()
    return parties.party_view(uow, client)
