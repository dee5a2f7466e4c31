"""What a person does with inbound requests, shared by the window and
``touchpoint inbound``: list and read them, take one, hand it to a
colleague, decline it with a reason, link it to a client, lead or deal,
and undo a conversion the rule got wrong. Each is ``(db, actor, ...)``,
one unit of work, and returns its value with the ``Changes`` it made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import exists, select

from models import (
    Contact,
    Deal,
    InboundRequest,
    InboundRule,
    Interaction,
    RejectionReason,
    SupportTicket,
    User,
)
from models.base import utcnow
from services.core import access
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database, UnitOfWork
from services.feed import touched
from services.inbound import actions, mail_poll, processing, queries, routing
from services.inbound.views import OriginalView, RequestView, TicketView
from services.parties import edits

TICKET_STATES = ("open", "in_progress", "closed")


def _request_changes(view: RequestView, **extra: list[int]) -> Changes:
    cards = [("client", view.client_id), ("lead", view.lead_id), ("deal", view.deal_id)]
    return Changes.of(
        updated={"inbound_request": [view.id], **extra},
        cards=[(k, v) for k, v in cards if v is not None],
    )


def _acting(
    db: Database,
    actor: Actor,
    request_id: int,
    work: Callable[[UnitOfWork, InboundRequest], None],
) -> Outcome[RequestView]:
    """Run ``work(uow, request)`` on a request the actor may act on."""

    def body(uow: UnitOfWork) -> RequestView:
        actor.require(Permission.INTERACTIONS)
        request = queries.visible_request(uow, actor, request_id)
        work(uow, request)
        uow.session.flush()
        # Read back without a second access check: a request just handed to a
        # colleague is no longer the actor's to see, and the handover stands.
        return queries.views(uow, [request], full=True)[0]

    made = touched.in_unit(db, actor, body)
    return touched.plus(made, _request_changes(made.value))


def list_requests(
    db: Database, actor: Actor, *, state: str | None = None, limit: int = queries.PAGE, **kw: object
) -> list[RequestView]:
    with db.reader(actor.id) as uow:
        return queries.list_requests(uow, actor, state=state, limit=limit, **kw)  # type: ignore[arg-type]


def counts(db: Database, actor: Actor) -> dict[str, int]:
    with db.reader(actor.id) as uow:
        return queries.counts(uow, actor)


def get_request(db: Database, actor: Actor, request_id: int) -> RequestView:
    with db.reader(actor.id) as uow:
        return queries.get_request(uow, actor, request_id)


def original(db: Database, actor: Actor, request_id: int) -> OriginalView:
    with db.reader(actor.id) as uow:
        return queries.original(uow, actor, request_id)


def _check_open(request: InboundRequest) -> None:
    if request.state in ("converted", "rejected"):
        raise ValidationError(
            f"Request {request.id} is already {request.state}; undo it first",
            code="inbound.closed",
            params={"id": str(request.id), "state": request.state},
        )


def _run_waiting(uow: UnitOfWork, request: InboundRequest, now: dt.datetime) -> None:
    """A request offered to a role waited for an owner before its rule's
    deal or ticket was made: the one who takes it now gets them."""
    if request.outcome != "waiting" or request.owner_id is None:
        return
    rule = uow.session.get(InboundRule, request.rule_id) if request.rule_id else None
    spec = routing.RuleSpec.of(rule) if rule is not None else None
    if spec is None or spec.action not in actions.CONVERTING:
        request.outcome = None
        return
    party = actions.find_party(uow.session, request)
    effect = actions.convert(uow, request, spec, spec.action, request.owner_id, party, now)
    request.why = dict(request.why or {}) | {"effect": effect, "taken_by": request.owner_id}


def accept(db: Database, actor: Actor, request_id: int) -> Outcome[RequestView]:
    """Take the request: the first member of a role to take it owns it; a
    rule's deal or ticket that waited for an owner is made now."""

    def work(uow: UnitOfWork, request: InboundRequest) -> None:
        _check_open(request)
        if request.owner_id not in (None, actor.id):
            raise ValidationError(
                f"Request {request.id} is already taken by someone else",
                code="inbound.taken",
                params={"id": str(request.id)},
            )
        request.owner_id = actor.id
        request.role_id = None
        request.state = "assigned"
        request.taken_at = utcnow()
        uow.session.flush()  # a second taker's stale row version fails here
        _run_waiting(uow, request, utcnow())

    return _acting(db, actor, request_id, work)


