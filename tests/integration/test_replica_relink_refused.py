"""What a letter or call moved by hand on a laptop must not do (#20): move
onto a card handed away meanwhile (refused, and the laptop put back), take
its files along or leave one behind, remove an interaction that is no
letter or call, or move the server's interaction of a letter the laptop
merely imported. Moves that reach the other side are test_replica_relink.py;
the letter on both machines is tests/integration/replica_letters.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, Interaction
from services.core.storage import Database
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_letters import (
    KEY,
    MARIA,
    OTHER,
    SENT,
    SUBJECT,
    add_letter,
    card_ids,
    client_uid_of,
    item_row,
    letter_world,
    link_by_hand,
    login_id,
    placements,
)
from tests.integration.replica_rig import CLIENT, Rig, assert_converged, snapshot, sync_all

pytestmark = pytest.mark.postgres


def test_a_letter_moved_offline_onto_a_card_handed_away_is_refused_and_put_back(
    rig: Rig,
) -> None:
    old = letter_world(rig, "letter")
    laptop = rig.laptop["anna"]
    # Meanwhile Alla hands the other client to Boris of another department.
    edit_cases.edit_client(
        rig.server["admin"],
        rig.actor("admin"),
        rig.local_id("admin", "client", client_uid_of(rig, OTHER)),
        owner=rig.actor("boris").id,
    )
    before = snapshot(rig.server["admin"])

    link_by_hand(rig, "anna", "letter", "contact", MARIA)
    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code == "sync.apply.missing_reference"  # a card she may not see
    assert snapshot(rig.server["admin"]) == before
    assert placements(rig.server["admin"], "letter") == [(old, CLIENT, ())]
    # The laptop is put back: the letter on its old card, its row on it.
    assert placements(laptop, "letter") == [(old, CLIENT, ())]
    assert item_row(laptop, "letter")[0] == old
    assert OTHER not in card_ids(laptop)
    sync(laptop, rig.server["anna"])
    assert snapshot(laptop) == snapshot(rig.server["anna"])


def _attach(db: Database, user_id: int, source_uid: str, name: str) -> None:
    """A file on the letter's interaction (as the mail import stores one)."""
    data = name.encode()
    with db.uow(user_id) as uow:
        row = uow.session.scalar(select(Interaction).where(Interaction.uid == source_uid))
        assert row is not None
        uow.session.add(
            Attachment(
                client_id=row.client_id,
                interaction_id=row.id,
                filename=name,
                mime_type="application/pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                path="attachments/none",
            )
        )
        uow.commit()


def _files(db: Database) -> list[str]:
    with db.reader() as uow:
        return sorted(uow.session.scalars(select(Attachment.filename)))


def test_a_letter_moved_offline_leaves_its_files_nowhere_even_one_added_meanwhile(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "data"))
    server_anna = login_id(rig.server["admin"], rig.tdb.logins["anna"])
    anna = rig.actor("anna")
    parties.add_client(rig.server["anna"], anna, OTHER, region="RU")
    add_letter(rig.server["anna"], server_anna)
    link_by_hand(rig, "anna", "letter", "client", CLIENT, server=True)
    [(old, _card, _persons)] = placements(rig.server["admin"], "letter")
    _attach(rig.server["anna"], server_anna, old, "Спецификация.pdf")
    for who in rig.laptop:
        assert not sync(rig.laptop[who], rig.server[who]).refused
    add_letter(
        rig.laptop["anna"],
        login_id(rig.laptop["anna"], rig.tdb.logins["anna"]),
        rig.local_id("anna", "interaction", old),
    )
    assert _files(rig.laptop["anna"]) == ["Спецификация.pdf"]
    # Moved by hand on the laptop (linking by hand keeps no file: as on the
    # server); a colleague attaches another to it at the office meanwhile.
    link_by_hand(rig, "anna", "letter", "client", OTHER)
    _attach(rig.server["anna"], server_anna, old, "Счёт.pdf")

    sync_all(rig)

    [(new, card, _persons)] = placements(rig.server["admin"], "letter")
    assert new != old
    assert card == OTHER
    assert _files(rig.server["admin"]) == []
    assert_converged(rig)


def test_removing_an_interaction_that_is_no_letter_or_call_is_refused_and_put_back(
    rig: Rig,
) -> None:
    """A laptop that skips the use cases (a hand-edited file) removes a
    meeting: on the server interactions are cancelled, never removed."""
    anna = rig.actor("anna")
    meeting = interactions.log_interaction(
        rig.server["anna"],
        anna,
        ix.NewInteraction(
            type="meeting",
            client_id=rig.local_id("anna", "client", rig.client_uid),
            subject="Встреча в офисе",
        ),
    ).value.uid
    laptop = rig.laptop["anna"]
    assert not sync(laptop, rig.server["anna"]).refused
    with laptop.uow(rig.local_actor("anna").id) as uow:
        row = uow.session.scalar(select(Interaction).where(Interaction.uid == meeting))
        uow.session.delete(row)
        uow.commit()

    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code == "feed.sources.only_imported_letters_calls"
    for db in (rig.server["admin"], laptop):
        with db.reader() as uow:
            subject = uow.session.scalar(
                select(Interaction.subject).where(Interaction.uid == meeting)
            )
        assert subject == "Встреча в офисе"
    assert snapshot(laptop) == snapshot(rig.server["anna"])


def test_a_letter_imported_on_the_laptop_does_not_move_the_servers_interaction_of_it(
    rig: Rig,
) -> None:
    """Only an action that removed the letter's interaction is a move: a
    creation alone (the laptop imported a letter that the office linked
    after the laptop's last sync) leaves the server's placement alone."""
    anna = rig.actor("anna")
    parties.add_client(rig.server["anna"], anna, OTHER, region="RU")
    for who in rig.laptop:
        assert not sync(rig.laptop[who], rig.server[who]).refused
    add_letter(rig.server["anna"], login_id(rig.server["admin"], rig.tdb.logins["anna"]))
    link_by_hand(rig, "anna", "letter", "client", OTHER, server=True)
    [at_office] = placements(rig.server["admin"], "letter")
    laptop = rig.laptop["anna"]
    with laptop.uow(rig.local_actor("anna").id) as uow:  # as the laptop's import makes it
        uow.session.add(
            Interaction(
                type="email",
                direction="in",
                state="done",
                start_local=SENT.replace(tzinfo=None),
                start_tz="UTC",
                start_utc=SENT,
                owner_id=rig.local_actor("anna").id,
                client_id=rig.local_id("anna", "client", rig.client_uid),
                subject=SUBJECT,
                search_text=SUBJECT.casefold(),
                source_kind="email",
                source_key=KEY,
                done_at=SENT,
                created_by_id=rig.local_actor("anna").id,
            )
        )
        uow.commit()

    sync(laptop, rig.server["anna"])

    assert placements(rig.server["admin"], "letter") == [at_office]
    assert at_office[1] == OTHER
