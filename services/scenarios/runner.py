"""Running due scenario steps (SPEC F3, F5), on the one scheduler.

A due auto step is taken in three transactions:

1. the claim: ``running`` with a token and a lease, committed durably
   before anything is generated or queued;
2. the content, with no transaction open: the planned interaction's own
   text if the manager wrote one, else the template filled in, else an AI
   generation (the client's letter as delimited data);
3. the finish, durably: only while the token is still ours, the text goes
   on the planned interaction and, for an auto-send letter, into the outbox
   in the same transaction that records ``outbox_id``.

A runner killed anywhere leaves either nothing queued (the claim lapses
after ``LEASE`` and the step is taken again) or the letter queued and the
step recorded together: never two letters, never none. Sending is the
outbox's, which owns the exactly-once of SMTP. Steps that fell due while
the app was closed are simply due: each runs once when a pass comes.
A failure is kept on the step and retried with backoff, never dropped; an
AI server out of reach ends the round's generations, as the drafts queue does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from email.utils import make_msgid
from typing import Any

from sqlalchemy import Executable, Select, and_, bindparam, func, or_, select, update

from models import (
    ContactPoint,
    Interaction,
    MailAccount,
    OutboxItem,
    ScenarioRun,
    ScenarioRunStep,
    User,
)
from services.ai import client as ai
from services.ai import settings as ai_settings
from services.ai.settings import AiConfig, Message
from services.core import prepared
from services.core.access import Actor
from services.core.changes import Changes
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.interactions import actions as ix
from services.scenarios import content
from services.sync import log as sync_log
from services.sync import scenario_kinds

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)  # longer than any generation's timeout
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360)
BATCH = 200  # steps per pass; the rest are due on the next one
OPEN = ("pending", "running", "queued", "ready")

Generate = Callable[[AiConfig, Sequence[Message]], str]


def generate_blocking(config: AiConfig, messages: Sequence[Message]) -> str:
    """One AI letter through the ``openai`` client, from a worker thread."""
    return asyncio.run(ai.draft(config, messages))


@dataclasses.dataclass(frozen=True)
class Claimed:
    """A step taken by this runner: plain data for the work outside a transaction."""

    step_id: int
    token: str
    run_id: int
    interaction_id: int
    client_id: int
    contact_id: int
    started_by: int
    subject: str
    body: str
    prompt: str
    template_id: int | None
    ai: bool
    auto_send: bool
    attempts: int


@dataclasses.dataclass(frozen=True)
class StepReport:
    queued: tuple[int, ...] = ()  # letters put in the outbox
    written: tuple[int, ...] = ()  # AI texts written into planned interactions
    retrying: tuple[tuple[int, str], ...] = ()
    skipped: tuple[int, ...] = ()  # taken by someone else, or done by hand meanwhile
    settled: int = 0  # steps brought up to date with their letter or interaction
    letters: tuple[int, ...] = ()  # the outbox rows of the queued letters

    def changes(self) -> Changes:
        """What the change history does not record: the letters put in the
        outbox (the status bar's count) and the steps that moved on."""
        steps = [*self.queued, *self.written, *(i for i, _ in self.retrying)]
        return Changes.of(created={"outbox": self.letters}, updated={"scenario_step": steps})


def _due_filter(now: Any) -> Any:
    return or_(
        and_(
            ScenarioRunStep.state == "pending",
            ScenarioRunStep.auto.is_(True),
            ScenarioRunStep.due_utc <= now,
            or_(ScenarioRunStep.next_try_utc.is_(None), ScenarioRunStep.next_try_utc <= now),
        ),
        and_(ScenarioRunStep.state == "running", ScenarioRunStep.claimed_until <= now),
    )


def runs_here(node: str | None) -> Any:
    """The runs this database executes: a laptop replica its own (started
    there), the server and a single-user file those with no executor. Exactly
    one machine runs a run, so a letter is never sent twice (#20)."""
    if node is None:
        return ScenarioRun.executor.is_(None)
    return ScenarioRun.executor == bindparam("node")


def _due_statement(node: str | None) -> Select[Any]:
    query: Select[Any] = (
        select(ScenarioRunStep.id)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(_due_filter(bindparam("now")), ScenarioRun.state == "active", runs_here(node))
        .order_by(ScenarioRunStep.due_utc, ScenarioRunStep.id)
        .limit(bindparam("limit"))
    )
    return query


def due_ids(
    uow: UnitOfWork, now: dt.datetime, limit: int = BATCH, node: str | None = None
) -> list[int]:
    """The steps to take now, oldest first: one indexed query, compiled once.
    ``node``: the replica's own (``scenario_kinds.executing_node``)."""
    statement = prepared.prepared(
        prepared.dialect_of(uow), ("scenario_due", node is None), lambda: _due_statement(node)
    )
    params: dict[str, Any] = {"now": now, "limit": limit}
    if node is not None:
        params["node"] = node
    return [row[0] for row in statement.rows(uow, params)]


def _next_due_statement(node: str | None) -> Executable:
    """Three index lookups in one statement: the first pending auto step with
    no retry wait (in due order, so the scan stops at once), the first retry
    and the first claim to lapse."""
    live = and_(ScenarioRun.state == "active", runs_here(node))
    pending = ScenarioRunStep.state == "pending"
    first_due = (
        select(ScenarioRunStep.due_utc)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(
            pending, ScenarioRunStep.auto.is_(True), ScenarioRunStep.next_try_utc.is_(None), live
        )
        .order_by(ScenarioRunStep.due_utc)
        .limit(1)
        .scalar_subquery()
    )
    first_retry = (
        select(func.min(ScenarioRunStep.next_try_utc))
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(pending, ScenarioRunStep.next_try_utc.is_not(None), live)
        .scalar_subquery()
    )
    lapsing = (
        select(func.min(ScenarioRunStep.claimed_until))
        .where(ScenarioRunStep.state == "running")
        .scalar_subquery()
    )
    return select(first_due, first_retry, lapsing)


def next_due(uow: UnitOfWork, node: str | None = None) -> dt.datetime | None:
    """When the scheduler should look next: the earliest pending auto step
    (after its retry wait) or a lapsing claim, of the runs executed here."""
    statement = prepared.prepared(
        prepared.dialect_of(uow), ("scenario_next", node is None), lambda: _next_due_statement(node)
    )
    [row] = statement.rows(uow, {} if node is None else {"node": node})
    found = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in row if t is not None]
    return min(found) if found else None


