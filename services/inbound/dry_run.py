"""Replaying rules over earlier requests before a rule change is saved.

The dry run reads only: it opens a reader (no write lock, nothing to roll
back), routes each of the last N requests with the rules as they would be
(the saved ones, or a draft list), counts the round-robin queues in memory
from where they stand, and sets what it would do beside what happened
when the request arrived.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from models import InboundSource, Role, User
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.inbound import actions, routing, setup
from services.inbound.routing import RuleSpec
from services.inbound.views import DryRunRow


def dry_run(
    db: Database,
    actor: Actor,
    source_id: int,
    *,
    last: int = 50,
    rules: Sequence[RuleSpec] | None = None,
) -> list[DryRunRow]:
    """What the rules (``rules``: a draft; None: the saved ones) would do with
    the source's last ``last`` requests, oldest first as they arrived."""
    actor.require(Permission.SETTINGS)
    with db.reader(actor.id) as uow:
        session = uow.session
        if session.get(InboundSource, source_id) is None:
            raise NotFoundError("Source", source_id)
        specs = list(rules) if rules is not None else routing.source_rules(session, source_id)
        specs.sort(key=lambda r: (r.position, r.id or 0))
        queues = routing.Queues(session, persist=False)
        names = {r[0]: r[1] for r in session.execute(select(User.id, User.full_name))}
        roles = {r[0]: r[1] for r in session.execute(select(Role.id, Role.name))}
        out: list[DryRunRow] = []
        for request in reversed(setup.requests_of_source(uow, source_id, last)):
            if request.mark is not None:
                choice = routing.Choice(None, ())
                plan = actions.Plan(
                    choice,
                    routing.Assignment(None, None, "none", request.mark),
                    None,
                    None,
                    "none",
                    False,
                )
            else:
                choice = routing.choose(specs, request.subject, request.body)
                party = actions.find_party(session, request)
                if party is not None and request.created_lead and party.lead_id == request.lead_id:
                    party = None  # the lead this request made was not there when it came
                assignment = routing.assign(
                    queues,
                    choice.rule,
                    party.owner_id if party else None,
                    party.label if party else None,
                )
                # nor was the deal it made: replayed, it would make it, not join it
                own_deal = request.deal_id if request.outcome == "deal_created" else None
                plan = actions.plan(session, choice, assignment, party, own_deal)
            did_rule = (request.why or {}).get("rule")
            did_effect = request.outcome or (request.why or {}).get("effect")
            owner = plan.assignment.owner_id
            out.append(
                DryRunRow(
                    request_id=request.id,
                    subject=request.subject,
                    sender=request.sender_name
                    or request.sender_email
                    or request.sender_phone
                    or request.sender_handle
                    or "",
                    would_rule=plan.rule.name if plan.rule else None,
                    would_matched=plan.choice.matched,
                    would_owner_id=owner,
                    would_owner=names.get(owner) if owner else None,
                    would_role=roles.get(plan.assignment.role_id)
                    if plan.assignment.role_id
                    else None,
                    would_effect=plan.effect,
                    would_new_lead=plan.new_lead,
                    did_rule=str(did_rule) if did_rule else None,
                    did_owner_id=request.owner_id,
                    did_owner=names.get(request.owner_id) if request.owner_id else None,
                    did_effect=str(did_effect) if did_effect else None,
                    same=(owner == request.owner_id and plan.effect == (did_effect or "none")),
                )
            )
        return out
