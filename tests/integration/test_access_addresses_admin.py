"""Access beyond one command per case (#15 item 5): a colleague's address
typed into a new card or imported names nothing of theirs and changes none of
their records; an administrator still reaches everything the walk refuses a
manager.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.access_world import World, leaks, run_cli
from tests.integration.access_world import world as world  # the seeded database


def test_creating_with_a_colleagues_address_names_nothing(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["clients", "add", "Клон", "--email", "secret@boris.example"],
        ["leads", "add", "Клон", "--email", "secret@boris.example"],
    ):
        _, out, err = run_cli(capsys, world, "anna", argv)
        shown = (out + err).replace("secret@boris.example", "")  # what she typed herself
        assert not leaks(shown)


def test_importing_a_colleagues_address_changes_nothing_of_theirs(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    card = world.tmp / "boris.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Контакт Бориса\r\nORG:ООО Секрет Бориса\r\n"
        "EMAIL:secret@boris.example\r\nTEL:+7 495 777-77-77\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    show = ["clients", "show", str(world.boris.client), "--json"]
    before = json.loads(run_cli(capsys, world, "boris", show)[1])
    code, _, err = run_cli(capsys, world, "anna", ["import", "contacts", str(card), "--json"])
    assert code in (0, 2), err
    assert "ООО Секрет Бориса" not in err
    after = json.loads(run_cli(capsys, world, "boris", show)[1])
    assert after == before


def test_an_administrator_still_reaches_everything(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = world.team.admin.login
    for argv in (
        ["clients", "show", str(world.boris.client)],
        ["contacts", "show", str(world.boris.contact)],
        ["why", str(world.boris.letter_interaction)],
        ["card", "deal", str(world.boris.deal)],
    ):
        code, out, err = run_cli(capsys, world, admin, argv)
        assert code == 0, err
        assert leaks(out)