def reassign(db: Database, actor: Actor, request_id: int, user_id: int) -> Outcome[RequestView]:
    def work(uow: UnitOfWork, request: InboundRequest) -> None:
        _check_open(request)
        user = uow.session.get(User, user_id)
        if user is None or not user.active:
            raise ValidationError(
                f"No active user with id {user_id}",
                "user",
                code="inbound.no_active_user",
                params={"id": str(user_id)},
            )
        request.owner_id = user_id
        request.role_id = None
        request.state = "assigned"
        uow.session.flush()
        _run_waiting(uow, request, utcnow())

    return _acting(db, actor, request_id, work)


def reject(
    db: Database, actor: Actor, request_id: int, reason_id: int, note: str | None = None
) -> Outcome[RequestView]:
    """Decline with a reason from the list (and an optional note)."""

    def work(uow: UnitOfWork, request: InboundRequest) -> None:
        _check_open(request)
        reason = uow.session.get(RejectionReason, reason_id)
        if reason is None:
            raise NotFoundError("Rejection reason", reason_id)
        text = " ".join((note or "").split())[:1000] or None
        if request.owner_id is None:
            request.owner_id = actor.id
        actions.reject(request, reason.id, text)

    return _acting(db, actor, request_id, work)


def link(
    db: Database,
    actor: Actor,
    request_id: int,
    *,
    client_id: int | None = None,
    lead_id: int | None = None,
    deal_id: int | None = None,
) -> Outcome[RequestView]:
    """Put the request on an existing client or lead, or attach it to a deal
    (which converts it: no new deal is made for it)."""
    if sum(v is not None for v in (client_id, lead_id, deal_id)) != 1:
        raise ValidationError(
            "Link the request to exactly one client, lead or deal",
            "target",
            code="inbound.link_one_target",
        )

    def work(uow: UnitOfWork, request: InboundRequest) -> None:
        if deal_id is not None:
            _check_open(request)
            access.check(uow, actor, "deal", deal_id)
            deal = uow.session.get(Deal, deal_id)
            if deal is None:
                raise NotFoundError("Deal", deal_id)
            request.deal_id = deal.id
            request.client_id, request.lead_id = deal.client_id, deal.lead_id
            request.state = "converted"
            request.outcome = "deal_linked"
        else:
            kind, target = ("client", client_id) if client_id is not None else ("lead", lead_id)
            assert target is not None
            access.check(uow, actor, kind, target)
            request.client_id = client_id
            request.lead_id = lead_id
            request.contact_id = None
        if request.owner_id is None:
            request.owner_id = actor.id
            request.role_id = None
            if request.state == "new":
                request.state = "assigned"

    return _acting(db, actor, request_id, work)


def _lead_is_bare(uow: UnitOfWork, lead_id: int) -> bool:
    """Nothing but its own addresses hangs on the lead: it can go with the undo."""
    session = uow.session
    for column, extra in (
        (Deal.lead_id, Deal.archived_at.is_(None)),
        (Interaction.lead_id, Interaction.id.is_not(None)),
        (Contact.lead_id, Contact.archived_at.is_(None)),
        (SupportTicket.lead_id, SupportTicket.id.is_not(None)),
    ):
        if session.scalar(select(exists().where(column == lead_id, extra))):
            return False
    return True


