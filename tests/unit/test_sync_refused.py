"""Refused changes as the conflict list shows them: one line per refused
action, newest first, the record named as a person names it."""

from __future__ import annotations

import json

from models.sync import SyncLog
from services.core import bootstrap
from services.core.storage import Database
from services.parties import use_cases as creating
from services.sync import refused


def _log(db: Database, rows: list[SyncLog]) -> None:
    with db.uow() as uow:
        uow.session.add_all(rows)
        uow.commit()


def test_one_line_per_refused_action_newest_first(sqlite_db: Database) -> None:
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    client = creating.add_client(sqlite_db, actor, "ООО «Отказ»").value
    with sqlite_db.reader() as uow:
        from models import Client

        found = uow.session.get(Client, client.id)
        assert found is not None
        uid = found.uid

    def row(op: str, field: str, state: str, reason: str | None = None) -> SyncLog:
        return SyncLog(
            op_uid=op,
            kind="client",
            uid=uid,
            field=field,
            value=json.dumps("x"),
            hlc=f"0000000000{len(op):02x}:0000:n1",
            state=state,
            reason=reason,
        )

    _log(
        sqlite_db,
        [
            row("op-1", "owner_id", "refused", "Only an   administrator\nmay hand a client over"),
            row("op-1", "region", "refused", "Only an administrator may hand a client over"),
            row("op-2", "address", "pushed"),
            row("op-3", "name", "pending"),
        ],
    )
    _log(sqlite_db, [row("op-4", "name", "refused", "Клиент в архиве")])
    _log(
        sqlite_db,
        [
            SyncLog(
                op_uid="op-5",
                kind="client",
                uid="0190aaaa-0000-7000-8000-000000000000",
                field="name",
                value="null",
                hlc="000000000001:0000:n1",
                state="refused",
                reason="gone",
            )
        ],
    )

    shown = refused.refusals(sqlite_db)

    assert [(r.op_uid, r.label, r.reason) for r in shown] == [
        ("op-5", "0190aaaa-0000-7000-8000-000000000000", "gone"),  # a record not here
        ("op-4", "ООО «Отказ»", "Клиент в архиве"),
        ("op-1", "ООО «Отказ»", "Only an administrator may hand a client over"),
    ]
    assert refused.refusals(sqlite_db, limit=1)[0].op_uid == "op-5"
