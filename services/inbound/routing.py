"""Which rule applies to a request and who gets it (SPEC G2, G3).

Rules are tried in order; the first whose condition matches applies, else
the source's default rule. Assignment follows the seed: a request from a
known client (or lead) goes to that card's owner when the rule says so;
otherwise to a role (every member sees it, the first to take it owns it),
to the next user of a round-robin queue, or to one named user.

The round-robin position lives in ``inbound_round_robin`` and moves in the
transaction that stores the request's assignment, so a restart resumes
where the queue stood and a crash never skips or repeats a person. The dry
run passes a ``Queues`` that only counts in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import InboundRoundRobin, InboundRule, User
from services.inbound import conditions


@dataclasses.dataclass(frozen=True)
class RuleSpec:
    """A rule as routing reads it: from the database, or a draft being tried."""

    id: int | None
    name: str
    position: int = 0
    is_default: bool = False
    keywords: str = ""
    whole_word: bool = False
    known_to_owner: bool = True
    assign_mode: str = "round_robin"
    role_id: int | None = None
    user_id: int | None = None
    queue_user_ids: tuple[int, ...] = ()
    action: str = "none"
    pipeline_id: int | None = None
    stage_id: int | None = None
    deal_owner_id: int | None = None
    rejection_reason_id: int | None = None

    @classmethod
    def of(cls, rule: InboundRule) -> RuleSpec:
        return cls(
            id=rule.id,
            name=rule.name,
            position=rule.position,
            is_default=rule.is_default,
            keywords=rule.keywords,
            whole_word=rule.whole_word,
            known_to_owner=rule.known_to_owner,
            assign_mode=rule.assign_mode,
            role_id=rule.role_id,
            user_id=rule.user_id,
            queue_user_ids=tuple(int(u) for u in rule.queue_user_ids or ()),
            action=rule.action,
            pipeline_id=rule.pipeline_id,
            stage_id=rule.stage_id,
            deal_owner_id=rule.deal_owner_id,
            rejection_reason_id=rule.rejection_reason_id,
        )


@dataclasses.dataclass(frozen=True)
class Choice:
    rule: RuleSpec | None
    matched: tuple[str, ...]  # the keywords found; empty for the default rule


@dataclasses.dataclass(frozen=True)
class Assignment:
    owner_id: int | None
    role_id: int | None
    how: str  # client_owner | role | round_robin | user | none
    why: str


def source_rules(session: Session, source_id: int) -> list[RuleSpec]:
    rows = session.scalars(
        select(InboundRule)
        .where(InboundRule.source_id == source_id, InboundRule.active.is_(True))
        .order_by(InboundRule.position, InboundRule.id)
    )
    return [RuleSpec.of(r) for r in rows]


def choose(rules: Sequence[RuleSpec], subject: str, body: str) -> Choice:
    """The first rule whose keywords occur in the subject or body, else the
    default rule (the first one marked default), else none."""
    for rule in rules:
        if rule.is_default:
            continue
        found = conditions.matched(rule.keywords, subject, body, whole_word=rule.whole_word)
        if found:
            return Choice(rule, tuple(found))
    default = next((r for r in rules if r.is_default), None)
    return Choice(default, ())


class Queues:
    """Round-robin positions: stored (the real run) or counted in memory (dry run)."""

    def __init__(self, session: Session, *, persist: bool) -> None:
        self.session = session
        self.persist = persist
        self._memory: dict[int, int] = {}

    def position(self, rule_id: int) -> int:
        if rule_id in self._memory:
            return self._memory[rule_id]
        query = select(InboundRoundRobin.position).where(InboundRoundRobin.rule_id == rule_id)
        if self.persist:
            query = query.with_for_update()
        return int(self.session.scalar(query) or 0)

    def advance(self, rule_id: int, position: int, user_id: int) -> None:
        if not self.persist:
            self._memory[rule_id] = position
            return
        row = self.session.get(InboundRoundRobin, rule_id, with_for_update=True)
        if row is None:
            self.session.add(
                InboundRoundRobin(rule_id=rule_id, position=position, last_user_id=user_id)
            )
        else:
            row.position = position
            row.last_user_id = user_id
        self.session.flush()


def active_users(session: Session, ids: Iterable[int]) -> set[int]:
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return set()
    return set(session.scalars(select(User.id).where(User.id.in_(wanted), User.active.is_(True))))


def next_in_queue(queues: Queues, rule: RuleSpec) -> int | None:
    """The queue's next active user; the position moves past the ones skipped."""
    queue = rule.queue_user_ids
    if rule.id is None or not queue:
        return None
    active = active_users(queues.session, queue)
    start = queues.position(rule.id)
    for step in range(len(queue)):
        candidate = queue[(start + step) % len(queue)]
        if candidate in active:
            queues.advance(rule.id, start + step + 1, candidate)
            return candidate
    return None


def assign(
    queues: Queues, rule: RuleSpec | None, card_owner_id: int | None, card_label: str | None
) -> Assignment:
    """Who gets the request: ``card_owner_id`` is the owner of the client or
    lead the sender was found on (None: an unknown sender)."""
    session = queues.session
    if rule is None:
        return Assignment(None, None, "none", "no rule applies: left for anyone to take")
    owner_active = card_owner_id is not None and card_owner_id in active_users(
        session, [card_owner_id]
    )
    if owner_active and (rule.known_to_owner or rule.assign_mode == "client_owner"):
        return Assignment(card_owner_id, None, "client_owner", f"the owner of {card_label}")
    mode = rule.assign_mode
    if mode == "role" and rule.role_id is not None:
        return Assignment(None, rule.role_id, "role", "offered to a role: the first to take it")
    if mode == "round_robin":
        user_id = next_in_queue(queues, rule)
        if user_id is not None:
            return Assignment(user_id, None, "round_robin", "next in the round-robin queue")
        return Assignment(None, None, "none", "no active user in the round-robin queue")
    if rule.user_id is not None and rule.user_id in active_users(session, [rule.user_id]):
        return Assignment(rule.user_id, None, "user", "the rule's user")
    return Assignment(None, None, "none", "nobody to assign: left for anyone to take")
