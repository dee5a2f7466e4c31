"""Everything the desktop app is made of, built once in one place: the
database, the acting user, the worker lanes, the one ticker and the job
runners it drives (mail, linking, AI drafts), and the per-computer
preferences. ``ui/`` receives them as a ``UiContext``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import logging.handlers
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.ai_queue import AiDraftRunner
from desktop.jobs import LinkingRunner
from desktop.lanes import Lane
from desktop.live_updates import LiveUpdates
from desktop.mail_driver import MailDriver
from desktop.replica import ReplicaDriver
from desktop.scheduler import LaneExecutor, Ticker
from services.core import bootstrap
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.exchange import import_runs
from services.jobs.registry import Scope
from ui.bus import ChangeBus
from ui.context import UiContext

log = logging.getLogger(__name__)
LOG_FILE = "touchpoint.log"


class WriteLane(Lane):
    """The one serial lane for database writes. At shutdown every write the
    user already asked for still runs; none is dropped or cut half-way."""

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(timeout_ms))


@dataclasses.dataclass
class Container:
    db: Database
    actor: Actor
    writes: WriteLane
    reads: Lane
    mail: MailDriver
    jobs: LinkingRunner
    drafts: AiDraftRunner
    ticker: Ticker
    prefs: QSettings
    bus: ChangeBus
    log_path: Path | None = None
    live: LiveUpdates | None = None  # a team database's changes from colleagues
    # Scenario steps: an AI generation can take a minute, not on the write lane.
    steps: Lane | None = None
    # A laptop replica's sync with its team server (issue #20), on its own lane.
    replica: ReplicaDriver | None = None
    replica_lane: Lane | None = None

    def context(self, report_error: Callable[[BaseException], None]) -> UiContext:
        return UiContext(
            db=self.db,
            actor=self.actor,
            writes=self.writes,
            reads=self.reads,
            mail=self.mail,
            report_error=report_error,
            bus=self.bus,
            drafts=self.drafts,
            replica=self.replica,
        )

    def shutdown(self) -> None:
        """Stop syncs after their current batch, let queued writes finish,
        then close the database."""
        self.ticker.stop()
        if self.live is not None:
            self.live.stop()
        self.drafts.stop()
        self.mail.shutdown()
        if self.steps is not None:
            self.steps.shutdown(30_000)
        if self.replica_lane is not None:
            self.replica_lane.shutdown(30_000)  # a sync batch is never cut
        self.reads.shutdown(5_000)
        if not self.writes.shutdown():
            log.error("database writes still running at exit; the database was left open")
            return
        self.prefs.sync()
        self.db.dispose()


def build(db_url: str | None, prefs: QSettings | None = None, user: str | None = None) -> Container:
    """Open (and upgrade) the database and wire the app as ``user`` (the
    ``--user`` login; else TOUCHPOINT_USER or the computer's login); raises
    UserError when the database cannot be used or the user is unknown."""
    db = open_database(db_url)
    bootstrap.ensure_initial_data(db)
    import_runs.sweep(db)  # an import killed half-way leaves nothing behind
    with db.reader() as uow:
        actor = bootstrap.session_actor(uow, user)
    writes = WriteLane("db-writes")
    reads = Lane("db-reads")
    bus = ChangeBus()  # every job's and every use case's Changes, for open screens
    mail = MailDriver(db, actor.id, reads=reads, bus=bus)
    linking = LinkingRunner(db, writes, bus=bus)
    drafts = AiDraftRunner(db, actor, reads, writes, bus=bus)
    scope = Scope(actor=actor, user_id=actor.id)
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    steps = Lane("scenario-steps")
    replica_lane = Lane("replica-sync")
    replica = ReplicaDriver(db, replica_lane, reads, scope, bus=bus, clock=clock)
    ticker = Ticker(
        db,
        reads,
        scope,
        {
            "mail": mail,
            "outbox": mail,
            "linking": linking,
            "ai_drafts": drafts,
            "scenarios": LaneExecutor(db, steps, scope, clock, bus=bus),
            "replica_sync": replica,
        },
        LaneExecutor(db, writes, scope, clock, bus=bus),
    )
    ticker.planned.connect(mail.refresh_outbox)  # the status bar's outbox count
    return Container(
        db=db,
        actor=actor,
        writes=writes,
        reads=reads,
        mail=mail,
        jobs=linking,
        drafts=drafts,
        ticker=ticker,
        prefs=prefs if prefs is not None else QSettings(),
        bus=bus,
        live=LiveUpdates(db, actor, bus),
        steps=steps,
        replica=replica,
        replica_lane=replica_lane,
    )


def setup_logging(folder: Path) -> Path:
    """Warnings to stderr; everything from INFO, with tracebacks, to a
    rotating log file in the data folder (named in the crash dialog)."""
    path = folder / LOG_FILE
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s")
    to_file = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    to_file.setFormatter(fmt)
    to_stderr = logging.StreamHandler()
    to_stderr.setLevel(logging.WARNING)
    to_stderr.setFormatter(fmt)
    root.addHandler(to_file)
    root.addHandler(to_stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
