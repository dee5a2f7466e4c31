"""What the linking job writes on a laptop reaches the server (issue #20).

The job puts earlier letters and calls on cards with set-based statements
the change log's flush hook never sees; on a replica they log themselves
(services/linking/replica_log.py). A letter imported on the laptop from an
unknown address, then the address put on a client's contact person offline:
after one sync the server holds the interaction on that client with that
contact person, and a colleague sees it. The same letter or call linked on
the server too is one interaction everywhere after the sync.
Real PostgreSQL with a login per colleague, SQLite replicas (tests/integration/replica_rig.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from models import CallRecord, Client, Interaction
from services.linking import call_log
from services.linking import job as linking
from services.linking import use_cases as link_cases
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_mailbox import (
    ADDRESS,
    letters_linked_to,
    mailbox_letters,
    placed_by_source,
)
from tests.integration.replica_rig import CLIENT, IVAN, Rig, contact_id, log_rows, snapshot

pytestmark = pytest.mark.postgres


def _sync_both(rig: Rig) -> None:
    for who in ("anna", "head", "anna"):
        report = sync(rig.laptop[who], rig.server[who])
        assert not report.refused, report.refused
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


@pytest.mark.parametrize("synced_between", [False, True])
def test_letters_the_job_links_and_moves_offline_reach_the_server_with_their_contact_person(
    rig: Rig, synced_between: bool
) -> None:
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    mailbox_letters(laptop, me.id, ["<a1@romashka.example>", "<a2@romashka.example>"])
    # Offline: the address first on a new lead (both letters go there) ...
    lead = parties.add_lead(laptop, me, "Пётр Смирнов", company="ИП Смирнов").value
    added = parties.add_point(laptop, me, "email", ADDRESS, "lead", lead.id).value
    assert added.linked is not None
    assert added.linked.emails == 2
    if synced_between:
        _sync_both(rig)
        assert [p[1:] for p in placed_by_source(rig.server["admin"], "email")] == [
            (None, "Пётр Смирнов", set()),
            (None, "Пётр Смирнов", set()),
        ]
    # ... then on the client's contact person: contact beats lead, they move.
    ivan = contact_id(laptop, IVAN)
    moved = parties.add_point(laptop, me, "email", ADDRESS.upper(), "contact", ivan).value
    assert moved.linked is not None
    assert moved.linked.moved == 2

    report = sync(laptop, rig.server["anna"])

    assert not report.refused
    assert {r["state"] for r in log_rows(laptop)} == {"pushed"}
    on_laptop = placed_by_source(laptop, "email")
    assert [p[1:] for p in on_laptop] == [(CLIENT, None, {IVAN}), (CLIENT, None, {IVAN})]
    # The server and a colleague's login there see them on the client with Ivan.
    assert placed_by_source(rig.server["admin"], "email") == on_laptop
    assert placed_by_source(rig.server["head"], "email") == on_laptop
    _sync_both(rig)
    assert placed_by_source(rig.laptop["head"], "email") == on_laptop
    # The laptop's letters are still on them.
    assert letters_linked_to(laptop) == {uid for uid, *_ in on_laptop}


def _server_job(rig: Rig) -> None:
    """The server's own linking run (a desktop on the team database runs it)."""
    linking.run(rig.tdb.db)


def test_a_letter_the_server_linked_too_is_one_interaction_everywhere(rig: Rig) -> None:
    key = "<schet-1@romashka.example>"
    # At the office: the same letter came into the server's copy of Anna's
    # mailbox, the address is on the client there, the server's job linked it.
    server_anna = rig.actor("anna")
    mailbox_letters(rig.tdb.db, server_anna.id, [key])
    with rig.server["anna"].reader() as uow:
        cid = uow.session.scalars(select(Client.id).where(Client.uid == rig.client_uid)).one()
    parties.add_point(rig.server["anna"], server_anna, "email", ADDRESS, "client", cid, link=False)
    _server_job(rig)
    ((server_uid, *_),) = placed_by_source(rig.server["admin"], "email")
    # On the laptop, offline: the letter from its own mailbox, the address on Ivan.
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    mailbox_letters(laptop, me.id, [key])
    ivan = contact_id(laptop, IVAN)
    parties.add_point(laptop, me, "email", ADDRESS, "contact", ivan)
    ((laptop_uid, _, _, people),) = placed_by_source(laptop, "email")
    assert laptop_uid != server_uid
    assert people == {IVAN}

    report = sync(laptop, rig.server["anna"])

    assert not report.refused
    # One interaction for the letter: the server's, with Ivan from the laptop.
    assert placed_by_source(rig.server["admin"], "email") == [(server_uid, CLIENT, None, {IVAN})]
    assert placed_by_source(laptop, "email") == [(server_uid, CLIENT, None, {IVAN})]
    assert letters_linked_to(laptop) == {server_uid}
    # The server's next run leaves it one too.
    _server_job(rig)
    assert placed_by_source(rig.server["admin"], "email") == [(server_uid, CLIENT, None, {IVAN})]
    _sync_both(rig)


