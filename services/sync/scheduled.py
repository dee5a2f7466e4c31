"""The replica's periodic sync (job kind ``replica_sync``, issue #20).

A laptop that works offline syncs every few minutes while the app runs
(and on ``touchpoint run-due``): it knocks on the server first (one bounded
connect, ``services.sync.online``), and only when something answers opens
the team database with the user's own login (password from the keyring)
and runs ``sync``. An unanswering server raises :class:`ServerOffline`,
which the scheduler records like any failed run, so the next try waits 1,
2, 4 … minutes (never longer than the interval): the backoff. The desktop
shows it as "Offline", never as an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from models import SyncState
from services.core.errors import EnvironmentFault, UserError
from services.core.scheduler import ASAP, JobSpec
from services.core.storage import Database, UnitOfWork
from services.sync import online, use_cases
from services.sync.types import ReplicaStatus, SyncReport

EVERY = dt.timedelta(minutes=5)
KEY = "replica_sync"


class ServerOffline(EnvironmentFault):
    """The server did not answer: the laptop is offline, which is normal."""

    def __init__(self, server_url: str) -> None:
        host, port = online.address(server_url)
        super().__init__(
            f"The server {host}:{port} does not answer; working offline",
            code="sync.offline",
            params={"server": f"{host}:{port}"},
        )


class NotAReplica(UserError):
    def __init__(self) -> None:
        super().__init__("This database is not a replica", code="sync.not_a_replica")


@dataclasses.dataclass(frozen=True)
class Probe:
    """What a check of the server found, with the replica's status."""

    status: ReplicaStatus
    online: bool


def find(uow: UnitOfWork) -> list[JobSpec]:
    """One job on a replica (due ``EVERY`` after its last pull, at once when
    it never synced); none on any other database."""
    rows = uow.session.execute(
        select(SyncState.key, SyncState.value).where(
            SyncState.key.in_(("server_url", "last_pull_at"))
        )
    )
    known: dict[str, str] = {key: value for key, value in rows}
    if not known.get("server_url"):
        return []
    last = _when(known.get("last_pull_at"))
    wanted = last + EVERY if last is not None else ASAP
    return [JobSpec(KEY, KEY, "replica", wanted, EVERY)]


def _when(text: str | None) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None  # a damaged stamp: sync at once
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def check(replica: Database, *, probe: Callable[[str], bool] = online.reachable) -> Probe:
    """The replica's status and whether its server answers now (blocking)."""
    status = use_cases.status(replica)
    if not status.is_replica or not status.server_url:
        return Probe(status, False)
    up = probe(status.server_url)
    return Probe(dataclasses.replace(status, online=up), up)


def run(
    replica: Database,
    *,
    probe: Callable[[str], bool] = online.reachable,
    connect: Callable[[Database], Database] = use_cases.open_server,
) -> SyncReport:
    """One sync when the server answers; :class:`ServerOffline` when not."""
    status = use_cases.status(replica)
    if not status.is_replica or not status.server_url:
        raise NotAReplica()
    if not probe(status.server_url):
        raise ServerOffline(status.server_url)
    try:
        server_db = connect(replica)
        try:
            return use_cases.sync(replica, server_db)
        finally:
            server_db.dispose()
    except (DBAPIError, EnvironmentFault) as exc:
        # the line dropped between the knock and the end of the sync (a
        # tunnel, a train): offline again, and the batches done are kept
        if not probe(status.server_url):
            raise ServerOffline(status.server_url) from exc
        raise


def summary(report: SyncReport) -> str:
    return (
        f"{report.pushed} pushed, {len(report.refused)} refused, {report.pulled} pulled, "
        f"{report.conflicts} conflicts"
    )