def undo(db: Database, actor: Actor, request_id: int) -> Outcome[RequestView]:
    """Undo a wrong conversion or rejection: the deal it made is archived, the
    ticket removed (and the lead made for an unknown sender archived, when
    nothing else is on it);
    an attached or linked deal is only detached. The request is open again."""
    removed: dict[str, list[int]] = {}

    def work(uow: UnitOfWork, request: InboundRequest) -> None:
        session = uow.session
        if request.state not in ("converted", "rejected"):
            raise ValidationError(
                f"Request {request.id} has no conversion to undo",
                "state",
                code="inbound.nothing_to_undo",
                params={"id": str(request.id)},
            )
        if request.outcome == "deal_created" and request.deal_id is not None:
            access.check(uow, actor, "deal", request.deal_id)
            if session.scalar(select(exists().where(Interaction.deal_id == request.deal_id))):
                raise ValidationError(
                    f"Deal {request.deal_id} has interactions now: archive it instead",
                    "deal",
                    code="inbound.undo_deal_has_interactions",
                    params={"id": str(request.deal_id)},
                )
            # Archived, not deleted: its history stays (archive is how cards go).
            edits.set_archived(uow, actions.system_actor(actor.id), "deal", request.deal_id, True)
            removed.setdefault("deal", []).append(request.deal_id)
            request.deal_id = None
        if request.outcome == "ticket_created" and request.ticket_id is not None:
            ticket = session.get(SupportTicket, request.ticket_id)
            request.ticket_id = None
            if ticket is not None:
                session.flush()
                session.delete(ticket)
                removed.setdefault("ticket", []).append(ticket.id)
        if request.outcome in ("deal_attached", "deal_linked"):
            request.deal_id = None
        session.flush()
        if request.created_lead and request.lead_id is not None:
            if _lead_is_bare(uow, request.lead_id):
                edits.set_archived(
                    uow, actions.system_actor(actor.id), "lead", request.lead_id, True
                )
                removed.setdefault("lead", []).append(request.lead_id)
            request.created_lead = False
        request.rejection_reason_id = None
        request.rejection_note = None
        request.outcome = None
        request.state = "assigned" if request.owner_id is not None else "new"
        request.why = dict(request.why or {}) | {"undone_by": actor.id}

    made = _acting(db, actor, request_id, work)
    return touched.plus(made, Changes.of(removed=removed))


@dataclasses.dataclass(frozen=True)
class Polled:
    polled: mail_poll.PollResult
    processed: processing.Processed

    def changes(self) -> Changes:
        """What the poll wrote, for the change bus after a background run
        (the change history does not record requests)."""
        return Changes.of(
            created={"inbound_request": self.polled.request_ids},
            updated={
                "inbound_request": self.processed.request_ids,
                "inbound_source": [self.polled.source_id],
            },
        )


def poll_source(
    db: Database, source_id: int, *, now: dt.datetime | None = None, **kw: Any
) -> Outcome[Polled]:
    """A processed mailbox's new letters become requests, then its rules
    run over them (the scheduler's "inbound:<source>" job and ``touchpoint
    inbound poll``); the two halves resume independently after a crash."""
    polled = mail_poll.poll(db, source_id, now=now, **kw)
    done, changes = processing.process_pending(db, source_id, now=now)
    made = Polled(polled, done)
    return Outcome(made, changes | made.changes())


def process(db: Database, source_id: int | None = None) -> Outcome[processing.Processed]:
    """Run the rules over every request not yet processed (the scheduler's
    second half of a poll; also after a rule change, by hand)."""
    done, changes = processing.process_pending(db, source_id)
    return Outcome(done, changes)


# --- support tickets -------------------------------------------------------------


def list_tickets(db: Database, actor: Actor, **kw: object) -> list[TicketView]:
    with db.reader(actor.id) as uow:
        return queries.list_tickets(uow, actor, **kw)  # type: ignore[arg-type]


def get_ticket(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    with db.reader(actor.id) as uow:
        return queries.get_ticket(uow, actor, ticket_id)


def set_ticket_state(db: Database, actor: Actor, ticket_id: int, state: str) -> Outcome[TicketView]:
    if state not in TICKET_STATES:
        raise ValidationError(
            f"A ticket is {', '.join(TICKET_STATES)}, not {state!r}",
            "state",
            code="inbound.ticket_state",
            params={"allowed": ", ".join(TICKET_STATES), "value": state},
        )

    def body(uow: UnitOfWork) -> TicketView:
        actor.require(Permission.INTERACTIONS)
        access.check(uow, actor, "ticket", ticket_id)
        ticket = uow.session.get(SupportTicket, ticket_id)
        if ticket is None:
            raise NotFoundError("Support ticket", ticket_id)
        ticket.state = state
        ticket.closed_at = utcnow() if state == "closed" else None
        uow.session.flush()
        return queries.ticket_view(uow, ticket)

    made = touched.in_unit(db, actor, body)
    cards = [("client", made.value.client_id), ("lead", made.value.lead_id)]
    return touched.plus(
        made,
        Changes.of(
            updated={"ticket": [ticket_id]}, cards=[(k, v) for k, v in cards if v is not None]
        ),
    )