def actor_of(uow: UnitOfWork, user_id: int) -> Actor:
    """The user a run acts for (its starter), with the permissions of their role."""
    user = uow.session.get(User, user_id)
    if user is None or not user.active:
        raise UserError(
            f"The user who started the run (id {user_id}) is no longer active",
            code="scenarios.runner.starter_inactive",
            params={"id": str(user_id)},
        )
    permissions = frozenset(user.role.permissions if user.role else ())
    return Actor(id=user.id, login=user.login, full_name=user.full_name, permissions=permissions)


def claim(db: Database, step_id: int, now: dt.datetime, node: str | None = None) -> Claimed | None:
    """Take the step durably, or None when it is not ours to take (another
    machine executes its run: ``node`` is this replica's, None elsewhere)."""
    token = str(uuid.uuid4())
    with db.uow(durable=True) as uow:
        taken = uow.session.execute(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.id == step_id, _due_filter(now))
            .values(
                state="running",
                claim_token=token,
                claimed_until=now + LEASE,
                attempts=ScenarioRunStep.attempts + 1,
            )
        )
        if not getattr(taken, "rowcount", 0):
            return None
        step = uow.session.get(ScenarioRunStep, step_id)
        assert step is not None
        run = uow.session.get(ScenarioRun, step.run_id)
        interaction = uow.session.get(Interaction, step.interaction_id)
        assert run is not None
        assert interaction is not None
        if run.state != "active" or run.executor != node:
            return None  # rolled back: paused, stopped or handed over meanwhile
        claimed = Claimed(
            step_id=step.id,
            token=token,
            run_id=run.id,
            interaction_id=interaction.id,
            client_id=run.client_id,
            contact_id=run.contact_id,
            started_by=run.started_by,
            subject=interaction.subject or "",
            body=interaction.body or "",
            prompt=step.prompt,
            template_id=step.template_id,
            ai=step.ai,
            auto_send=step.auto_send,
            attempts=step.attempts,
        )
        uow.commit()
    return claimed


@dataclasses.dataclass(frozen=True)
class Text:
    subject: str
    body: str


class AiWaiting(UserError):
    """The AI server cannot be reached now: the generation waits."""


def make_text(
    db: Database,
    job: Claimed,
    now: dt.datetime,
    generate: Generate,
    ai_reachable: bool = True,
) -> Text:
    """The letter: what the manager left on the planned interaction, else the
    filled-in template, else a generation."""
    if job.body.strip():
        return Text(job.subject, job.body)
    with db.reader() as uow:
        actor = actor_of(uow, job.started_by)
        filled = content.fill(
            uow,
            actor,
            subject=job.subject,
            prompt=job.prompt,
            template_id=job.template_id,
            ai=job.ai,
            client_id=job.client_id,
            contact_id=job.contact_id,
            now=now,
        )
        subject = job.subject or filled.subject
        if not filled.ai:
            return Text(subject, filled.body)
        if not ai_reachable:
            raise AiWaiting(
                "waiting for the AI server, out of reach in this round",
                code="scenarios.runner.ai_waiting",
            )
        messages = content.messages(uow, actor, filled, job.client_id, job.contact_id)
        config = ai_settings.config(uow)
    try:
        text = generate(config, messages)
    except ai.AiUnavailable as exc:
        raise AiWaiting(str(exc), code=exc.code or None, params=exc.params) from None
    return Text(subject, text.strip())


