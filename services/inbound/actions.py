"""What a rule does with a request (SPEC G4): a deal, a ticket, or a rejection.

``plan`` decides without writing (the dry run shows it); ``apply`` carries
a plan out in the caller's unit of work. As the seed says, no new deal or
ticket is made when the sender's client or lead already has an active
deal: the request is attached to that deal. A sender found on no card
becomes a new lead before the deal or ticket is made. A deal or ticket
needs an owner: a request offered to a role waits until a member takes it,
and taking it runs the rule's action then.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Client, Deal, InboundRequest, Lead, SupportTicket
from services.core import normalize, settings
from services.core.access import ALL_PERMISSIONS, Actor
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.inbound.routing import Assignment, Choice, RuleSpec
from services.interactions import actions as ix
from services.parties import contact_points, deals, records

CONVERTING = ("deal", "ticket")


@dataclasses.dataclass(frozen=True)
class Party:
    """The card the sender was found on (contact > client > lead)."""

    client_id: int | None
    lead_id: int | None
    contact_id: int | None
    owner_id: int | None
    label: str  # "client 5 (ООО Ромашка)"


@dataclasses.dataclass(frozen=True)
class Plan:
    choice: Choice
    assignment: Assignment
    party: Party | None
    active_deal_id: int | None
    effect: str  # deal_created | deal_attached | ticket_created | rejected | waiting | none
    new_lead: bool

    @property
    def rule(self) -> RuleSpec | None:
        return self.choice.rule


def _email(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalize.normalize_email(value)
    except ValidationError:
        return None


def _point(uow: UnitOfWork, kind: str, value: str | None) -> str | None:
    """The stored form of a sender's phone or handle; None when it has none."""
    if not value:
        return None
    try:
        return contact_points.normalized_value(uow, kind, value)
    except ValidationError:
        return None


def find_party(session: Session, request: InboundRequest) -> Party | None:
    """The sender's card by email, else phone, else messenger handle."""
    uow = UnitOfWork(session)
    for kind, value in (
        ("email", _email(request.sender_email)),
        ("phone", _point(uow, "phone", request.sender_phone)),
        ("messenger", _point(uow, "messenger", request.sender_handle)),
    ):
        if value is None:
            continue
        found = contact_points.owners_of(uow, kind, [value]).get(value)
        if found is None:
            continue
        row: Client | Lead | None
        if found.client_id is not None:
            row = session.get(Client, found.client_id)
            label = f"client {found.client_id}"
        else:
            row = session.get(Lead, found.lead_id)
            label = f"lead {found.lead_id}"
        if row is None or row.archived_at is not None:
            continue
        return Party(
            found.client_id, found.lead_id, found.contact_id, row.owner_id, f"{label} ({row.name})"
        )
    return None


def active_deal(
    session: Session, party: Party | None, exclude_deal: int | None = None
) -> int | None:
    """The party's most recently changed active deal, if any (``exclude_deal``:
    the dry run leaves out the deal a request itself made)."""
    if party is None:
        return None
    column = Deal.client_id if party.client_id is not None else Deal.lead_id
    value = party.client_id if party.client_id is not None else party.lead_id
    query = select(Deal.id).where(
        column == value, Deal.active.is_(True), Deal.archived_at.is_(None)
    )
    if exclude_deal is not None:
        query = query.where(Deal.id != exclude_deal)
    return session.scalar(query.order_by(Deal.updated_at.desc(), Deal.id.desc()).limit(1))


def plan(
    session: Session,
    choice: Choice,
    assignment: Assignment,
    party: Party | None,
    exclude_deal: int | None = None,
) -> Plan:
    rule = choice.rule
    action = rule.action if rule is not None else "none"
    deal_id = active_deal(session, party, exclude_deal) if action in CONVERTING else None
    owner = assignment.owner_id
    if action in CONVERTING and deal_id is not None:
        effect = "deal_attached"
    elif action in CONVERTING and owner is None and (rule is None or rule.deal_owner_id is None):
        effect = "waiting"
    elif action == "deal":
        effect = "deal_created"
    elif action == "ticket":
        effect = "ticket_created"
    elif action == "reject":
        effect = "rejected"
    else:
        effect = "none"
    new_lead = effect in ("deal_created", "ticket_created") and party is None
    return Plan(choice, assignment, party, deal_id, effect, new_lead)


