"""Backing up and restoring the embedded database file (SQLite).

A backup is SQLite's online backup: consistent even while the app writes.
Restoring checks that the file is a Touchpoint database no newer than this
app, keeps a copy of the current file next to it, copies the backup in, and
upgrades its schema. A team's PostgreSQL server is backed up by its admin
(pg_dump), not from the app.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from services.core import migrations
from services.core.errors import EnvironmentFault, ValidationError
from services.core.storage import Database


@dataclasses.dataclass(frozen=True)
class BackupResult:
    path: str
    bytes: int


def database_file(db: Database) -> Path:
    url = make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValidationError(
            "Only the embedded database file can be backed up from here; a PostgreSQL "
            "server is backed up by its administrator (pg_dump)",
            code="core.backup.only_embedded_database_file",
        )
    return Path(url.database)


def backup(db: Database, target: Path) -> BackupResult:
    source = database_file(db)
    target = target.expanduser()
    try:
        if not target.name or target.is_dir():
            raise ValidationError(
                f"{target} is a folder: give the backup a file name",
                code="core.backup.folder_give_backup_file",
                params={"target": str(target)},
            )
        if not target.parent.is_dir():
            raise ValidationError(
                f"Folder does not exist: {target.parent}",
                code="core.backup.folder_does_not_exist",
                params={"parent": str(target.parent)},
            )
    except OSError as exc:  # a name too long, a folder we may not look into
        raise ValidationError(
            f"Cannot write {str(target)[:80]!r}: {exc.strerror}",
            code="core.backup.cannot_write",
            params={"target": repr(str(target)[:80]), "strerror": str(exc.strerror)},
        ) from None
    if target.resolve() == source.resolve():
        raise ValidationError(
            "Choose another file than the database itself",
            code="core.backup.choose_another_file_than",
        )
    part = target.with_name(target.name + ".part")
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(part)) as dst:
            src.backup(dst)
        part.replace(target)
    except sqlite3.Error as exc:
        _forget(part)
        raise EnvironmentFault(
            f"The backup failed: {exc}", code="core.backup.backup_failed", params={"exc": str(exc)}
        ) from exc
    except OSError as exc:
        _forget(part)
        raise EnvironmentFault(
            f"Cannot write {target}: {exc.strerror}",
            code="core.backup.cannot_write",
            params={"target": str(target), "strerror": str(exc.strerror)},
        ) from exc
    return BackupResult(str(target), target.stat().st_size)


def _forget(part: Path) -> None:
    with contextlib.suppress(OSError):  # e.g. a name too long to have been made at all
        part.unlink(missing_ok=True)


def _check(source: Path) -> None:
    try:
        found = source.is_file()
    except OSError as exc:  # a name too long, a folder we may not look into
        raise ValidationError(
            f"Cannot open {str(source)[:80]!r}: {exc.strerror}",
            code="core.backup.cannot_open",
            params={"source": repr(str(source)[:80]), "strerror": str(exc.strerror)},
        ) from None
    if not found:
        raise ValidationError(
            f"No such file: {source}",
            code="core.backup.no_such_file",
            params={"source": str(source)},
        )
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as con:
            if con.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise ValidationError(
                    f"{source.name} is damaged (SQLite integrity check failed)",
                    code="core.backup.damaged_sqlite_integrity_check",
                    params={"name": str(source.name)},
                )
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(
            f"{source.name} is not a Touchpoint database ({exc})",
            code="core.backup.not_touchpoint_database",
            params={"name": str(source.name), "exc": str(exc)},
        ) from exc
    known = migrations.known_revisions()
    if row is None or row[0] not in known:
        raise ValidationError(
            f"{source.name} comes from a newer or unknown Touchpoint; update the app first",
            code="core.backup.comes_from_newer_unknown",
            params={"name": str(source.name)},
        )


def restore(db: Database, source: Path, now: dt.datetime | None = None) -> BackupResult:
    """Replace the database with ``source``; the current one is kept as
    ``touchpoint.sqlite3.before-restore-<time>``. Restart the app after."""
    source = source.expanduser()
    target = database_file(db)
    _check(source)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    keep = target.with_name(f"{target.name}.before-restore-{stamp}")
    db.dispose()
    try:
        with closing(sqlite3.connect(target)) as live, closing(sqlite3.connect(keep)) as copy:
            live.backup(copy)
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as live:
            src.backup(live)
    except sqlite3.Error as exc:
        raise EnvironmentFault(
            f"The restore failed, nothing was replaced: {exc}",
            code="core.backup.restore_failed_nothing_was",
            params={"exc": str(exc)},
        ) from exc
    migrations.upgrade(db.engine)
    return BackupResult(str(keep), target.stat().st_size)