def _sender(uow: UnitOfWork, owner_id: int, started_by: int) -> MailAccount:
    for user_id in (owner_id, started_by):
        account = uow.session.scalar(
            select(MailAccount)
            .where(MailAccount.user_id == user_id, MailAccount.enabled.is_(True))
            .order_by(MailAccount.id)
            .limit(1)
        )
        if account is not None:
            return account
    raise UserError(
        "No mailbox to send from: add one in Settings → Mail", code="scenarios.runner.no_mailbox"
    )


def _recipient(uow: UnitOfWork, contact_id: int) -> str:
    address = uow.session.scalar(
        select(ContactPoint.normalized)
        .where(ContactPoint.contact_id == contact_id, ContactPoint.kind == "email")
        .order_by(ContactPoint.id)
        .limit(1)
    )
    if not address:
        raise UserError(
            "The contact person has no email address", code="scenarios.runner.no_address"
        )
    return address


def queue_letter(
    uow: UnitOfWork, step: ScenarioRunStep, interaction: Interaction, now: dt.datetime
) -> OutboxItem:
    """The planned interaction's letter into the outbox, due now."""
    run = uow.session.get(ScenarioRun, step.run_id)
    assert run is not None
    account = _sender(uow, interaction.owner_id, run.started_by)
    key = make_msgid(domain=account.email.rsplit("@", 1)[-1])[1:-1]
    item = OutboxItem(
        account_id=account.id,
        interaction_id=interaction.id,
        message_key=key,
        to_addrs=_recipient(uow, run.contact_id),
        cc_addrs="",
        subject=interaction.subject or "",
        body_text=interaction.body or "",
        send_at=now,
        state="queued",
    )
    uow.session.add(item)
    # So the sync of Sent links the letter to this interaction, not a new one.
    interaction.source_kind, interaction.source_key = "email", key
    uow.session.flush()
    return item


def finish(db: Database, job: Claimed, text: Text, now: dt.datetime) -> str:
    """Record the text and queue the letter, if the step is still ours:
    "queued", "written", or "lost" (another runner took it after our lease)."""
    with db.uow(durable=True) as uow:
        step = uow.session.get(ScenarioRunStep, job.step_id)
        assert step is not None
        if step.state != "running" or step.claim_token != job.token:
            return "lost"
        interaction = uow.session.get(Interaction, job.interaction_id)
        assert interaction is not None
        if not text.subject.strip() and job.auto_send:
            raise UserError("The letter has no subject", code="scenarios.runner.no_subject")
        interaction.subject = text.subject.strip()[: ix.MAX_SUBJECT] or None
        interaction.body = text.body
        interaction.search_text = ix.search_text(interaction.subject, interaction.body)
        step.claim_token, step.claimed_until = None, None
        step.last_error, step.next_try_utc = "", None
        if job.auto_send:
            item = queue_letter(uow, step, interaction, now)
            step.outbox_id = item.id
            step.state = "queued"
        else:
            step.state = "ready"
        uow.commit()
    return "queued" if job.auto_send else "written"


def record_failure(db: Database, job: Claimed, error: str, now: dt.datetime) -> None:
    """Back to pending with the reason and a growing wait; never dropped."""
    wait = BACKOFF_MINUTES[min(job.attempts, len(BACKOFF_MINUTES)) - 1]
    with db.uow() as uow:
        failed = uow.session.scalars(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.id == job.step_id, ScenarioRunStep.claim_token == job.token)
            .values(
                state="pending",
                claim_token=None,
                claimed_until=None,
                last_error=error[:2000],
                next_try_utc=now + dt.timedelta(minutes=wait),
            )
            .returning(ScenarioRunStep.id)
        ).all()
        _log_bulk(uow, "scenario_run_step", failed, FAILURE_FIELDS)
        uow.commit()


def _skip_if_handled(db: Database, job: Claimed, now: dt.datetime) -> bool:
    """A step whose interaction the manager completed, cancelled or moved
    later by hand is not run: it follows the interaction."""
    with db.uow(durable=True) as uow:
        step = uow.session.get(ScenarioRunStep, job.step_id)
        interaction = uow.session.get(Interaction, job.interaction_id)
        assert step is not None
        assert interaction is not None
        if step.claim_token != job.token:
            return True
        if interaction.state == "planned" and interaction.start_utc <= now:
            return False
        if interaction.state == "planned":
            step.due_utc = interaction.start_utc
            step.state = "pending"
        else:
            step.state = "done" if interaction.state == "done" else "cancelled"
        step.claim_token, step.claimed_until = None, None
        uow.commit()
    return True


