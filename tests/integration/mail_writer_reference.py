"""The mail writer's reference (#16) and the comparison of two databases'
tables, for ``test_mail_writer_rows.py``.

The reference is what the writer did before #16: each new letter's row
inserted with its header's values and the defaults, the interactions added
with the ORM and flushed (the history and the change log its flush hooks
wrote), then the letters' rows updated with the parse. ``same_rows`` compares
every table but for generated values (a new row's uid, mapped from one copy
to the other; creation and change times; the change log's clocks).
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update

from models import Base, Interaction, MailAddress, MailMessage
from services.core.rows import insert_rows
from services.core.storage import Database
from services.linking import rule
from services.mail import mail_cards, mail_store


def orm_interactions(self: mail_cards.CardWriter, rows: list[dict[str, Any]]) -> None:
    """The reference: what the writer did before #16, one ORM object a
    letter and one flush (the audit and change-log hooks see them)."""
    objects = [Interaction(**row) for row in rows]
    self.uow.session.add_all(objects)
    self.uow.session.flush()
    for row, obj in zip(rows, objects, strict=True):
        row["id"] = obj.id


def insert_then_update(
    self: mail_store.ChunkWriter, fresh: dict[str, mail_store.Item]
) -> tuple[dict[str, int], dict[str, mail_store.Outcome]]:
    """The reference for the letters' own rows: what the writer did before
    #16, each new letter's row inserted with its header's values and the
    defaults first, then (once the interactions were in) updated with what
    the parse and the owner rule made of it."""
    if not fresh:
        return {}, {}
    session = self.uow.session
    table = cast(Table, MailMessage.__table__)
    insert_rows(
        session,
        table,
        (
            *("account_id", "message_key", "direction", "subject", "sent_at", "from_addr"),
            *("size", "body_state", "auto_reply", "link_tie"),
        ),
        [
            (
                self.account.id,
                i.key,
                i.direction,
                i.header.subject[:5000],
                i.header.date,
                rule.letter_address(i.header.from_[0].email)[:320] if i.header.from_ else None,
                i.size,
                "none",
                i.header.auto_submitted,
                False,
            )
            for i in fresh.values()
        ],
    )
    ids: dict[str, int] = {
        key: mid
        for key, mid in session.execute(
            select(MailMessage.message_key, MailMessage.id).where(
                MailMessage.account_id == self.account.id, MailMessage.message_key.in_(fresh)
            )
        )
    }
    addresses = [
        {"message_id": ids[i.key], "role": role, "address": value, "name": a.name[:300] or None}
        for i in fresh.values()
        for role, value, a in unique_addresses(i)
    ]
    if addresses:
        session.execute(insert(MailAddress), addresses)
    fills, outcomes = self._fill(fresh)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("mid"))
        .values(**{name: bindparam(name) for name in _FILLED}),
        [
            {"mid": ids[key]} | {name: getattr(fill, name) for name in _FILLED}
            for key, fill in fills.items()
        ],
    )
    return ids, outcomes


_FILLED = ("interaction_id", "body_state", "html", "note", "link_rule", "link_reason", "link_tie")


def unique_addresses(item: mail_store.Item) -> list[tuple[str, str, Any]]:
    """Each (role, address) of a letter once, in header order."""
    found: dict[tuple[str, str], Any] = {}
    for role, addresses in (
        ("from", item.header.from_),
        ("to", item.header.to),
        ("cc", item.header.cc),
    ):
        for a in addresses:
            value = rule.letter_address(a.email)
            if value and len(value) <= 320:
                found.setdefault((role, value), a)
    return [(role, value, a) for (role, value), a in found.items()]


_UID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Generated per run: when a row was made or changed, the change log's clocks
# and action ids.
_GENERATED = {"created_at", "updated_at", "at", "hlc", "hlc_last", "op_uid", "base"}
_SKIP = {"sync_seq"}  # the server's commit-time sequence: it counts both imports


def _logged(value: Any) -> Any:
    """A change-log value (a record's columns as JSON) without the times
    its record was made and changed."""
    if isinstance(value, str) and value.startswith("{"):
        return {k: v for k, v in json.loads(value).items() if k not in _GENERATED}
    return value


def tables(db: Database) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings()
            out[table.name] = [{k: v for k, v in row.items() if k not in _SKIP} for row in rows]
    return out


def same_rows(
    before: dict[str, list[dict[str, Any]]], orm: dict[str, Any], core: dict[str, Any]
) -> int:
    """Every table equal but for generated values; the new rows' uids
    mapped from the ORM copy to the writer's wherever they appear."""
    uids: dict[str, str] = {}
    for name, rows in orm.items():
        old = {r.get("uid") for r in before[name]}
        for a, b in zip(rows, core[name], strict=False):
            if (
                not name.startswith("sync_")
                and isinstance(a.get("uid"), str)
                and a["uid"] not in old
            ):
                assert _UID.match(a["uid"]), (name, a)
                assert _UID.match(b["uid"]), (name, b)
                assert uids.setdefault(a["uid"], b["uid"]) == b["uid"]
    assert len(set(uids.values())) == len(uids)

    def mapped(value: Any) -> Any:
        if isinstance(value, str):
            for theirs, ours in uids.items():
                value = value.replace(theirs, ours)
        return value

    compared = 0
    for name, rows in orm.items():
        assert len(rows) == len(core[name]), name
        for a, b in zip(rows, core[name], strict=True):
            for key, value in a.items():
                if key in _GENERATED or (name == "sync_state" and a.get("key") == "hlc_last"):
                    assert (value is None) == (b[key] is None), (name, key)
                    continue
                assert _logged(mapped(value)) == _logged(b[key]), (name, key, a, b)
            compared += 1
    return compared
