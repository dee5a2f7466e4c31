"""Schema, pragmas, ids and concurrency on real SQLite files and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

import models
from models import Client
from models.ids import uuid7
from models.migrations.filters import include_name
from services.core import migrations, storage
from services.core.access import Actor
from services.core.errors import ConflictError
from services.core.storage import Database, open_database
from services.parties import records as parties


def test_schema_is_at_head_and_matches_the_models(db: Database) -> None:
    assert migrations.current_revision(db.engine) == migrations.head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            ),
            models.Base.metadata,
        )
    assert diff == []


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "bare-path.sqlite3"))  # a bare path is an SQLite file
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2_000
    with db.uow() as uow:  # NORMAL: survives an app crash, cheap
        assert uow.session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 1
    with db.uow(durable=True) as uow:  # FULL: survives a power cut too
        assert uow.session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2
    db.dispose()


def test_a_bulk_commit_leaves_its_checkpoint_to_the_next_ordinary_one(tmp_path: Path) -> None:
    """``wal_room``: a bulk writer's commit leaves the pages it wrote in the
    WAL (no copy into the database file, no fsync); the connection's next
    transaction is back at SQLite's 1,000 pages, and its commit copies them."""
    path = tmp_path / "room.sqlite3"
    db = open_database(str(path))
    page = "ж" * 1500  # ~3 KB a row: a page each
    with db.uow() as uow:
        uow.session.connection().exec_driver_sql("CREATE TABLE filler (x TEXT)")
        uow.commit()
    empty = path.stat().st_size
    with db.uow() as uow:
        conn = uow.session.connection()
        storage.wal_room(conn, 10_000)
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)"
            " INSERT INTO filler SELECT ? || i FROM n",
            (page,),
        )
        uow.commit()
    assert path.stat().st_size == empty  # 1,500 pages written, none copied yet
    assert Path(f"{path}-wal").stat().st_size > 1500 * 4096
    with db.uow() as uow:
        conn = uow.session.connection()
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
        conn.exec_driver_sql("INSERT INTO filler VALUES ('ёж')")
        uow.commit()
    assert path.stat().st_size > empty + 1500 * 3000  # the next commit copied them
    with db.reader() as uow:
        count = uow.session.connection().exec_driver_sql("SELECT count(*) FROM filler").scalar()
    assert count == 1501
    db.dispose()


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    open_database(db_url).dispose()
    again = open_database(db_url)
    assert migrations.current_revision(again.engine) == migrations.head_revision()
    again.dispose()


def test_uuid7_is_version_7_and_ordered() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    assert ids == sorted(ids, key=lambda u: u.int)
    assert len(set(ids)) == len(ids)


def test_every_created_record_gets_a_uid_and_version(db: Database, actor: Actor) -> None:
    with db.uow(actor.id) as uow:
        view = parties.add_client(uow, actor, "Acme")
        uow.commit()
    assert uuid.UUID(view.uid).version == 7
    with db.reader() as uow:
        row = uow.session.get(Client, view.id)
        assert row is not None
        assert row.row_version == 1
        assert row.updated_at.tzinfo is not None


def test_a_stale_write_is_refused_not_silently_lost(db: Database, actor: Actor) -> None:
    with db.uow() as uow:
        client_id = parties.add_client(uow, actor, "Acme").id
        uow.commit()
    with db.uow() as window_b:
        row_b = window_b.session.get(Client, client_id)
        assert row_b is not None
        window_b.session.commit()  # window B shows version 1 and waits for the user
        with db.uow() as window_a:
            row_a = window_a.session.get(Client, client_id)
            assert row_a is not None
            row_a.name = "Acme One"
            window_a.commit()
        row_b.name = "Acme Two"
        with pytest.raises(ConflictError, match="changed this record"):
            window_b.commit()
    with db.reader() as uow:
        assert uow.session.scalar(select(Client.name).where(Client.id == client_id)) == "Acme One"
