"""Concurrent editing (#19 item 4): a save names the version it started
from; a colleague's save meanwhile refuses it with both values per field,
nothing is overwritten, and saving against the new version then works."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from services.core.errors import EditConflict, FieldConflict
from services.core.storage import Database
from services.parties import edit_cases
from services.parties import use_cases as creating
from tests.conftest import Team


def test_a_stale_save_lists_both_values_and_changes_nothing(db: Database, team: Team) -> None:
    view = creating.add_client(db, team.anna, "ООО Альфа").value
    assert view.row_version == 1
    # The administrator renames it while Anna's dialog is open.
    edit_cases.edit_client(db, team.admin, view.id, name="ООО Альфа-Центр")
    with pytest.raises(EditConflict) as conflict:
        edit_cases.edit_client(
            db,
            team.anna,
            view.id,
            name="ООО Альфа Плюс",
            address="Москва, Тверская 1",
            expected_version=view.row_version,
        )
    assert set(conflict.value.fields) == {
        FieldConflict("name", "ООО Альфа Плюс", "ООО Альфа-Центр"),
        FieldConflict("address", "Москва, Тверская 1", None),
    }
    assert conflict.value.current_version == 2
    assert "yours 'ООО Альфа Плюс', saved 'ООО Альфа-Центр'" in str(conflict.value)
    with db.reader() as uow:
        from services.parties import records

        stored = records.get_client(uow, team.admin, view.id)
    assert (stored.name, stored.address) == ("ООО Альфа-Центр", None)

    # She keeps the colleague's name and her address: saved against version 2.
    saved = edit_cases.edit_client(
        db,
        team.anna,
        view.id,
        name="ООО Альфа-Центр",
        address="Москва, Тверская 1",
        expected_version=conflict.value.current_version,
    ).value
    assert (saved.name, saved.address, saved.row_version) == (
        "ООО Альфа-Центр",
        "Москва, Тверская 1",
        3,
    )


def test_an_owner_change_meanwhile_shows_names_and_contacts_deals_too(
    db: Database, team: Team
) -> None:
    client = creating.add_client(db, team.admin, "ООО Бета").value
    contact = creating.add_contact(db, team.admin, "Иван Петров", client_id=client.id).value
    edit_cases.edit_client(db, team.admin, client.id, owner=team.anna.id)
    with pytest.raises(EditConflict) as conflict:
        edit_cases.edit_client(
            db, team.admin, client.id, owner=team.boris.id, expected_version=client.row_version
        )
    assert conflict.value.fields == (FieldConflict("owner", "Борис Петров", "Анна Смирнова"),)
    edit_cases.edit_contact(db, team.admin, contact.id, position="Директор")
    with pytest.raises(EditConflict) as conflict:
        edit_cases.edit_contact(
            db, team.admin, contact.id, position="Бухгалтер", expected_version=contact.row_version
        )
    assert conflict.value.fields == (FieldConflict("position", "Бухгалтер", "Директор"),)


def test_the_cli_refuses_a_stale_version_with_exit_2(
    db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", db_url]
    capsys.readouterr()
    assert main([*base, "clients", "add", "ООО Гамма", "--json"]) == 0
    client = json.loads(capsys.readouterr().out)
    assert client["row_version"] == 1
    assert main([*base, "clients", "edit", str(client["id"]), "--name", "ООО Гамма-2"]) == 0
    capsys.readouterr()
    code = main(
        [*base, "clients", "edit", str(client["id"]), "--name", "ООО Гамма-3", "--if-version", "1"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "yours 'ООО Гамма-3', saved 'ООО Гамма-2'" in err
    assert (
        main(
            [
                *base,
                "clients",
                "edit",
                str(client["id"]),
                "--name",
                "ООО Гамма-3",
                "--if-version",
                "2",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["name"] == "ООО Гамма-3"


def test_moving_an_interaction_a_colleague_moved_meanwhile_is_refused(
    db: Database, team: Team
) -> None:
    import datetime as dt

    from services.interactions import actions as ix
    from services.interactions import use_cases as interactions

    client = creating.add_client(db, team.anna, "ООО Дельта").value
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    shown = interactions.log_interaction(
        db,
        team.anna,
        ix.NewInteraction(type="call", planned=True, start=start, client_id=client.id),
    ).value
    # The administrator moves it an hour later while Anna's dialog is open.
    with db.uow(team.admin.id) as uow:
        ix.reschedule(uow, team.admin, shown.id, start + dt.timedelta(hours=1), "Europe/Moscow")
        uow.commit()
    with pytest.raises(EditConflict) as conflict:
        interactions.save_changes(
            db, team.anna, shown, new_time=start + dt.timedelta(days=1), zone="UTC", contacts=()
        )
    assert [f.field for f in conflict.value.fields] == ["start"]
    with db.reader() as uow:
        assert ix.get(uow, team.anna, shown.id).start == start + dt.timedelta(hours=1)
