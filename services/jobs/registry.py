"""Every periodic job kind, in the order a pass runs them: mail first (new
letters), then linking (attach them), the outbox, the AI drafts queue.

A kind finds its job instances and when each wants to run from its own
stored data, and knows how to run one (blocking, in a worker thread or a
headless pass). Scenario steps and inbound polling register here too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Row, func, or_, select

from models import AiDraftRequest, MailAccount, OutboxItem
from services.core import settings
from services.core.access import Actor
from services.core.scheduler import ASAP, JobSpec
from services.core.storage import Database, UnitOfWork


@dataclasses.dataclass(frozen=True)
class Scope:
    """Whose jobs: the desktop runs its user's mailboxes and AI queue;
    ``user_id`` None (a headless pass) runs every mailbox."""

    actor: Actor | None = None
    user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class JobKind:
    name: str
    find: Callable[[UnitOfWork, Scope], list[JobSpec]]
    run: Callable[[Database, JobSpec, Scope, dt.datetime], Any]
    summary: Callable[[Any], str]


def _mail_find(uow: UnitOfWork, scope: Scope) -> list[JobSpec]:
    query = select(MailAccount.id, MailAccount.last_sync_at, MailAccount.sync_minutes).where(
        MailAccount.enabled.is_(True)
    )
    if scope.user_id is not None:
        query = query.where(MailAccount.user_id == scope.user_id)
    return _every(uow.session.execute(query.order_by(MailAccount.id)), "mail", lane=None)


def _every(
    rows: Iterable[Row[int, dt.datetime | None, int]], kind: str, lane: str | None
) -> list[JobSpec]:
    """One job per row of (id, last run, minutes between runs): due that long
    after its last run, at once before its first; ``lane`` None: its own."""
    out = []
    for row_id, last, minutes in rows:
        every = dt.timedelta(minutes=minutes)
        key = f"{kind}:{row_id}"
        out.append(
            JobSpec(key, kind, lane or key, last + every if last is not None else ASAP, every)
        )
    return out


def account_of(spec: JobSpec) -> int:
    return int(spec.key.split(":", 1)[1])


def _mail_run(db: Database, spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.mail import imap_sync

    return imap_sync.sync_account(db, account_of(spec), now=now)


def _mail_summary(result: Any) -> str:
    return f"{result.imported} imported, {result.unlinked} unlinked" + (
        ", cancelled" if result.cancelled else ""
    )


def _linking_find(uow: UnitOfWork, _scope: Scope) -> list[JobSpec]:
    every = dt.timedelta(minutes=int(settings.get(uow, "link_minutes")))
    last = settings.get(uow, "link_last_run")
    wanted = dt.datetime.fromisoformat(last) + every if last else ASAP
    return [JobSpec("linking", "linking", "write", wanted, every)]


def _linking_run(db: Database, _spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.linking import job as linking

    return linking.run(db, now=now)


def _linking_summary(report: Any) -> str:
    return f"{report.emails} letters and {report.calls} calls linked"


def _outbox_find(uow: UnitOfWork, scope: Scope) -> list[JobSpec]:
    """Due at the earliest send time of a waiting letter (after its retry
    wait); at once for a letter left "sending" by a crash."""
    when = func.coalesce(OutboxItem.next_attempt_at, OutboxItem.send_at)
    query = select(
        func.min(when).filter(OutboxItem.state == "queued"),
        func.count().filter(OutboxItem.state == "sending"),
    ).where(or_(OutboxItem.state == "queued", OutboxItem.state == "sending"))
    if scope.user_id is not None:
        query = query.join(MailAccount).where(MailAccount.user_id == scope.user_id)
    first, interrupted = uow.session.execute(query).one()
    wanted = ASAP if interrupted else first
    if wanted is not None and wanted.tzinfo is None:
        wanted = wanted.replace(tzinfo=dt.UTC)
    return [JobSpec("outbox", "outbox", "outbox", wanted)]


def _outbox_run(db: Database, _spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.mail import outbox_sending

    return outbox_sending.send_due(db, now=now)


def _outbox_summary(report: Any) -> str:
    return (
        f"{len(report.sent) + len(report.recovered)} sent, {len(report.retrying)} retrying, "
        f"{len(report.failed)} failed"
    )


def _ai_find(uow: UnitOfWork, scope: Scope) -> list[JobSpec]:
    if scope.actor is None:
        return []
    wanted = uow.session.scalar(
        select(func.min(AiDraftRequest.next_try_utc)).where(
            AiDraftRequest.requested_by == scope.actor.id, AiDraftRequest.state == "queued"
        )
    )
    if wanted is not None and wanted.tzinfo is None:
        wanted = wanted.replace(tzinfo=dt.UTC)
    return [JobSpec(f"ai_drafts:{scope.actor.id}", "ai_drafts", "loop", wanted)]


def _ai_run(db: Database, _spec: JobSpec, scope: Scope, now: dt.datetime) -> Any:
    from services.ai import queue_round

    assert scope.actor is not None
    return queue_round.run_blocking(db, scope.actor, now)


def _ai_summary(report: Any) -> str:
    if report.waiting:
        return f"waiting: {report.waiting}"
    return (
        f"{len(report.written)} written, {len(report.retrying)} retrying, "
        f"{len(report.failed)} failed"
    )


def _scenarios_find(uow: UnitOfWork, _scope: Scope) -> list[JobSpec]:
    """Due at the earliest pending auto step of an active run (SPEC F3, F5):
    steps that fell due while the app was closed are due at once."""
    from services.scenarios import due_steps
    from services.sync import scenario_kinds

    node = scenario_kinds.node_here(uow)  # a replica runs its own runs only
    return [JobSpec("scenarios", "scenarios", "write", due_steps.next_due(uow, node))]


def _scenarios_run(db: Database, _spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.scenarios import runner

    return runner.run_due(db, now)


def _scenarios_summary(report: Any) -> str:
    return (
        f"{len(report.queued)} letters queued, {len(report.written)} texts written, "
        f"{len(report.retrying)} retrying"
    )


def _telegram_find(uow: UnitOfWork, scope: Scope) -> list[JobSpec]:
    """Telegram bot sources (issue #18). The token sits in the keyring of the
    computer it was saved on, an administrator's: a desktop polls only for
    someone who may change settings; a headless pass polls every source."""
    from models import InboundSource
    from services.core.access import Permission

    if scope.actor is not None and not scope.actor.can(Permission.SETTINGS):
        return []
    query = select(InboundSource.id, InboundSource.last_poll_at, InboundSource.poll_minutes).where(
        InboundSource.kind == "telegram", InboundSource.process_requests.is_(True)
    )
    return _every(uow.session.execute(query.order_by(InboundSource.id)), "telegram", "write")


def _telegram_run(db: Database, spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.inbound import telegram_poll

    return telegram_poll.poll(db, account_of(spec), now=now).value


def _telegram_summary(result: Any) -> str:
    return f"{result.stored} new requests"


def _inbound_find(uow: UnitOfWork, scope: Scope) -> list[JobSpec]:
    """Processed mailboxes (issue #18): polled where their account's password
    is, i.e. by its owner's desktop, and by every headless pass."""
    from models import InboundSource

    query = (
        select(InboundSource.id, InboundSource.last_poll_at, InboundSource.poll_minutes)
        .join(MailAccount, MailAccount.id == InboundSource.mail_account_id)
        .where(
            InboundSource.process_requests.is_(True),
            InboundSource.kind.in_(("mail_account", "web_form")),
            MailAccount.enabled.is_(True),
        )
    )
    if scope.user_id is not None:
        query = query.where(MailAccount.user_id == scope.user_id)
    return _every(uow.session.execute(query.order_by(InboundSource.id)), "inbound", "write")


def _inbound_run(db: Database, spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.inbound import use_cases as inbound

    return inbound.poll_source(db, account_of(spec), now=now).value


def _inbound_summary(result: Any) -> str:
    return f"{result.polled.stored} new requests, {len(result.processed.request_ids)} processed"


def _replica_find(uow: UnitOfWork, _scope: Scope) -> list[JobSpec]:
    """A replica's sync with its team server (issue #20); none elsewhere."""
    from services.sync import scheduled

    return scheduled.find(uow)


def _replica_run(db: Database, _spec: JobSpec, _scope: Scope, _now: dt.datetime) -> Any:
    from services.sync import scheduled

    return scheduled.run(db)


def _replica_summary(report: Any) -> str:
    from services.sync import scheduled

    return scheduled.summary(report)


def _files_find(_uow: UnitOfWork, _scope: Scope) -> list[JobSpec]:
    """Attached files no attachment names, on this computer and the team
    server (services/interactions/attachment_cleanup.py)."""
    from services.interactions import attachment_cleanup as cleanup

    wanted = cleanup.next_run()
    return [JobSpec("attachment_files", "attachment_files", "write", wanted, cleanup.EVERY)]


def _files_run(db: Database, _spec: JobSpec, _scope: Scope, now: dt.datetime) -> Any:
    from services.interactions import attachment_cleanup as cleanup

    return cleanup.run(db, now)


def _files_summary(report: Any) -> str:
    return f"{report.removed} unused files removed here, {report.blobs_removed} on the server"


KINDS: tuple[JobKind, ...] = (
    JobKind("mail", _mail_find, _mail_run, _mail_summary),
    JobKind("linking", _linking_find, _linking_run, _linking_summary),
    JobKind("scenarios", _scenarios_find, _scenarios_run, _scenarios_summary),
    JobKind("outbox", _outbox_find, _outbox_run, _outbox_summary),
    JobKind("ai_drafts", _ai_find, _ai_run, _ai_summary),
    JobKind("telegram", _telegram_find, _telegram_run, _telegram_summary),
    JobKind("inbound", _inbound_find, _inbound_run, _inbound_summary),
    JobKind("replica_sync", _replica_find, _replica_run, _replica_summary),
    JobKind("attachment_files", _files_find, _files_run, _files_summary),
)


def kind(name: str) -> JobKind:
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(name)


def find_all(uow: UnitOfWork, scope: Scope) -> list[JobSpec]:
    return [spec for k in KINDS for spec in k.find(uow, scope)]


def adhoc(key: str) -> JobSpec:
    """A job asked for by hand ("Sync now", "an address was just added"):
    recorded like a scheduled run of the same job."""
    return JobSpec(key, key.split(":", 1)[0], key, None)
