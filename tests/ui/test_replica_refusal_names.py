"""A refused change reads as a person says it (#20): the record by the name
the laptop knows it by, never the server's id; the database's own refusal
by its class, never PostgreSQL's English; in Russian in a Russian window.
``replica conflicts --refused --json`` keeps its code and params. Real
PostgreSQL under the managers' logins, SQLite replicas (tests/integration/
replica_rig.py), Cyrillic names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update

from desktop.cli import main
from models.sync import SyncLog
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync import apply, refused, tables
from services.sync.use_cases import sync
from tests.integration.replica_rig import CLIENT, Rig
from ui.dialogs.sync_conflicts import refusal_reason

pytestmark = pytest.mark.postgres

DRIVER_WORDS = re.compile(r"duplicate|violates|constraint|row-level|policy|relation", re.I)


def _uid_of(rig: Rig, who: str, client_id: int) -> str:
    with rig.own_db(who).reader() as uow:
        found = tables.Translator(uow.session).uid("client", client_id)
    assert found is not None
    return found


def _cli_refused(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, Any]]:
    code = main(["replica", "conflicts", "--refused", "--path", str(path), "--json"])
    out, _err = capsys.readouterr()
    assert code == 0
    listed = json.loads(out)
    assert isinstance(listed, list)
    return listed


def test_a_client_the_database_refuses_is_named_and_its_refusal_worded_in_russian(
    rig: Rig, russian: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Anna makes "Ромашка" offline; meanwhile a card of Boris's, which Anna may
    # not see, carries the same uid on the server (a hand-copied file): the
    # server's unique index on uid refuses the whole action.
    made = parties.add_client(rig.laptop["anna"], rig.local_actor("anna"), "Ромашка").value
    uid = _uid_of(rig, "anna", made.id)
    theirs = parties.add_client(rig.server["boris"], rig.actor("boris"), "Лютик").value
    with rig.tdb.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE clients SET uid = :uid WHERE id = :id"), {"uid": uid, "id": theirs.id}
        )

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [said] = report.refused
    assert (said.code, said.label, said.params) == ("sync.apply.db_unique", "Ромашка", {})
    assert not DRIVER_WORDS.search(said.reason), said.reason
    [listed] = refused.refusals(rig.laptop["anna"])  # the refused card is gone from the laptop
    assert (listed.label, listed.code) == ("Ромашка", "sync.apply.db_unique")
    shown = refusal_reason(listed)
    assert re.search("[а-яА-Я]", shown), shown
    assert not DRIVER_WORDS.search(shown), shown
    [cli] = _cli_refused(capsys, tmp_path / "anna.sqlite3")
    assert (cli["code"], cli["params"], cli["label"]) == ("sync.apply.db_unique", {}, "Ромашка")
    assert {"op_uid", "kind", "uid", "reason"} <= set(cli)


def test_the_server_puts_the_records_uid_beside_its_id_and_the_laptop_names_it(
    rig: Rig, russian: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_id = rig.local_id("admin", "client", rig.client_uid)  # the server's own id
    why = apply.Why(
        f"Client {server_id} belongs to another manager",
        "core.access.belongs_another_manager",
        {"kind": "Client", "record_id": str(server_id)},
    )
    with rig.server["anna"].reader() as uow:
        named = apply.with_uids(why, tables.Translator(uow.session))
    assert named.params["record_id"] == str(server_id)  # the CLI keeps what it had
    assert (named.params["record_id_uid"], named.params["record_id_kind"]) == (
        rig.client_uid,
        "client",
    )
    # Stored on the laptop as a push stores it, and as a refusal stored before.
    laptop = rig.laptop["anna"]
    local = rig.local_id("anna", "client", rig.client_uid)
    edit_cases.edit_client(laptop, rig.local_actor("anna"), local, address="Казань, Кремль, 1")
    with laptop.engine.begin() as conn:
        conn.execute(
            update(SyncLog).values(
                state="refused",
                reason=why.reason,
                code=why.code,
                params=json.dumps(named.params, ensure_ascii=False),
            )
        )
    [listed] = refused.refusals(laptop)
    shown = refusal_reason(listed)
    assert CLIENT in shown, shown
    assert not re.search(r"\d", shown), shown
    assert "другому менеджеру" in shown, shown
    [cli] = _cli_refused(capsys, tmp_path / "anna.sqlite3")
    assert cli["params"]["record_id"] == str(server_id)
    assert cli["names"]["record_id"] == CLIENT

    with laptop.engine.begin() as conn:  # refused before the uid was kept: a foreign id
        conn.execute(update(SyncLog).values(params='{"kind": "Client", "record_id": "4711"}'))
    [old] = refused.refusals(laptop)
    shown = refusal_reason(old)
    assert CLIENT in shown, shown
    assert not re.search(r"\d", shown), shown


def test_a_refusal_stored_with_the_drivers_text_shows_its_class(rig: Rig, russian: None) -> None:
    laptop = rig.laptop["anna"]
    local = rig.local_id("anna", "client", rig.client_uid)
    edit_cases.edit_client(laptop, rig.local_actor("anna"), local, address="Казань, Кремль, 2")
    raw = (
        'new row violates row-level security policy for table "clients"',
        'duplicate key value violates unique constraint "uq_clients_uid"',
    )
    for detail, code in ((raw[0], "sync.apply.database"), (raw[1], None)):
        with laptop.engine.begin() as conn:
            conn.execute(
                update(SyncLog).values(
                    state="refused",
                    reason=detail,
                    code=code,
                    params=json.dumps({"detail": detail}) if code else None,
                )
            )
        [listed] = refused.refusals(laptop)
        shown = refusal_reason(listed)
        assert listed.label == CLIENT
        assert re.search("[а-яА-Я]", shown), shown
        assert not DRIVER_WORDS.search(shown), shown
