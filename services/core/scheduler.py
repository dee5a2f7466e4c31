"""One scheduler for every periodic job (as Vorta's): mail sync per account,
the linking job, the outbox, the AI drafts queue, and whatever comes next.

A job kind (see ``services.jobs.registry``) says, from its own stored data,
when each of its jobs wants to run (a mailbox's last sync plus its
interval, a letter's send time). ``due(now, ...)`` is pure: it compares
those times with ``now`` and with the retry time a failed job must wait
for. Because every time is stored rather than counted in a timer, a laptop
that slept through ten intervals runs each job once on waking, not ten
times. Running a job records its outcome and its next run in
``scheduled_jobs``; a failure records the error and a retry time and never
stops the other jobs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import select

from models import ScheduledJob
from services.core.storage import UnitOfWork

# "Now, or as soon as possible": a job that never ran, or that waits for
# nothing but a free lane (an interrupted send).
ASAP = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FIRST_RETRY = dt.timedelta(minutes=1)
LAST_RETRY = dt.timedelta(minutes=30)
MAX_TEXT = 1000
# How long a started run keeps other processes off the job; a process that
# dies mid-run frees it when this runs out.
LEASE = dt.timedelta(minutes=15)


@dataclasses.dataclass(frozen=True)
class JobSpec:
    """One job instance as its kind sees it now.

    ``key`` names the instance ("mail:3", "linking"); ``lane`` where it must
    run ("mail:3" shares a mailbox's lane with its manual syncs, "write" is
    the one database-write lane, "outbox", "loop" is the app's event loop);
    ``wanted_at`` when its data asks for a run (None: nothing to do);
    ``every`` its regular interval, which bounds the retry wait.
    """

    key: str
    kind: str
    lane: str
    wanted_at: dt.datetime | None
    every: dt.timedelta | None = None


@dataclasses.dataclass(frozen=True)
class JobState:
    """What the scheduler recorded about a job's last run."""

    key: str
    next_run_at: dt.datetime | None
    last_run_at: dt.datetime | None
    last_ok: bool | None
    last_result: str
    last_error: str | None
    failures: int
    running_until: dt.datetime | None = None


def next_run(spec: JobSpec, state: JobState | None) -> dt.datetime | None:
    """When ``spec`` runs next: when its data asks, but not before the retry
    time of a failed run; None when there is nothing to do."""
    if spec.wanted_at is None:
        return None
    if state is not None and state.failures and state.next_run_at is not None:
        return max(spec.wanted_at, state.next_run_at)
    return spec.wanted_at


def due(
    now: dt.datetime,
    specs: Iterable[JobSpec],
    states: Mapping[str, JobState],
    running: Collection[str] = (),
) -> list[JobSpec]:
    """The jobs to start at ``now``, each once, in the order given; a job
    still running is never started a second time."""
    out: list[JobSpec] = []
    for spec in specs:
        state = states.get(spec.key)
        if spec.key in running or (state is not None and leased(state, now)):
            continue
        when = next_run(spec, state)
        if when is not None and when <= now:
            out.append(spec)
    return out


def leased(state: JobState, now: dt.datetime) -> bool:
    """Another process runs the job now (its lease has not run out)."""
    return state.running_until is not None and state.running_until > now


def retry_delay(failures: int, every: dt.timedelta | None = None) -> dt.timedelta:
    """1, 2, 4 … minutes after consecutive failures, at most 30 minutes and
    never longer than the job's own interval."""
    wait: dt.timedelta = FIRST_RETRY * int(2 ** min(max(failures - 1, 0), 10))
    cap = min(LAST_RETRY, every) if every is not None else LAST_RETRY
    return max(min(wait, cap), FIRST_RETRY)


def _state(row: ScheduledJob) -> JobState:
    return JobState(
        row.key,
        row.next_run_at,
        row.last_run_at,
        row.last_ok,
        row.last_result,
        row.last_error,
        row.failures,
        row.running_until,
    )


def states(uow: UnitOfWork, keys: Iterable[str] | None = None) -> dict[str, JobState]:
    query = select(ScheduledJob)
    if keys is not None:
        query = query.where(ScheduledJob.key.in_(list(keys)))
    return {row.key: _state(row) for row in uow.session.scalars(query)}


def _row(uow: UnitOfWork, spec: JobSpec) -> ScheduledJob:
    row = uow.session.get(ScheduledJob, spec.key)
    if row is None:
        row = ScheduledJob(key=spec.key, kind=spec.kind, failures=0, last_result="")
        uow.session.add(row)
    return row


def claim(uow: UnitOfWork, spec: JobSpec, now: dt.datetime) -> JobState | None:
    """Take the job's lease for a run starting ``now``; None (and nothing
    changed) when another process holds it. The caller commits."""
    row = _row(uow, spec)
    if row.running_until is not None and row.running_until > now:
        return None
    row.running_until = now + LEASE
    uow.session.flush()
    return _state(row)


def record(
    uow: UnitOfWork,
    spec: JobSpec,
    now: dt.datetime,
    *,
    error: str | None = None,
    result: str = "",
    after: JobSpec | None = None,
) -> JobState:
    """Record a finished run of ``spec``: on success (``error`` None) the next
    run is what the job's data asks for now (``after``: the spec read after
    the run); on failure the error and a retry time."""
    row = _row(uow, spec)
    row.last_run_at = now
    row.running_until = None
    if error is None:
        row.last_ok, row.last_error, row.failures = True, None, 0
        row.last_result = result[:MAX_TEXT]
        row.next_run_at = after.wanted_at if after is not None else None
    else:
        row.last_ok = False
        row.last_error = error[:MAX_TEXT] or "failed"
        row.failures = (row.failures or 0) + 1
        row.next_run_at = now + retry_delay(row.failures, spec.every)
    uow.session.flush()
    return _state(row)
