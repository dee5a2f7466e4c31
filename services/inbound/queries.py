"""Reading requests and tickets as a user may see them (SPEC G5, H1).

A manager sees the requests assigned to them, those offered to their role
and those assigned to nobody; a role that sees every client sees every
request. Lists page by (received_at, id), newest first, never OFFSET.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select

from models import (
    InboundOriginal,
    InboundRequest,
    InboundRule,
    InboundSource,
    RejectionReason,
    Role,
    SupportTicket,
    User,
)
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork
from services.inbound.views import OriginalView, RequestView, TicketView

PAGE = 100
PREVIEW = 300


def visible(uow: UnitOfWork, actor: Actor) -> Any:
    """``access.check`` for requests as a SQL condition, for lists."""
    if actor.can(Permission.CLIENTS_VIEW_ALL):
        return InboundRequest.id.is_not(None)
    role_id = uow.session.scalar(select(User.role_id).where(User.id == actor.id))
    return or_(
        InboundRequest.owner_id == actor.id,
        and_(
            InboundRequest.owner_id.is_(None),
            or_(InboundRequest.role_id.is_(None), InboundRequest.role_id == role_id),
        ),
    )


def _names(uow: UnitOfWork, model: Any, column: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.session.execute(select(model.id, column).where(model.id.in_(sorted(ids))))
    return {r[0]: r[1] for r in rows}


def views(uow: UnitOfWork, rows: list[InboundRequest], *, full: bool) -> list[RequestView]:
    owners = _names(uow, User, User.full_name, {r.owner_id for r in rows if r.owner_id})
    roles = _names(uow, Role, Role.name, {r.role_id for r in rows if r.role_id})
    sources = _names(uow, InboundSource, InboundSource.name, {r.source_id for r in rows})
    rules = _names(uow, InboundRule, InboundRule.name, {r.rule_id for r in rows if r.rule_id})
    reasons = _names(
        uow,
        RejectionReason,
        RejectionReason.name_en,
        {r.rejection_reason_id for r in rows if r.rejection_reason_id},
    )
    tickets = _names(
        uow, SupportTicket, SupportTicket.number, {r.ticket_id for r in rows if r.ticket_id}
    )
    return [
        RequestView(
            id=r.id,
            source_id=r.source_id,
            source=sources.get(r.source_id, ""),
            channel=r.channel,
            sender_name=r.sender_name,
            sender_email=r.sender_email,
            sender_phone=r.sender_phone,
            sender_handle=r.sender_handle,
            subject=r.subject,
            body=r.body if full else r.body[:PREVIEW],
            received_at=r.received_at,
            state=r.state,
            owner_id=r.owner_id,
            owner=owners.get(r.owner_id) if r.owner_id else None,
            role_id=r.role_id,
            role=roles.get(r.role_id) if r.role_id else None,
            client_id=r.client_id,
            lead_id=r.lead_id,
            contact_id=r.contact_id,
            deal_id=r.deal_id,
            ticket_id=r.ticket_id,
            ticket_number=int(tickets[r.ticket_id]) if r.ticket_id in tickets else None,
            rule_id=r.rule_id,
            rule=rules.get(r.rule_id) if r.rule_id else None,
            why=dict(r.why or {}),
            outcome=r.outcome,
            created_lead=r.created_lead,
            rejection_reason_id=r.rejection_reason_id,
            rejection_reason=reasons.get(r.rejection_reason_id) if r.rejection_reason_id else None,
            rejection_note=r.rejection_note,
            mark=r.mark,
            processed=r.processed_at is not None,
            row_version=r.row_version,
        )
        for r in rows
    ]


def list_requests(
    uow: UnitOfWork,
    actor: Actor,
    *,
    state: str | None = None,
    client_id: int | None = None,
    lead_id: int | None = None,
    marked: bool | None = None,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = PAGE,
) -> list[RequestView]:
    """A page of the requests the actor sees, newest first; ``before`` is the
    last row's (received_at, id) of the previous page."""
    query = select(InboundRequest).where(visible(uow, actor))
    if state is not None:
        query = query.where(InboundRequest.state == state)
    if client_id is not None:
        query = query.where(InboundRequest.client_id == client_id)
    if lead_id is not None:
        query = query.where(InboundRequest.lead_id == lead_id)
    if marked is not None:
        query = query.where(
            InboundRequest.mark.is_not(None) if marked else InboundRequest.mark.is_(None)
        )
    if before is not None:
        at, last_id = before
        query = query.where(
            or_(
                InboundRequest.received_at < at,
                and_(InboundRequest.received_at == at, InboundRequest.id < last_id),
            )
        )
    query = query.order_by(InboundRequest.received_at.desc(), InboundRequest.id.desc())
    rows = list(uow.session.scalars(query.limit(max(1, min(limit, 1000)))))
    return views(uow, rows, full=False)