CALL_NUMBER = "+7 912 000-11-22"


def _call_log(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["started_at", "direction", "number", "duration_s", "result", "call_id"])
        out.writerow(["2026-11-20 10:15:00", "in", "8 912 000-11-22", "95", "answered", "c-101"])
        out.writerow(["2026-11-21 16:40:00", "out", "+79120001122", "0", "busy", "c-102"])
    return path


@pytest.mark.parametrize("server_too", [False, True])
def test_calls_the_job_links_offline_reach_the_server_once(
    rig: Rig, tmp_path: Path, server_too: bool
) -> None:
    calls = _call_log(tmp_path / "звонки.csv")
    if server_too:  # the same PBX log imported and linked at the office
        server_anna = rig.actor("anna")
        with rig.server["anna"].uow(server_anna.id) as uow:
            # (the use case's full linking run writes a setting a manager's
            # login may not write on a team database: the server's job runs it)
            call_log.import_calls(uow, server_anna, calls)
            uow.commit()
        with rig.server["anna"].reader() as uow:
            cid = uow.session.scalars(select(Client.id).where(Client.uid == rig.client_uid)).one()
        parties.add_point(
            rig.server["anna"], server_anna, "phone", CALL_NUMBER, "client", cid, link=False
        )
        _server_job(rig)
        assert len(placed_by_source(rig.server["admin"], "call")) == 2
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    imported = link_cases.import_calls(laptop, me, calls).value
    assert (imported.imported.created, imported.linked) == (2, 0)
    ivan = contact_id(laptop, IVAN)
    added = parties.add_point(laptop, me, "phone", CALL_NUMBER, "contact", ivan).value
    assert added.linked is not None
    assert added.linked.calls == 2

    report = sync(laptop, rig.server["anna"])

    assert not report.refused
    on_server = placed_by_source(rig.server["admin"], "call")
    assert [p[1:] for p in on_server] == [(CLIENT, None, {IVAN}), (CLIENT, None, {IVAN})]
    assert placed_by_source(laptop, "call") == on_server
    with laptop.reader() as uow:
        linked = set(
            uow.session.scalars(
                select(Interaction.uid).join(
                    CallRecord, CallRecord.interaction_id == Interaction.id
                )
            )
        )
    assert linked == {uid for uid, *_ in on_server}
    _sync_both(rig)
    assert placed_by_source(rig.laptop["head"], "call") == on_server


def test_a_letter_the_server_linked_on_a_card_the_user_may_not_see_is_refused_once(
    rig: Rig,
) -> None:
    """Under Anna's login the server's interaction cannot be found; the
    server says the letter is held on a card she cannot see (its interaction
    alone is refused, tests/integration/test_replica_held.py): the laptop
    takes it back and leaves the letter off every card, and the next sync
    is quiet."""
    key = "<zakaz-7@vasilek.example>"
    boris = rig.actor("boris")
    other = parties.add_client(rig.server["boris"], boris, "ООО «Василёк»", region="RU").value
    parties.add_point(rig.server["boris"], boris, "email", ADDRESS, "client", other.id, link=False)
    mailbox_letters(rig.tdb.db, boris.id, [key])
    _server_job(rig)
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    mailbox_letters(laptop, me.id, [key])
    parties.add_point(laptop, me, "email", ADDRESS, "contact", contact_id(laptop, IVAN))
    assert len(placed_by_source(laptop, "email")) == 1

    report = sync(laptop, rig.server["anna"])

    assert [r.kind for r in report.refused] == ["interaction"]
    assert placed_by_source(laptop, "email") == []
    assert letters_linked_to(laptop) == set()
    assert [p[1] for p in placed_by_source(rig.tdb.db, "email")] == ["ООО «Василёк»"]
    linking.run(laptop)  # the job leaves the letter alone now
    assert placed_by_source(laptop, "email") == []
    again = sync(laptop, rig.server["anna"])
    assert not again.refused
    assert {r["state"] for r in log_rows(laptop)} <= {"pushed", "refused"}
