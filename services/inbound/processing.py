"""Running a source's rules over its new requests, one transaction each.

A request is processed once: ``processed_at`` is set in the transaction
that stores its assignment and whatever its rule made, so a crash between
two requests leaves the second for the next pass and never repeats the
first. An auto-reply, a delivery report or list mail (``mark``) is kept as
it is: no rule runs, nothing is created.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import InboundRequest
from models.base import utcnow
from services.core.changes import Changes, Outcome
from services.core.errors import EnvironmentFault
from services.core.storage import Database, UnitOfWork
from services.feed import touched
from services.inbound import actions, routing
from services.inbound.actions import Plan

BATCH = 200
MARK_WHY = {
    "auto_reply": "an automatic reply: kept, nothing created",
    "bounce": "a delivery report (bounce): kept, nothing created",
    "list": "mailing-list mail: kept, nothing created",
}


@dataclasses.dataclass(frozen=True)
class Processed:
    request_ids: tuple[int, ...]
    effects: dict[str, int]  # effect -> how many
    failed: tuple[tuple[int, str], ...]  # request id, why it stays unprocessed


def decide(session: Session, request: InboundRequest, queues: routing.Queues) -> Plan:
    """The plan for one request: rule, assignee, card, effect (writes only the
    queue position, and only when ``queues`` persists)."""
    rules = routing.source_rules(session, request.source_id)
    choice = routing.choose(rules, request.subject, request.body)
    party = actions.find_party(session, request)
    assignment = routing.assign(
        queues, choice.rule, party.owner_id if party else None, party.label if party else None
    )
    return actions.plan(session, choice, assignment, party)


def why_of(plan: Plan) -> dict[str, object]:
    rule = plan.rule
    return {
        "rule_id": rule.id if rule else None,
        "rule": rule.name if rule else None,
        "default": bool(rule and rule.is_default),
        "matched": list(plan.choice.matched),
        "party": plan.party.label if plan.party else None,
        "assigned": plan.assignment.how,
        "assigned_why": plan.assignment.why,
        "action": rule.action if rule else "none",
        "effect": plan.effect,
        "new_lead": plan.new_lead,
    }


def run_plan(uow: UnitOfWork, request: InboundRequest, plan: Plan, now: dt.datetime) -> str:
    """Carry out ``plan`` on ``request``; the effect that happened."""
    rule = plan.rule
    request.rule_id = rule.id if rule else None
    request.owner_id = plan.assignment.owner_id
    request.role_id = plan.assignment.role_id
    request.processed_at = now
    if plan.party is not None:
        request.client_id = plan.party.client_id
        request.lead_id = plan.party.lead_id if plan.party.client_id is None else None
        request.contact_id = plan.party.contact_id
    request.state = "assigned" if request.owner_id is not None else "new"
    effect = plan.effect
    if effect == "rejected":
        actions.reject(request, rule.rejection_reason_id if rule else None, None)
    elif effect in ("deal_created", "ticket_created", "deal_attached"):
        owner = request.owner_id or (rule.deal_owner_id if rule else None)
        assert owner is not None or effect == "deal_attached"
        action = rule.action if rule else "deal"
        effect = actions.convert(uow, request, rule, action, owner or 0, plan.party, now)
    else:
        request.outcome = effect if effect == "waiting" else None
    request.why = why_of(plan) | {"effect": effect}
    uow.session.flush()
    return effect


@dataclasses.dataclass(frozen=True)
class Done:
    effect: str
    request_id: int
    ticket_id: int | None
    cards: tuple[tuple[str, int], ...]

    def changes(self) -> Changes:
        tickets = [self.ticket_id] if self.ticket_id is not None else []
        created = {"ticket": tickets} if self.effect == "ticket_created" else {}
        return Changes.of(
            created=created, updated={"inbound_request": [self.request_id]}, cards=self.cards
        )


def _cards(request: InboundRequest) -> tuple[tuple[str, int], ...]:
    pairs = (("client", request.client_id), ("lead", request.lead_id), ("deal", request.deal_id))
    return tuple((k, v) for k, v in pairs if v is not None)


def process_one(uow: UnitOfWork, request_id: int, now: dt.datetime) -> Done | None:
    """Process the request unless it already was; None if it was."""
    session = uow.session
    request = session.get(InboundRequest, request_id, with_for_update=True)
    if request is None or request.processed_at is not None:
        return None
    if request.mark is not None:
        request.processed_at = now
        request.why = {"mark": request.mark, "effect": "none", "why": MARK_WHY[request.mark]}
        session.flush()
        return Done("marked", request.id, None, ())
    plan = decide(session, request, routing.Queues(session, persist=True))
    effect = run_plan(uow, request, plan, now)
    return Done(effect, request.id, request.ticket_id, _cards(request))


def _give_up(db: Database, request_id: int, error: str, now: dt.datetime) -> None:
    """A request its rule cannot process (a rule naming a deleted stage) is
    left new and unassigned for a person, with the reason, instead of being
    tried again on every poll."""
    with db.uow(durable=True) as uow:
        request = uow.session.get(InboundRequest, request_id)
        if request is not None and request.processed_at is None:
            request.processed_at = now
            request.state = "new"
            request.why = {"effect": "failed", "error": error[:500]}
            uow.commit()


def _process_committed(db: Database, request_id: int, at: dt.datetime) -> Outcome[Done | None]:
    with db.uow(durable=True) as uow:
        made = touched.recorded(uow, lambda: process_one(uow, request_id, at))
        uow.commit()
    return made


def pending(db: Database, source_id: int | None = None, limit: int = BATCH) -> list[int]:
    with db.reader() as uow:
        query = select(InboundRequest.id).where(InboundRequest.processed_at.is_(None))
        if source_id is not None:
            query = query.where(InboundRequest.source_id == source_id)
        return list(uow.session.scalars(query.order_by(InboundRequest.id).limit(limit)))


def process_pending(
    db: Database, source_id: int | None = None, *, now: dt.datetime | None = None
) -> tuple[Processed, Changes]:
    """Every unprocessed request (of one source), each in its own transaction.
    One that a rule cannot process never stops the others; a busy or
    unreachable database stops the pass (the next one resumes)."""
    done: list[int] = []
    effects: dict[str, int] = {}
    failed: list[tuple[int, str]] = []
    changes = Changes()
    tried: set[int] = set()
    while True:
        ids = [i for i in pending(db, source_id) if i not in tried]
        if not ids:
            break
        for request_id in ids:
            tried.add(request_id)
            at = now or utcnow()
            try:
                made = _process_committed(db, request_id, at)
            except EnvironmentFault:
                raise
            except Exception as exc:  # noqa: BLE001 - one bad request never stops the batch
                failed.append((request_id, str(exc)[:300]))
                _give_up(db, request_id, f"{type(exc).__name__}: {exc}", at)
                changes = changes | Changes.of(updated={"inbound_request": [request_id]})
                continue
            if made.value is None:
                continue
            done.append(request_id)
            effects[made.value.effect] = effects.get(made.value.effect, 0) + 1
            changes = changes | made.changes | made.value.changes()
    return Processed(tuple(done), effects, tuple(failed)), changes
