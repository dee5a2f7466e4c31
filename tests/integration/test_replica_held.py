"""One letter the server cannot take never sinks the linking job's whole chunk (#20).

The linking job on a laptop logs a chunk of its placements as one action
(services/linking/replica_log.py). Two ways one interaction of it cannot
land on the team server: the office imported the same mailbox and its job
put that letter on a colleague's card the laptop's user may not see (the
unique letter key, behind row-level security), or the database refuses
that one row for any other reason. Either way only that interaction is
refused, listed once with its reason; every other letter of the chunk
lands, nothing is doubled, and the next sync changes nothing.

Real PostgreSQL with a login per colleague, SQLite replicas
(tests/integration/replica_rig.py): Anna's laptop, Boris's card at the office.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from models import Client, Interaction, MailMessage
from services.linking import job as linking
from services.parties import use_cases as parties
from services.sync import push as push_module
from services.sync import refused as refused_list
from services.sync.use_cases import sync
from tests.integration.replica_mailbox import (
    ADDRESS,
    letters_linked_to,
    mailbox_letters,
    placed_by_source,
)
from tests.integration.replica_rig import CLIENT, IVAN, Rig, contact_id, log_rows, snapshot

pytestmark = pytest.mark.postgres

OTHERS = 40  # letters of the same chunk that must land
HELD = "<zakaz-7@vasilek.example>"  # on Boris's card at the office
BORIS_CARD = "ООО «Василёк»"


def _keys() -> list[str]:
    return [HELD] + [f"<schet-{n}@romashka.example>" for n in range(OTHERS)]


def _offline_job(rig: Rig) -> None:
    """Anna's laptop, offline: the same mailbox imported, the address put on
    Ivan, the job links all its letters in one chunk (one action)."""
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    mailbox_letters(laptop, me.id, _keys())
    parties.add_point(laptop, me, "email", ADDRESS, "contact", contact_id(laptop, IVAN))
    assert len(placed_by_source(laptop, "email")) == OTHERS + 1
    made = [r for r in log_rows(laptop) if r["kind"] == "interaction"]
    assert len(made) == OTHERS + 1
    assert len({r["op"] for r in made}) == 1  # the job's chunk is one action


def _server_state(rig: Rig) -> tuple[list[tuple[str, str]], dict[tuple[str, str], object]]:
    """Every letter's interaction on the server (key, card), and Anna's view of it."""
    with rig.tdb.db.reader() as uow:
        placed = sorted(
            (str(key), str(card))
            for key, card in uow.session.execute(
                select(Interaction.source_key, Client.name)
                .join(Client, Client.id == Interaction.client_id)
                .where(Interaction.source_kind == "email")
            )
        )
    return placed, snapshot(rig.server["anna"])


def _assert_only_the_held_one_left(rig: Rig, report_refused: list[object]) -> None:
    laptop = rig.laptop["anna"]
    placed, _ = _server_state(rig)
    # Boris's interaction of the held letter stays his; all the others are
    # on Anna's client, each once.
    assert placed.count((HELD, BORIS_CARD)) == 1
    assert sorted(k for k, card in placed if card == CLIENT) == sorted(_keys()[1:])
    assert len(placed) == OTHERS + 1
    # The laptop holds the others, under the same uids, with its letters on
    # them; the held letter is on no card here.
    on_laptop = placed_by_source(laptop, "email")
    assert len(on_laptop) == OTHERS
    assert on_laptop == placed_by_source(rig.server["anna"], "email")  # same uids, card, person
    assert letters_linked_to(laptop) == {uid for uid, *_ in on_laptop}
    with laptop.reader() as uow:
        held = uow.session.execute(
            select(MailMessage.interaction_id, MailMessage.link_rule).where(
                MailMessage.message_key == HELD
            )
        ).one()
    assert held.interaction_id is None
    assert held.link_rule is not None  # taken off by the server: the job leaves it
    assert len(report_refused) == 1


def _boris_holds_the_letter(rig: Rig) -> None:
    """At the office: the letter came into Boris's mailbox, its address is on
    his client, and the office's job put it on his card."""
    boris = rig.actor("boris")
    other = parties.add_client(rig.server["boris"], boris, BORIS_CARD, region="RU").value
    parties.add_point(rig.server["boris"], boris, "email", ADDRESS, "client", other.id, link=False)
    mailbox_letters(rig.tdb.db, boris.id, [HELD])
    linking.run(rig.tdb.db)


def test_a_letter_held_on_a_colleagues_card_is_refused_alone_and_the_chunk_lands(
    rig: Rig,
) -> None:
    _boris_holds_the_letter(rig)
    _offline_job(rig)

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert (refusal.kind, refusal.code) == ("interaction", "sync.apply.held_elsewhere")
    assert refusal.params == {"kind": "letter"}
    assert refusal.label == "Счёт №1 за ноябрь"
    _assert_only_the_held_one_left(rig, list(report.refused))
    # Listed once in the conflict list, with the code the window words.
    [listed] = refused_list.refusals(rig.laptop["anna"])
    assert (listed.code, listed.label) == ("sync.apply.held_elsewhere", "Счёт №1 за ноябрь")
    assert {r["state"] for r in log_rows(rig.laptop["anna"])} == {"pushed", "refused"}

    # The laptop's job leaves the letter alone; a second sync changes nothing.
    before = _server_state(rig)
    linking.run(rig.laptop["anna"])
    again = sync(rig.laptop["anna"], rig.server["anna"])
    assert (again.refused, again.pushed) == ((), 0)
    assert _server_state(rig) == before
    assert len(placed_by_source(rig.laptop["anna"], "email")) == OTHERS
    assert snapshot(rig.laptop["anna"]) == snapshot(rig.server["anna"])
    assert len(refused_list.refusals(rig.laptop["anna"])) == 1


