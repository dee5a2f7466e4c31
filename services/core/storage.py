"""Engine, unit of work and schema upgrades.

One engine per process, made by ``open_database``; nothing at import time.
SQLite gets WAL, foreign keys and a busy timeout on every connection.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError

from services.core import sqlite_functions
from services.core.errors import (
    ConflictError,
    DatabaseBusy,
    EnvironmentFault,
    RefusedByDatabase,
    UserError,
)

if TYPE_CHECKING:  # the ORM loads with the first unit of work (issue #16)
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# A writer waits for another one in rounds: SQLite's own busy handler waits
# up to one round, then we back off and try again, up to BUSY_WAIT_S in all;
# past that the user gets DatabaseBusy, never a raw OperationalError.
SQLITE_BUSY_TIMEOUT_MS = 2_000
BUSY_WAIT_S = 20.0
FIRST_BACKOFF_S = 0.05
LAST_BACKOFF_S = 1.0
# SQLite's own WAL autocheckpoint, in pages: a commit that leaves more in the
# WAL copies them into the database file (two fsyncs). ``wal_room`` lets one
# transaction of a bulk writer leave more; the connection's next transaction
# is back at this.
WAL_AUTOCHECKPOINT_PAGES = 1000
# What a WAL file keeps on disk once it is reset. Without a limit it never
# shrinks: after a first long mail sync or linking run (``wal_room``: up to
# 40 MB) it stayed that size for good. SQLite cuts it back to this when the
# next writer starts the log again after a complete checkpoint, and when the
# last connection closes; an ordinary WAL (1,000 pages of 4 KB) fits in it,
# so everyday commits never cut and regrow the file.
JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024
_WAL_ROOM = "tp_wal_room"  # on a pooled connection's info: it has room now


def default_database_url() -> str:
    """The embedded SQLite file in the user data folder."""
    from services.core.paths import EMBEDDED_FILE, data_dir

    return f"sqlite:///{data_dir() / EMBEDDED_FILE}"


def resolve_url(url: str | None) -> str:
    """``--db`` beats ``TOUCHPOINT_DB`` beats the embedded default.

    A bare path is taken as an SQLite file, so ``--db crm.sqlite3`` works.
    """
    url = url or os.environ.get("TOUCHPOINT_DB") or default_database_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database is busy" (SQLITE_BUSY)."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    text = str(orig).lower()
    return "locked" in text or "busy" in text


class _SqliteWaits:
    """The connection hooks of one SQLite engine: pragmas on connect, the
    write lock taken up front and waited for with backoff, and every
    statement's busy error turned into ``DatabaseBusy``."""

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        self.round_ms = max(1, min(SQLITE_BUSY_TIMEOUT_MS, int(wait_s * 1000)))

    def connect(self, dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {self.round_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT_BYTES}")
        cur.close()
        # SQLite's lower() folds ASCII only, and it has no time zones:
        # the same rules as the Python code, callable from bulk statements.
        sqlite_functions.register(dbapi_conn)

    def begin(self, conn: Any) -> None:
        # pysqlite's own BEGIN is late and deferred: a writer that starts as a
        # reader fails with "database is locked" on upgrade instead of waiting.
        # Writers take the lock up front; readers (``readonly``) stay deferred.
        # WAL + synchronous=NORMAL survives a crash of the app but may lose the
        # last commits on power loss; ``durable`` work (the outbox) pays for FULL.
        options = conn.get_execution_options()
        if options.get("readonly"):
            # A reader's unit may have begun on the driver already (read_unit.py).
            if not conn.connection.dbapi_connection.in_transaction:
                conn.exec_driver_sql("BEGIN")
            return
        level = "FULL" if options.get("durable") else "NORMAL"
        conn.exec_driver_sql(f"PRAGMA synchronous = {level}")
        if conn.connection.info.pop(_WAL_ROOM, None):
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        self.begin_immediate(conn)

    def begin_immediate(self, conn: Any) -> None:
        """Nothing is written yet, so a busy BEGIN is safe to try again."""
        started = time.monotonic()
        delay = FIRST_BACKOFF_S
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except DatabaseBusy:
                waited = time.monotonic() - started
                if waited + delay > self.wait_s:
                    raise
                log.info("database busy for %.1f s; trying again", waited)
                time.sleep(delay)
                delay = min(delay * 2, LAST_BACKOFF_S)

    def handle_error(self, context: Any) -> None:
        if is_busy(context.original_exception):
            raise DatabaseBusy(self.wait_s) from context.sqlalchemy_exception


def create_db_engine(url: str, *, echo: bool = False, busy_wait_s: float | None = None) -> Engine:
    """``busy_wait_s``: how long a writer waits for another one before
    ``DatabaseBusy`` (SQLite; default ``BUSY_WAIT_S``)."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise UserError(
            f"Not a database URL: {url!r}",
            code="core.storage.not_database_url",
            params={"url": repr(url)},
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            if not folder.is_dir():
                raise UserError(
                    f"Folder for the database does not exist: {folder}",
                    code="core.storage.folder_database_does_not",
                    params={"folder": str(folder)},
                )
        engine = create_engine(url, echo=echo, connect_args={"isolation_level": None})
        waits = _SqliteWaits(BUSY_WAIT_S if busy_wait_s is None else busy_wait_s)
        event.listen(engine, "connect", waits.connect)
        event.listen(engine, "begin", waits.begin)
        event.listen(engine, "handle_error", waits.handle_error)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        from services.core import server

        # Each colleague's own login: its password from the keyring, TLS
        # verified for a server elsewhere (services/core/server.py).
        parsed = server.with_keyring_password(server.with_tls_default(parsed))
        engine = create_engine(
            parsed, echo=echo, pool_pre_ping=True, connect_args={"options": _pg_options(parsed)}
        )
        event.listen(engine, "handle_error", _team_refusal)
        return engine
    raise UserError(
        f"Unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL",
        code="core.storage.unsupported_database_use_sqlite",
        params={"get_backend_name": repr(parsed.get_backend_name())},
    )


def _pg_options(url: URL) -> str:
    """The server settings of every connection, after any the URL gives.

    ``jit = off``: PostgreSQL compiles a statement to machine code once the
    planner's estimate passes ``jit_above_cost``, and the row-level policies
    of the sync tables (each clock probes its record under that table's own
    policy) pass it: compiling took ~10 s for a statement that runs in
    milliseconds. Short statements are what this app sends."""
    given = url.query.get("options") or ()
    return " ".join([*([given] if isinstance(given, str) else given), "-c jit=off"])


def _team_refusal(context: Any) -> None:
    """Row-level security and grants (SQLSTATE 42501) say no as a message."""
    orig = context.original_exception
    if getattr(orig, "sqlstate", None) == "42501":
        reason = " ".join(str(orig).split())[:300]
        raise RefusedByDatabase(reason) from context.sqlalchemy_exception


def wal_room(conn: Connection, pages: int) -> None:
    """SQLite: this transaction's commit checkpoints only past PAGES in the
    WAL instead of ``WAL_AUTOCHECKPOINT_PAGES``. For a bulk writer whose
    commit would otherwise stop to copy a thousand pages it just wrote and
    fsync twice: the copy is left to the next commit past the usual limit
    (any connection's) or to the last close, fewer and larger copies."""
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {int(pages)}")
    conn.connection.info[_WAL_ROOM] = True


def checkpoint_wal(db: Database) -> None:
    """SQLite: copy the WAL into the database file now, on the caller's
    thread, and empty the file when no reader still needs it. A bulk writer
    that gave its commits ``wal_room`` calls it when it is done, so the copy
    it put off lands on its own (worker) thread, not on the next commit past
    the usual limit, which may be anyone's, and its tens of MB of WAL do not
    stay on disk.

    TRUNCATE with the busy handler off waits for nobody: with another writer
    at work it copies what it can as PASSIVE would; with a reader still on an
    older snapshot it copies what that reader allows and leaves the file
    (``JOURNAL_SIZE_LIMIT_BYTES`` trims it at the next writer's reset)."""
    if not db.is_sqlite:
        return
    raw = db.engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        (wait_ms,) = driver.execute("PRAGMA busy_timeout").fetchone()
        driver.execute("PRAGMA busy_timeout = 0")
        try:
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            driver.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    finally:
        raw.close()


@dataclass
class UnitOfWork:
    """One session, one transaction: rolls back unless ``commit()`` is called.

    ``actor_id`` is the user on whose behalf the work runs; the audit trail
    reads it from ``session.info``.
    """

    session: Session
    actor_id: int | None = None
    _committed: bool = field(default=False, init=False)

    def __enter__(self) -> UnitOfWork:
        self.session.info["actor_id"] = self.actor_id
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        from sqlalchemy.orm.exc import StaleDataError

        try:
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise ConflictError(
                "Someone else changed this record meanwhile; reload it and try again",
                code="core.storage.someone_else_changed_record",
            ) from exc
        except OperationalError as exc:
            self.session.rollback()
            raise translate_operational(exc) from exc
        self._committed = True

    def flush(self) -> None:
        self.session.flush()

    @property
    def info(self) -> dict[Any, Any]:
        """What this unit of work remembers (the display zone, ...)."""
        return self.session.info

    @property
    def dialect(self) -> Dialect:
        return self.session.get_bind().dialect

    def dbapi_connection(self, *, flush: bool = False) -> Any:
        """The driver's connection in this unit of work's transaction, for
        statements prepared once (``services.core.prepared``); ``flush``
        first writes pending ORM changes, as ``Session.execute`` would."""
        session = self.session
        if flush and session.autoflush:
            session.flush()
        return session.connection().connection.dbapi_connection


def translate_operational(exc: DBAPIError) -> UserError:
    """Sort database failures the machine causes into a message for the user."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseBusy()
    if "disk" in lowered and ("full" in lowered or "i/o" in lowered):
        return EnvironmentFault(
            f"The disk refused the write: {text}",
            code="core.storage.disk_refused",
            params={"error": text},
        )
    if "readonly" in lowered or "read-only" in lowered:
        return EnvironmentFault(
            f"The database file is read-only: {text}",
            code="core.storage.read_only",
            params={"error": text},
        )
    if "could not connect" in lowered or "connection refused" in lowered:
        return EnvironmentFault(
            f"Cannot reach the database server: {text}",
            code="core.storage.server_unreachable",
            params={"error": text},
        )
    return EnvironmentFault(
        f"Database error: {text}", code="core.storage.database_error", params={"error": text}
    )


class Database:
    """The engine plus a unit-of-work factory bound to an acting user."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._makers: tuple[sessionmaker[Session], ...] = ()
        self._read_engine = engine.execution_options(readonly=True)
        # SQLite: connections kept checked out between readers (read_unit.py).
        self._idle_readers: list[Any] | None = [] if engine.dialect.name == "sqlite" else None

    def _session_makers(self) -> tuple[sessionmaker[Session], ...]:
        """Writers, readers, durable writers: made with the first unit of
        work, so a command that reads through ``read_connection`` alone
        never imports the ORM."""
        if not self._makers:
            from sqlalchemy.orm import sessionmaker

            from services.core import audit
            from services.interactions import attachment_blobs
            from services.sync import log as change_log

            engine = self.engine
            sessions = sessionmaker(engine, expire_on_commit=False)
            readers = sessionmaker(engine.execution_options(readonly=True), expire_on_commit=False)
            durable = sessionmaker(engine.execution_options(durable=True), expire_on_commit=False)
            for factory in (sessions, durable):
                audit.install(factory)
                # The replica's change log and the server's field clocks (a
                # plain SQLite database writes nothing: services/sync/log.py).
                change_log.install(factory)
                # A file attached on a team database goes to the server with its row.
                attachment_blobs.install(factory)
            self._makers = (sessions, readers, durable)
        return self._makers

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def uow(self, actor_id: int | None = None, *, durable: bool = False) -> UnitOfWork:
        """A unit of work that may write; ``durable`` commits survive a power
        cut too on SQLite (for what would cost a customer's letter)."""
        sessions, _, durable_sessions = self._session_makers()
        return UnitOfWork((durable_sessions if durable else sessions)(), actor_id)

    def uow_on(self, conn: Connection, actor_id: int | None = None) -> UnitOfWork:
        """A unit of work on a connection the caller holds (one connection
        for many short transactions, e.g. a replica's push)."""
        return UnitOfWork(self._session_makers()[0](bind=conn), actor_id)

    def reader(self, actor_id: int | None = None) -> UnitOfWork:
        """A unit of work that only reads: never waits on a writer (WAL)."""
        from services.core.read_unit import ReadUnit

        return ReadUnit(self._read_engine, self._reader_sessions, actor_id, self._idle_readers)

    @property
    def idle_readers(self) -> int:
        """Connections kept checked out between readers (SQLite)."""
        return len(self._idle_readers or ())

    def _reader_sessions(self) -> sessionmaker[Session]:
        return self._session_makers()[1]

    @contextlib.contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection in a read transaction, as ``reader()`` opens
        (deferred on SQLite: it never waits on a writer), rolled back at the
        end: for reads made with Core statements only (``models.light``)."""
        with self.engine.execution_options(readonly=True).connect() as conn:
            transaction = conn.begin()
            try:
                yield conn
            finally:
                transaction.rollback()

    def dispose(self) -> None:
        idle = self._idle_readers
        if idle is not None:
            # A new list: a reader still running keeps its connection out of
            # the next one (it may be of the file a restore replaces).
            self._idle_readers = []
            while idle:
                idle.pop().close()
        self.engine.dispose()


@contextlib.contextmanager
def database_errors() -> Iterator[None]:
    """Turn connection failures at open time into a clear user message."""
    try:
        yield
    except OperationalError as exc:
        raise translate_operational(exc) from exc
    except DatabaseError as exc:
        # A path that names a text file or noise (a mistyped --db or replica
        # --path): SQLite says so at the first statement; one line, not a trace.
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "not a database" not in text.lower():
            raise
        raise EnvironmentFault(
            f"The file is not a database: {text}",
            code="core.storage.not_a_database",
            params={"error": text},
        ) from exc


def open_database(
    url: str | None = None, *, upgrade: bool = True, busy_wait_s: float | None = None
) -> Database:
    """Resolve, connect and (by default) bring the schema to the newest revision."""
    from services.core import migrations

    engine = create_db_engine(resolve_url(url), busy_wait_s=busy_wait_s)
    with database_errors():
        if upgrade:
            migrations.upgrade(engine)
    return Database(engine)