def counts(uow: UnitOfWork, actor: Actor) -> dict[str, int]:
    """Requests per state the actor sees, without auto-replies, bounces and
    list mail (they are kept, not work): the navigation's counters."""
    found = {state: 0 for state in ("new", "assigned", "converted", "rejected")}
    rows = uow.session.execute(
        select(InboundRequest.state, func.count())
        .where(visible(uow, actor), InboundRequest.mark.is_(None))
        .group_by(InboundRequest.state)
    )
    for state, count in rows:
        found[state] = int(count)
    return found


def visible_request(uow: UnitOfWork, actor: Actor, request_id: int) -> InboundRequest:
    access.check(uow, actor, "request", request_id)
    request = uow.session.get(InboundRequest, request_id)
    if request is None:
        raise NotFoundError("Inbound request", request_id)
    return request


def get_request(uow: UnitOfWork, actor: Actor, request_id: int) -> RequestView:
    return views(uow, [visible_request(uow, actor, request_id)], full=True)[0]


def original(uow: UnitOfWork, actor: Actor, request_id: int) -> OriginalView:
    visible_request(uow, actor, request_id)
    row = uow.session.get(InboundOriginal, request_id)
    if row is None:
        return OriginalView(request_id, "text/plain", b"", 0, False)
    return OriginalView(request_id, row.content_type, row.data, row.size, row.truncated)


def ticket_view(uow: UnitOfWork, ticket: SupportTicket) -> TicketView:
    owner = (
        uow.session.scalar(select(User.full_name).where(User.id == ticket.owner_id))
        if ticket.owner_id
        else None
    )
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        subject=ticket.subject,
        body=ticket.body,
        state=ticket.state,
        owner_id=ticket.owner_id,
        owner=owner,
        client_id=ticket.client_id,
        lead_id=ticket.lead_id,
        contact_id=ticket.contact_id,
        request_id=ticket.request_id,
        created_at=ticket.created_at,
        closed_at=ticket.closed_at,
    )


def visible_tickets(uow: UnitOfWork, actor: Actor) -> Any:
    if actor.can(Permission.CLIENTS_VIEW_ALL):
        return SupportTicket.id.is_not(None)
    from models import Client, Lead

    return or_(
        SupportTicket.owner_id.in_(actor.owner_ids),
        SupportTicket.client_id.in_(select(Client.id).where(Client.owner_id.in_(actor.owner_ids))),
        SupportTicket.lead_id.in_(select(Lead.id).where(Lead.owner_id.in_(actor.owner_ids))),
    )


def list_tickets(
    uow: UnitOfWork,
    actor: Actor,
    *,
    state: str | None = None,
    client_id: int | None = None,
    lead_id: int | None = None,
    limit: int = PAGE,
) -> list[TicketView]:
    query = select(SupportTicket).where(visible_tickets(uow, actor))
    if state is not None:
        query = query.where(SupportTicket.state == state)
    if client_id is not None:
        query = query.where(SupportTicket.client_id == client_id)
    if lead_id is not None:
        query = query.where(SupportTicket.lead_id == lead_id)
    rows = uow.session.scalars(
        query.order_by(SupportTicket.number.desc()).limit(max(1, min(limit, 1000)))
    )
    return [ticket_view(uow, t) for t in rows]


def get_ticket(uow: UnitOfWork, actor: Actor, ticket_id: int) -> TicketView:
    access.check(uow, actor, "ticket", ticket_id)
    ticket = uow.session.get(SupportTicket, ticket_id)
    if ticket is None:
        raise NotFoundError("Support ticket", ticket_id)
    return ticket_view(uow, ticket)