def _refuse_one_row_on_the_server(rig: Rig, key: str) -> None:
    """The server's database refuses the interaction of this one letter (a
    check it fails), as any one bad row of a chunk would be refused."""
    with rig.tdb.db.uow() as uow:
        uow.session.execute(
            text(
                "CREATE FUNCTION test_refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation'; "
                "END $$"
            )
        )
        uow.session.execute(
            text(
                "CREATE TRIGGER test_refuse_row BEFORE INSERT ON interactions FOR EACH ROW "
                f"WHEN (NEW.source_key = '{key}') EXECUTE FUNCTION test_refuse_row()"
            )
        )
        uow.commit()


def test_a_chunk_with_one_row_the_database_refuses_lands_all_but_that_row(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_one_row_on_the_server(rig, HELD)
    _offline_job(rig)
    # The laptop dies after the server answered, before it marked anything:
    # the next sync pushes the same action again and meets the same parts.
    real = push_module._record

    def dies(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the laptop died")

    monkeypatch.setattr(push_module, "_record", dies)
    with pytest.raises(RuntimeError):
        sync(rig.laptop["anna"], rig.server["anna"])
    monkeypatch.setattr(push_module, "_record", real)
    assert len(_server_state(rig)[0]) == OTHERS  # the rest landed already

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert (refusal.kind, refusal.code) == ("interaction", "sync.apply.db_check")
    placed, _ = _server_state(rig)
    assert placed == sorted((k, CLIENT) for k in _keys()[1:])
    on_laptop = placed_by_source(rig.laptop["anna"], "email")
    assert on_laptop == placed_by_source(rig.server["anna"], "email")  # same uids, card, person
    assert len(on_laptop) == OTHERS
    with rig.tdb.db.reader() as uow:
        applied = uow.session.scalar(text("SELECT count(*) FROM sync_applied"))
    again = sync(rig.laptop["anna"], rig.server["anna"])
    assert (again.refused, again.pushed) == ((), 0)
    with rig.tdb.db.reader() as uow:
        assert uow.session.scalar(text("SELECT count(*) FROM sync_applied")) == applied
        assert (
            uow.session.scalar(
                select(func.count())
                .select_from(Interaction)
                .where(Interaction.source_kind == "email")
            )
            == OTHERS
        )
    assert snapshot(rig.laptop["anna"]) == snapshot(rig.server["anna"])


def test_the_held_lookup_says_only_whether_a_letter_is_held(rig: Rig) -> None:
    """Access walk for tp_sync_held (0040): Anna, who may not see Boris's
    card, learns that his letter is held and nothing of it; the function is
    the schema owner's, with its search path fixed, and bounded."""
    _boris_holds_the_letter(rig)
    asked = {"kinds": ["email", "email", "note"], "keys": [HELD, "<nobody@x.example>", HELD]}
    with rig.server["anna"].reader() as uow:
        found = uow.session.execute(text("SELECT * FROM tp_sync_held(:kinds, :keys)"), asked).all()
        seen = uow.session.scalar(
            select(func.count()).select_from(Interaction).where(Interaction.source_key == HELD)
        )
    assert [tuple(r) for r in found] == [("email", HELD)]  # the pair asked, no more
    assert seen == 0  # the interaction itself stays Boris's
    with rig.tdb.db.reader() as uow:
        owner, definer, config = uow.session.execute(
            text(
                "SELECT pg_get_userbyid(proowner) = (SELECT tableowner FROM pg_tables "
                "WHERE tablename = 'interactions'), prosecdef, proconfig "
                "FROM pg_proc WHERE proname = 'tp_sync_held'"
            )
        ).one()
    assert (owner, definer) == (True, True)
    assert any(c.startswith("search_path=") for c in config)
    with pytest.raises(DBAPIError), rig.server["anna"].reader() as uow:
        uow.session.execute(
            text("SELECT * FROM tp_sync_held(:kinds, :keys)"),
            {"kinds": ["email"] * 1001, "keys": [f"<{n}@x.example>" for n in range(1001)]},
        ).all()


def test_a_held_letter_the_job_moved_again_offline_is_listed_once(rig: Rig) -> None:
    """The laptop's job first puts the letters on a new lead, then (the
    address on Ivan: a contact person beats a lead) moves them all: the
    held letter's move follows its refusal, and every other move lands."""
    _boris_holds_the_letter(rig)
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    mailbox_letters(laptop, me.id, _keys())
    lead = parties.add_lead(laptop, me, "Пётр Смирнов", company="ИП Смирнов").value
    parties.add_point(laptop, me, "email", ADDRESS, "lead", lead.id)
    ivan = contact_id(laptop, IVAN)
    moved = parties.add_point(laptop, me, "email", ADDRESS.upper(), "contact", ivan).value
    assert moved.linked is not None
    assert moved.linked.moved == OTHERS + 1

    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code == "sync.apply.held_elsewhere"
    _assert_only_the_held_one_left(rig, list(report.refused))
    assert [(p[1], p[3]) for p in placed_by_source(laptop, "email")] == [(CLIENT, {IVAN})] * OTHERS
    [listed] = refused_list.refusals(laptop)
    assert listed.code == "sync.apply.held_elsewhere"
    again = sync(laptop, rig.server["anna"])
    assert (again.refused, again.pushed) == ((), 0)
    assert snapshot(laptop) == snapshot(rig.server["anna"])
