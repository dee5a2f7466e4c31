"""Running scheduled jobs: the plan (what is due now), one run with its
outcome recorded, and one headless pass for ``touchpoint run-due``.

The desktop's ticker asks ``plan`` off the GUI thread and runs each due job
on its lane through ``recorded``; cron calls ``run_due``. Either way a
failed job gets its error and retry time recorded and the others still run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from services.core import scheduler
from services.core.errors import UserError
from services.core.scheduler import JobSpec
from services.core.storage import Database, UnitOfWork
from services.jobs import registry
from services.jobs.registry import Scope

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class JobRun:
    """One finished run: ``result`` is the job's own report (a SyncResult,
    a SendReport, ...), ``error`` its message when it failed."""

    key: str
    kind: str
    ok: bool
    summary: str
    error: str | None
    next_run_at: dt.datetime | None
    result: Any = None


def plan(
    uow: UnitOfWork, scope: Scope, now: dt.datetime, running: Collection[str] = ()
) -> list[JobSpec]:
    """The jobs due at ``now`` (a read; never on the GUI thread)."""
    specs = registry.find_all(uow, scope)
    return scheduler.due(now, specs, scheduler.states(uow, [s.key for s in specs]), running)


def spec_of(uow: UnitOfWork, key: str, scope: Scope) -> JobSpec | None:
    kind = registry.kind(key.split(":", 1)[0])
    return next((s for s in kind.find(uow, scope) if s.key == key), None)


def record_run(
    db: Database, spec: JobSpec, scope: Scope, now: dt.datetime, *, error: str | None, result: str
) -> dt.datetime | None:
    """Best effort: a run whose outcome cannot be written (the database is
    busy) still reports; the job is simply due again."""
    try:
        with db.uow(scope.actor.id if scope.actor else None) as uow:
            after = spec_of(uow, spec.key, scope) if error is None else None
            state = scheduler.record(uow, spec, now, error=error, result=result, after=after)
            uow.commit()
            return state.next_run_at
    except UserError:
        log.exception("could not record the run of %s", spec.key)
        return None


class JobRunningElsewhere(UserError):
    """Another Touchpoint (a second window, cron's run-due) runs the job."""

    def __init__(self, key: str, until: dt.datetime | None) -> None:
        until_text = f" (at most until {until:%H:%M} UTC)" if until else ""
        super().__init__(
            f"{key} is already running in another Touchpoint{until_text}; it was not run again"
        )
        self.key = key


def _claim(db: Database, spec: JobSpec, scope: Scope, now: dt.datetime) -> None:
    with db.uow(scope.actor.id if scope.actor else None) as uow:
        if scheduler.claim(uow, spec, now) is None:
            held = scheduler.states(uow, [spec.key]).get(spec.key)
            raise JobRunningElsewhere(spec.key, held.running_until if held else None)
        uow.commit()


def recorded(
    db: Database,
    spec: JobSpec,
    scope: Scope,
    now: dt.datetime,
    work: Callable[[], T],
    summary: Callable[[T], str] | None = None,
) -> T:
    """Run ``work`` as job ``spec`` and record how it went; its error is
    recorded and raised again for the caller's own handling. A job another
    process runs right now is not run: ``JobRunningElsewhere``."""
    _claim(db, spec, scope, now)
    try:
        result = work()
    except Exception as exc:
        record_run(db, spec, scope, now, error=str(exc) or type(exc).__name__, result="")
        raise
    text = summary(result) if summary is not None else ""
    record_run(db, spec, scope, now, error=None, result=text)
    return result


def execute(db: Database, spec: JobSpec, scope: Scope, now: dt.datetime) -> JobRun:
    """Run one job with its kind's runner; never raises for the job's own
    failure (a bug is logged with its traceback and recorded too)."""
    kind = registry.kind(spec.kind)
    error: str | None = None
    result: Any = None
    try:
        result = recorded(
            db, spec, scope, now, lambda: kind.run(db, spec, scope, now), kind.summary
        )
    except JobRunningElsewhere as exc:
        return JobRun(spec.key, spec.kind, False, "", str(exc), None)
    except UserError as exc:
        error = str(exc)
    except Exception as exc:
        log.exception("job %s crashed", spec.key)
        error = f"Unexpected error: {exc}"
    summary = kind.summary(result) if error is None else ""
    return JobRun(spec.key, spec.kind, error is None, summary, error, _next(db, spec.key), result)


def _next(db: Database, key: str) -> dt.datetime | None:
    try:
        with db.reader() as uow:
            state = scheduler.states(uow, [key]).get(key)
    except UserError:
        return None
    return state.next_run_at if state else None


def run_due(
    db: Database,
    scope: Scope,
    now: dt.datetime | None = None,
    *,
    starting: Callable[[Sequence[JobSpec]], None] | None = None,
) -> list[JobRun]:
    """One pass of everything due, in the registry's order (for cron).

    The plan is asked again before each job, so work one job makes due
    (a scenario step's letter queued for the outbox) runs in the same pass;
    each job runs at most once per pass. ``starting`` is told what is due
    once, before the first job runs, and not at all when nothing is."""
    now = now or dt.datetime.now(dt.UTC)
    done: list[JobRun] = []
    ran: set[str] = set()
    while True:
        with db.reader() as uow:
            specs = [s for s in plan(uow, scope, now) if s.key not in ran]
        if not specs:
            return done
        if starting is not None and not ran:
            starting(specs)
        ran.add(specs[0].key)
        done.append(execute(db, specs[0], scope, now))
