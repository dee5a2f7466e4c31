"""Small builders for service tests: one committed unit of work per call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

import models
from services.core import bootstrap
from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import records as parties

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def client(db: Database, name: str = "ООО Ромашка", **kw: Any) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, name, **kw).id
        uow.commit()
    return cid


def interaction(db: Database, **kw: Any) -> int:
    kw.setdefault("tz", "Europe/Moscow")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        iid = ix.create(uow, actor, ix.NewInteraction(**kw), now=NOW).id
        uow.commit()
    return iid


def row_counts(db: Database) -> dict[str, int]:
    """Rows per table: the fingerprint of "nothing changed".

    The replica's bookkeeping is left out: rows written and taken back again
    (an undone import batch) leave tombstones and field clocks on PostgreSQL
    on purpose, so that a replica that pulled them in between deletes them
    too; neither is a record of the user's.
    """
    with db.reader() as uow:
        return {
            name: uow.session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in models.Base.metadata.tables.items()
            if name not in ("sync_tombstones", "sync_clock")
        }


def acting_as(db_url: str, login: str) -> list[str]:
    """CLI arguments that act as ``login``: ``--user`` on the embedded file; on
    PostgreSQL the database login decides (#15 item 6), so connect as it."""
    if not db_url.startswith("postgresql"):
        return ["--db", db_url, "--user", login]
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            # Test roles only: a superuser, so the schema is theirs to use.
            conn.execute(
                text(
                    f'DO $$ BEGIN CREATE ROLE "{login}" LOGIN SUPERUSER; '
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                )
            )
    finally:
        admin.dispose()
    return ["--db", url.set(username=login).render_as_string(hide_password=False)]
