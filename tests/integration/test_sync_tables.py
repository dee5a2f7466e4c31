"""The replica sync's registry (services/sync/tables.py) on real SQLite
files: a record encoded in one database decodes in another with its
references named by uid and translated to that database's own ids."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Client, Contact, CustomField, CustomValue, Deal, Interaction, Memo, Stage, User
from services.core.storage import Database, open_database
from services.sync import tables
from services.sync.tables import MissingReference, Translator, decode, encode

WHEN = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def other_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _world(db: Database) -> dict[str, object]:
    with db.uow() as uow:
        s = uow.session
        user = s.scalar(select(User).order_by(User.id))
        assert user is not None
        stage = s.scalar(select(Stage).order_by(Stage.id))
        assert stage is not None
        field = CustomField(entity_kind="client", code="inn", label="ИНН", value_type="text")
        client = Client(name="ООО «Ёлка»", owner_id=user.id, region="RU", created_at=WHEN)
        s.add_all([field, client])
        s.flush()
        contact = Contact(full_name="Пётр Ильич", client_id=client.id)
        deal = Deal(
            title="Поставка ёлок",
            pipeline_id=stage.pipeline_id,
            stage_id=stage.id,
            owner_id=user.id,
            client_id=client.id,
            amount=Decimal("1234.50"),
        )
        s.add_all([contact, deal])
        s.flush()
        s.add_all(
            [
                CustomValue(field_id=field.id, entity_id=client.id, value="7701234567"),
                Memo(object_kind="deal", object_id=deal.id, body="Памятка", author_id=user.id),
                Interaction(
                    type="call",
                    direction="out",
                    state="planned",
                    start_local=dt.datetime(2026, 12, 2, 10, 0),
                    start_tz="Asia/Almaty",
                    start_utc=dt.datetime(2026, 12, 2, 5, 0, tzinfo=dt.UTC),
                    owner_id=user.id,
                    client_id=client.id,
                    deal_id=deal.id,
                    subject="Звонок Ёлке",
                ),
            ]
        )
        uow.commit()
        return {"client": client.uid, "deal": deal.uid, "field": field.uid}


def _encoded(db: Database, kind: str) -> tuple[str, dict[str, object]]:
    spec = tables.kind_of(kind)
    with db.reader() as uow:
        tr = Translator(uow.session)
        row = uow.session.scalars(select(spec.model)).all()[-1]
        values = encode(uow, kind, row, tr)
        uid = tr.record_uid(kind, row)
        assert uid is not None
        return uid, json.loads(json.dumps(values))  # it survives the wire


def test_values_cross_as_json_with_uids_and_decode_to_local_ids(
    sqlite_db: Database, other_db: Database
) -> None:
    uids = _world(sqlite_db)
    client_uid, client = _encoded(sqlite_db, "client")
    assert client_uid == uids["client"]
    assert client["name"] == "ООО «Ёлка»"
    assert client["created_at"] == WHEN.isoformat()
    with sqlite_db.reader() as uow:
        admin_uid = uow.session.scalar(select(User.uid).order_by(User.id))
    assert client["owner_id"] == admin_uid  # a reference travels as the uid
    _, deal = _encoded(sqlite_db, "deal")
    assert deal["amount"] == "1234.50"
    assert deal["client_id"] == uids["client"]

    # The other database has its own ids: add a colleague first so they differ.
    with other_db.uow() as uow:
        uow.session.add(User(login="x", full_name="Икс"))
        uow.session.flush()
        admin = uow.session.scalar(select(User).order_by(User.id))
        assert admin is not None
        admin.uid = str(admin_uid)  # the same colleague on both sides
        uow.commit()
    with other_db.uow() as uow:
        values = decode(uow, "client", client)
        assert values["owner_id"] == admin.id
        assert values["created_at"] == WHEN
        row = Client(uid=client_uid, **values)
        uow.session.add(row)
        uow.session.flush()
        assert row.name_folded == "ооо «елка»"  # derived on arrival, not carried
        uow.commit()


def test_a_reference_to_a_uid_that_is_not_here_is_reported(
    sqlite_db: Database, other_db: Database
) -> None:
    _world(sqlite_db)
    _, contact = _encoded(sqlite_db, "contact")
    with other_db.uow() as uow, pytest.raises(MissingReference) as missing:
        decode(uow, "contact", contact)
    assert missing.value.field == "client_id"
    with other_db.uow() as uow, pytest.raises(MissingReference):
        decode(uow, "interaction", {"type": "no-such-type"})


def test_custom_values_memos_and_interactions_name_their_polymorphic_targets(
    sqlite_db: Database,
) -> None:
    uids = _world(sqlite_db)
    value_uid, value = _encoded(sqlite_db, "custom_value")
    assert value_uid == f"{uids['field']}:{uids['client']}"
    assert value == {"field_id": uids["field"], "entity_id": uids["client"], "value": "7701234567"}
    _, memo = _encoded(sqlite_db, "memo")
    assert memo["object_kind"] == "deal"
    assert memo["object_id"] == uids["deal"]
    _, call = _encoded(sqlite_db, "interaction")
    assert call["type"] == "call"
    assert call["start_local"] == "2026-12-02T10:00:00"
    with sqlite_db.uow() as uow:
        tr = Translator(uow.session)
        assert decode(uow, "custom_value", value, tr)["entity_id"] == tr.local_id(
            "client", str(uids["client"])
        )
        found = tables.find(tr, "custom_value", value_uid)
        assert found is not None
        assert found.value == "7701234567"
        assert decode(uow, "memo", memo, tr)["object_id"] == tr.local_id("deal", str(uids["deal"]))
        spec = tables.kind_of("interaction")
        row = Interaction(**decode(uow, "interaction", call, tr))
        assert spec.derive is not None
        spec.derive(row)
        assert row.start_utc == dt.datetime(2026, 12, 2, 5, 0, tzinfo=dt.UTC)
        assert row.search_text == "звонок елке"


def test_the_registry_never_syncs_derived_or_local_columns() -> None:
    never = {"id", "uid", "row_version", "search_text", "name_folded", "sync_seq", "start_utc"}
    for spec in tables.synced_kinds():
        assert not never & set(spec.fields), spec.kind
        assert set(spec.refs) <= set(spec.fields), spec.kind
        columns = set(spec.model.__table__.c.keys())
        assert set(spec.fields) <= columns, spec.kind
        assert "sync_seq" in columns, spec.kind
    assert tables.kind_of("interaction").merge_key("done_at") == "outcome"
    assert tables.kind_of("deal").merge_key("stage_id") == "stage"
