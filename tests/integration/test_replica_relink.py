"""A letter or call put on another card, or taken off, by hand on a laptop
reaches the server, and one moved on the server reaches the laptop (#20).

Real PostgreSQL with a login per colleague, two SQLite laptop replicas
(tests/integration/replica_rig.py). Anna's mailbox and her PBX calls are on
the server (her desktop at the office imports them) and on her laptop
(imported there too): the same letter is a row on each machine, and one
interaction per letter, named by (source kind, source key), sits on a card.
Moving it by hand removes that interaction and makes a new one; both must
travel, with the contact person, and the letter rows on each machine must
follow (the letter on both machines: tests/integration/replica_letters.py).
What such a move must not do is test_replica_relink_refused.py.
"""

from __future__ import annotations

import pytest

from services.sync.use_cases import sync
from tests.integration.replica_letters import (
    MARIA,
    OTHER,
    item_row,
    letter_world,
    link_by_hand,
    placements,
    unlink_by_hand,
)
from tests.integration.replica_rig import CLIENT, IVAN, Rig, assert_converged, sync_all

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_moved_offline_is_on_the_new_card_on_the_server(
    rig: Rig, kind: str
) -> None:
    old = letter_world(rig, kind)

    link_by_hand(rig, "anna", kind, "contact", MARIA)
    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused, report.refused
    [(new, card, persons)] = placements(rig.server["admin"], kind)
    assert new != old
    assert (card, persons) == (OTHER, (MARIA,))
    assert placements(rig.laptop["anna"], kind) == [(new, OTHER, (MARIA,))]
    # The server's own row of the letter follows and stays where it was put.
    uid, rule, reason = item_row(rig.server["admin"], kind)
    assert (uid, rule) == (new, "manual")
    assert rig.tdb.logins["anna"] in reason
    assert item_row(rig.laptop["anna"], kind)[:2] == (new, "manual")
    sync_all(rig)
    assert_converged(rig)
    assert placements(rig.laptop["head"], kind) == [(new, OTHER, (MARIA,))]


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_unlinked_offline_is_off_every_card_and_stays_off(
    rig: Rig, kind: str
) -> None:
    letter_world(rig, kind)

    unlink_by_hand(rig, "anna", kind)
    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused, report.refused
    assert placements(rig.server["admin"], kind) == []
    uid, rule, reason = item_row(rig.server["admin"], kind)
    assert (uid, rule) == (None, "manual_off")  # the server's linking job leaves it off
    assert rig.tdb.logins["anna"] in reason
    assert item_row(rig.laptop["anna"], kind)[:2] == (None, "manual_off")
    sync_all(rig)
    assert_converged(rig)
    assert placements(rig.laptop["head"], kind) == []


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_moved_at_the_office_follows_on_the_laptop(rig: Rig, kind: str) -> None:
    old = letter_world(rig, kind)
    laptop = rig.laptop["anna"]

    link_by_hand(rig, "admin", kind, "contact", MARIA)  # Alla, at the office
    report = sync(laptop, rig.server["anna"])

    assert not report.refused, report.refused
    [(new, card, persons)] = placements(laptop, kind)
    assert new != old
    assert (card, persons) == (OTHER, (MARIA,))
    # The laptop's own row of the letter is on the new interaction, linked by
    # hand by Alla (its linking job will not move it back).
    uid, rule, reason = item_row(laptop, kind)
    assert (uid, rule) == (new, "manual")
    assert rig.tdb.logins["admin"] in reason
    sync_all(rig)
    assert_converged(rig)


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_unlinked_at_the_office_leaves_the_laptop_row_off(
    rig: Rig, kind: str
) -> None:
    letter_world(rig, kind)

    unlink_by_hand(rig, "anna", kind, server=True)
    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused, report.refused
    assert placements(rig.laptop["anna"], kind) == []
    assert item_row(rig.laptop["anna"], kind)[:2] == (None, "manual_off")
    sync_all(rig)
    assert_converged(rig)


@pytest.mark.parametrize("later", ["laptop", "office"])
def test_a_letter_moved_on_both_sides_ends_where_the_later_move_put_it(
    rig: Rig, later: str
) -> None:
    old = letter_world(rig, "letter")
    laptop = rig.laptop["anna"]
    moves = [
        # offline, to the other client
        lambda: link_by_hand(rig, "anna", "letter", "contact", MARIA),
        lambda: link_by_hand(rig, "admin", "letter", "contact", IVAN),  # Alla, to Ivan of the first
    ]
    for move in moves if later == "office" else reversed(moves):
        move()

    report = sync(laptop, rig.server["anna"])

    placed = placements(rig.server["admin"], "letter")
    assert len(placed) == 1
    assert placed[0][0] != old
    if later == "laptop":
        assert not report.refused, report.refused
        assert placed[0][1:] == (OTHER, (MARIA,))
    else:
        [refusal] = report.refused
        assert refusal.code == "sync.apply.moved_meanwhile"
        assert placed[0][1:] == (CLIENT, (IVAN,))
    assert placements(laptop, "letter") == placed
    assert item_row(laptop, "letter")[:2] == (placed[0][0], "manual")
    assert item_row(rig.server["admin"], "letter")[:2] == (placed[0][0], "manual")
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    assert_converged(rig)
    assert placements(rig.laptop["head"], "letter") == placed
