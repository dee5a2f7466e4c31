"""How demo rows reach the database, and what every part of the demo draws from.

Rows go in by Core ``INSERT ... executemany`` in batches, so the ORM's hooks
do not run: ``synced`` fills the columns they would, and ``RowWriter`` links
interactions to their contacts once the ids are known.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select

from models import ContactPoint, Interaction, Note, Task, interaction_contacts
from models.ids import new_uid
from services.core import timezones

Progress = Callable[[str, int, int], None]

BATCH = 5_000  # rows per executemany


def synced(created: dt.datetime, updated: dt.datetime | None = None) -> dict[str, Any]:
    """The columns the ORM's hooks would fill on a new row."""
    return {
        "uid": new_uid(),
        "row_version": 1,
        "created_at": created,
        "updated_at": updated or created,
    }


def chunks(total: int, size: int) -> Iterator[int]:
    """The sizes of the pieces ``total`` is cut into, at most ``size`` each."""
    for start in range(0, total, size):
        yield min(size, total - start)


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


class RowWriter:
    """Batched inserts on one connection, counted per table name."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.counts: collections.Counter[str] = collections.Counter()
        self._pending: dict[str, list[dict[str, Any]]] = {}
        # (interaction uid, contact id) pairs, linked once the ids are known.
        self._links: list[tuple[str, int]] = []
        self._last_interaction_id = conn.scalar(select(func.max(Interaction.id))) or 0

    def insert_ids(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert and return the new ids in the order of ``rows``."""
        table = _table(model)
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            ids.extend(self.conn.execute(stmt, rows[start : start + BATCH]).scalars())
        self.counts[table.name] += len(rows)
        return ids

    def add(self, model: Any, row: dict[str, Any]) -> None:
        """Queue a row whose id nobody needs; written in batches."""
        queue = self._pending.setdefault(_table(model).name, [])
        queue.append(row)
        if len(queue) >= BATCH:
            self.flush(model)

    def link(self, interaction_uid: str, contact_id: int) -> None:
        """Link a queued interaction to a contact once it is written."""
        self._links.append((interaction_uid, contact_id))

    def flush(self, model: Any) -> None:
        table = _table(model)
        rows = self._pending.pop(table.name, [])
        if not rows:
            return
        self.conn.execute(insert(table), rows)
        self.counts[table.name] += len(rows)
        if model is Interaction:
            self._link_contacts()

    def flush_all(self) -> None:
        for model in (ContactPoint, Interaction, Note, Task):
            self.flush(model)

    def _link_contacts(self) -> None:
        """Fill ``interaction_contacts`` for the interactions just written.

        Core executemany returns no ids, so read back the new rows by ``uid``;
        ids only grow, so ``id > last`` bounds the read to this batch.
        """
        if not self._links:
            return
        wanted = dict(self._links)
        self._links.clear()
        rows = self.conn.execute(
            select(Interaction.id, Interaction.uid)
            .where(Interaction.id > self._last_interaction_id)
            .order_by(Interaction.id)
        ).all()
        if rows:
            self._last_interaction_id = rows[-1][0]
        pairs = [
            {"interaction_id": row_id, "contact_id": wanted[uid]}
            for row_id, uid in rows
            if uid in wanted
        ]
        for start in range(0, len(pairs), BATCH):
            self.conn.execute(insert(interaction_contacts), pairs[start : start + BATCH])


class DemoRun:
    """What all parts of one ``generate`` call share: where rows go, the seeded
    generator, the clock, and the users who may own a record."""

    def __init__(
        self,
        rows: RowWriter,
        rng: random.Random,
        now: dt.datetime,
        progress: Progress | None,
        admin_id: int,
    ) -> None:
        self.rows = rows
        self.rng = rng
        self.now = now
        self.progress = progress
        self.admin_id = admin_id
        self.managers: list[int] = []
        self._today: dict[str, dt.date] = {}

    def past(self, days_back: int, days_span: int) -> dt.datetime:
        """An instant between ``days_back`` and ``days_back + days_span`` days ago."""
        seconds = self.rng.randint(0, days_span * 86_400)
        return (self.now - dt.timedelta(days=days_back, seconds=seconds)).replace(microsecond=0)

    def owner(self) -> int:
        if self.rng.random() < 0.05:
            return self.admin_id
        return self.rng.choice(self.managers)

    def today(self, zone: str) -> dt.date:
        """Today's date in ``zone``."""
        found = self._today.get(zone)
        if found is None:
            found = self._today[zone] = self.now.astimezone(timezones.zone(zone)).date()
        return found

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)