def system_actor(owner_id: int) -> Actor:
    """The rules act with every permission, on behalf of the request's owner."""
    return Actor(
        id=owner_id,
        login="inbound-rules",
        full_name="Inbound rules",
        permissions=frozenset(ALL_PERMISSIONS),
    )


def _new_lead(uow: UnitOfWork, request: InboundRequest, owner_id: int) -> int:
    email = _email(request.sender_email)
    phone = _point(uow, "phone", request.sender_phone)
    name = request.sender_name or email or phone or request.sender_handle or "Unknown sender"
    try:
        name = records.typed_name(name[:300], "Lead name")
    except ValidationError:
        name = email or phone or "Unknown sender"
    view = records.add_lead(
        uow,
        system_actor(owner_id),
        name,
        owner_id=owner_id,
        emails=[email] if email else [],
        phones=[phone] if phone else [],
    )
    if _point(uow, "messenger", request.sender_handle):
        with contextlib.suppress(ValidationError):  # not keepable: the request still has it
            contact_points.add(
                uow,
                system_actor(owner_id),
                "messenger",
                request.sender_handle or "",
                lead_id=view.id,
                new_card=True,
            )
    return view.id


def _title(request: InboundRequest) -> str:
    text = " ".join((request.subject or request.body or "").split())[:200]
    try:
        return records.typed_name(text, "Title") if text else f"Request {request.id}"
    except ValidationError:
        return f"Request {request.id}"


def next_ticket_number(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(SupportTicket.number), 0))) or 0) + 1


def convert(
    uow: UnitOfWork,
    request: InboundRequest,
    rule: RuleSpec | None,
    action: str,
    owner_id: int,
    party: Party | None,
    now: dt.datetime,
) -> str:
    """Make the deal or ticket (and the lead of an unknown sender); the effect."""
    session = uow.session
    deal_id = active_deal(session, party)
    if deal_id is not None:
        request.deal_id = deal_id
        _link(request, party)
        request.state = "converted"
        request.outcome = "deal_attached"
        return "deal_attached"
    if party is None:
        lead_id = _new_lead(uow, request, owner_id)
        party = Party(None, lead_id, None, owner_id, f"lead {lead_id}")
        request.created_lead = True
    _link(request, party)
    if action == "deal":
        deal_owner = (rule.deal_owner_id if rule else None) or owner_id
        view = deals.add_deal(
            uow,
            system_actor(deal_owner),
            _title(request),
            client_id=party.client_id,
            lead_id=party.lead_id if party.client_id is None else None,
            pipeline=rule.pipeline_id if rule else None,
            stage=rule.stage_id if rule else None,
            owner_id=deal_owner,
        )
        request.deal_id = view.id
        _plan_answer(uow, request, view.id, deal_owner, now)
        effect = "deal_created"
    else:
        ticket = SupportTicket(
            number=next_ticket_number(session),
            subject=_title(request)[:500],
            body=request.body,
            state="open",
            owner_id=owner_id,
            client_id=party.client_id,
            lead_id=party.lead_id if party.client_id is None else None,
            contact_id=party.contact_id,
            request_id=request.id,
        )
        session.add(ticket)
        session.flush()
        request.ticket_id = ticket.id
        effect = "ticket_created"
    request.state = "converted"
    request.outcome = effect
    request.processed_at = request.processed_at or now
    return effect


def _plan_answer(
    uow: UnitOfWork, request: InboundRequest, deal_id: int, owner_id: int, now: dt.datetime
) -> None:
    """A pipeline that requires a planned interaction (SPEC A4) gets one: a
    call to answer the request within the hour, on the deal's owner."""
    deal = uow.session.get(Deal, deal_id)
    if deal is None or not deals.requires_next_step(uow, deal):
        return
    ix.create(
        uow,
        system_actor(owner_id),
        ix.NewInteraction(
            type="call",
            planned=True,
            start=now + dt.timedelta(hours=1),
            tz=settings.display_zone(uow),
            client_id=deal.client_id,
            lead_id=deal.lead_id,
            deal_id=deal.id,
            owner_id=owner_id,
            subject=_title(request),
        ),
        now=now,
    )


def _link(request: InboundRequest, party: Party | None) -> None:
    if party is None:
        return
    request.client_id = party.client_id
    request.lead_id = party.lead_id if party.client_id is None else None
    request.contact_id = party.contact_id


def reject(request: InboundRequest, reason_id: int | None, note: str | None) -> None:
    request.state = "rejected"
    request.outcome = "rejected"
    request.rejection_reason_id = reason_id
    request.rejection_note = note