def run_due(
    db: Database,
    now: dt.datetime | None = None,
    *,
    generate: Generate = generate_blocking,
    limit: int = BATCH,
) -> StepReport:
    """One pass: settle what happened since, then take each due step once."""
    now = now or dt.datetime.now(dt.UTC)
    with db.reader() as uow:
        node = scenario_kinds.node_here(uow)
    settled = settle(db, now, node)
    with db.reader() as uow:
        ids = due_ids(uow, now, limit, node)
    queued: list[int] = []
    written: list[int] = []
    retrying: list[tuple[int, str]] = []
    skipped: list[int] = []
    ai_reachable = True
    for step_id in ids:
        job = claim(db, step_id, now, node)
        if job is None or _skip_if_handled(db, job, now):
            skipped.append(step_id)
            continue
        try:
            text = make_text(db, job, now, generate, ai_reachable)
            outcome = finish(db, job, text, now)
        except AiWaiting as exc:
            ai_reachable = False
            record_failure(db, job, str(exc), now)
            retrying.append((step_id, str(exc)))
            continue
        except UserError as exc:
            record_failure(db, job, str(exc), now)
            retrying.append((step_id, str(exc)))
            continue
        if outcome == "queued":
            queued.append(step_id)
        elif outcome == "written":
            written.append(step_id)
        else:
            skipped.append(step_id)
    settled += settle(db, now, node)
    letters: list[int] = []
    if queued:
        with db.reader() as uow:
            letters = [
                i
                for i in uow.session.scalars(
                    select(ScenarioRunStep.outbox_id).where(ScenarioRunStep.id.in_(queued))
                )
                if i is not None
            ]
    return StepReport(
        tuple(queued), tuple(written), tuple(retrying), tuple(skipped), settled, tuple(letters)
    )


def settle(db: Database, now: dt.datetime, node: str | None = None) -> int:
    """Steps follow their letter and interaction (sent, failed, done or
    cancelled by hand); a run with nothing left to happen is done. Only the
    runs executed here (``node``, as ``run_due``): their executor alone
    moves their steps, the other machine learns it by the sync."""
    changed: list[int] = []
    with db.uow() as uow:
        session = uow.session
        sent = select(OutboxItem.id).where(
            OutboxItem.id == ScenarioRunStep.outbox_id, OutboxItem.state == "sent"
        )
        changed += session.scalars(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.state == "queued", sent.exists())
            .values(state="sent")
            .returning(ScenarioRunStep.id)
            .execution_options(synchronize_session=False)
        ).all()
        for step_id, error in session.execute(
            select(ScenarioRunStep.id, OutboxItem.last_error)
            .join(OutboxItem, OutboxItem.id == ScenarioRunStep.outbox_id)
            .where(ScenarioRunStep.state == "queued", OutboxItem.state == "failed")
        ).all():
            session.execute(
                update(ScenarioRunStep)
                .where(ScenarioRunStep.id == step_id)
                .values(state="failed", last_error=error or "the letter could not be sent")
            )
            changed.append(step_id)
        params = {} if node is None else {"node": node}
        mine = select(ScenarioRun.id).where(runs_here(node))
        for final in ("done", "cancelled"):
            handled = (
                select(Interaction.id)
                .where(Interaction.id == ScenarioRunStep.interaction_id, Interaction.state == final)
                .exists()
            )
            changed += session.scalars(
                update(ScenarioRunStep)
                .where(
                    ScenarioRunStep.state.in_(("pending", "ready")),
                    handled,
                    ScenarioRunStep.run_id.in_(mine),
                )
                .values(state=final)
                .returning(ScenarioRunStep.id)
                .execution_options(synchronize_session=False),
                params,
            ).all()
        still_open = (
            select(ScenarioRunStep.id)
            .where(ScenarioRunStep.run_id == ScenarioRun.id, ScenarioRunStep.state.in_(OPEN))
            .exists()
        )
        ended = session.scalars(
            update(ScenarioRun)
            .where(ScenarioRun.state == "active", ~still_open, runs_here(node))
            .values(state="done", stopped_at=now)
            .returning(ScenarioRun.id)
            .execution_options(synchronize_session=False),
            params,
        ).all()
        _log_bulk(uow, "scenario_run_step", changed, ("state",))
        _log_bulk(uow, "scenario_run", ended, ("state",))
        uow.commit()
    return len(changed) + len(ended)


FAILURE_FIELDS = ("state", "attempts", "next_try_utc")


def _log_bulk(uow: UnitOfWork, kind: str, ids: Sequence[int], fields: Sequence[str]) -> None:
    """The runner's set-based writes into the sync's change log (a replica)
    or field clocks (the team server): the flush hook sees ORM writes only."""
    if ids:
        sync_log.record_bulk(uow.session, kind, ids, fields)
