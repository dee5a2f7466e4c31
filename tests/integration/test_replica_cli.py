"""``touchpoint replica sync|conflicts|resolve`` against the real team server (#20)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from tests.integration.replica_rig import Rig

pytestmark = pytest.mark.postgres


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in argv and code == 0 else out), err


def test_sync_conflicts_and_resolve_through_the_cli(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna_file = str(tmp_path / "anna.sqlite3")
    rig.rival_addresses()
    code, report, _ = _run(capsys, "replica", "sync", "--path", anna_file, "--json")
    assert code == 0
    assert (report["pushed"], report["refused"], report["conflicts"]) == (1, [], 1)
    assert report["clamped"] is False

    code, listed, _ = _run(capsys, "replica", "conflicts", "--path", anna_file, "--json")
    assert code == 0
    [conflict] = listed
    assert conflict["field"] == "address"
    assert (conflict["mine"], conflict["theirs"]) == (
        "Казань, ул. Пушкина, 5",
        "Москва, Тверская, 1",
    )
    assert conflict["label"] == "ООО «Ромашка»"
    assert conflict["mine_user"] == "Анна Смирнова"

    code, out, _ = _run(
        capsys, "replica", "resolve", str(conflict["id"]), "--keep", "mine", "--path", anna_file
    )
    assert code == 0
    assert "resolved" in out
    code, listed, _ = _run(capsys, "replica", "conflicts", "--path", anna_file, "--json")
    assert listed == []
    code, report, _ = _run(capsys, "replica", "sync", "--path", anna_file, "--json")
    assert report["pushed"] == 1
    code, text, _ = _run(capsys, "replica", "status", "--path", anna_file)
    assert "0 pending" in text
    assert "0 conflicts" in text


def test_resolving_an_unknown_conflict_is_one_line_and_exit_2(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys,
        "replica",
        "resolve",
        "999",
        "--keep",
        "theirs",
        "--path",
        str(tmp_path / "anna.sqlite3"),
    )
    assert code == 2
    assert err.count("\n") == 1
    assert "Conflict 999" in err


def test_a_refusal_carries_its_code_and_params_in_sync_and_conflicts_refused(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import select

    from models import Client

    anna_file = str(tmp_path / "anna.sqlite3")
    with rig.laptop["anna"].uow(rig.local_actor("anna").id) as uow:
        row = uow.session.scalar(select(Client).where(Client.uid == rig.client_uid))
        assert row is not None
        row.region = "ZZ"  # past the use case: the server's check refuses it
        uow.commit()
    code, report, _ = _run(capsys, "replica", "sync", "--path", anna_file, "--json")
    assert code == 0
    [refused] = report["refused"]
    assert refused["reason"] == "Unknown region 'ZZ': use a two-letter country code"
    assert refused["code"] == "parties.records.unknown_region_use_two"
    assert refused["params"] == {"region": "'ZZ'"}

    code, listed, _ = _run(
        capsys, "replica", "conflicts", "--refused", "--path", anna_file, "--json"
    )
    assert code == 0
    assert listed == [refused]
    code, text, _ = _run(capsys, "replica", "conflicts", "--refused", "--path", anna_file)
    assert "ООО «Ромашка»" in text
    assert "parties.records.unknown_region_use_two" in text
    code, listed, _ = _run(capsys, "replica", "conflicts", "--path", anna_file, "--json")
    assert listed == []  # the conflicts themselves: none
