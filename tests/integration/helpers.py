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
    """Rows per table: the fingerprint of "nothing changed"."""
    with db.reader() as uow:
        return {
            name: uow.session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in models.Base.metadata.tables.items()
        }
