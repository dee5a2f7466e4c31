"""A push asks once per batch which created records are new on the server (#16).

services/sync/apply_fresh.py skips the two single-row lookups (the record
by uid, its tombstone) for records the batch read found new. These tests
hold the rules the skipped lookups kept: a record the server holds already
is not made twice, a record removed on the server is not brought back, and
a uid is answered "new" only once.

Real PostgreSQL with a login per colleague, SQLite replicas
(tests/integration/replica_rig.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Contact, ContactPoint
from services.parties import use_cases as parties
from services.sync import apply, apply_fresh, push
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, assert_converged

pytestmark = pytest.mark.postgres

NAMES = ("Пётр Сидоров", "Ольга Ким", "Анна Фролова")
PHONES = ("+7 843 111-11-11", "+7 843 222-22-22", "+7 843 333-33-33")


def _server_phones(rig: Rig) -> dict[str, list[str]]:
    """Each of the three contact persons on the server, with its numbers."""
    with rig.server["admin"].reader() as uow:
        rows = uow.session.execute(
            select(Contact.full_name, ContactPoint.raw)
            .outerjoin(ContactPoint, ContactPoint.contact_id == Contact.id)
            .where(Contact.full_name.in_(NAMES))
        )
        out: dict[str, list[str]] = {}
        for name, raw in rows:
            out.setdefault(name, [])
            if raw is not None:
                out[name].append(raw)
        return out


def test_one_batch_with_records_made_before_and_removed_meanwhile(rig: Rig) -> None:
    client_id = rig.local_id("anna", "client", rig.client_uid)
    for name, phone in zip(NAMES, PHONES, strict=True):
        parties.add_contact(
            rig.laptop["anna"], rig.local_actor("anna"), name, client_id=client_id, phones=[phone]
        )
    ops = push._pending(rig.laptop["anna"], 10)
    assert [rows[0].field for _, rows in ops] == ["*created"] * 3
    (first_op, first), (second_op, second), (_, third) = ops
    # The first two creations reached the server before under other action
    # ids (a resent log); then a colleague removed the second one's number.
    for op_uid, rows in ((first_op, first), (second_op, second)):
        other = "0" * 8 + op_uid[8:]
        assert (
            apply.apply_op(rig.server["anna"], rig.actor("anna"), other, rows).outcome == "applied"
        )
    with rig.server["admin"].uow(rig.actor("admin").id) as uow:
        [point] = uow.session.scalars(
            select(ContactPoint).join(Contact).where(Contact.uid == second[0].uid)
        )
        uow.session.delete(point)
        uow.commit()

    with rig.server["anna"].reader(rig.actor("anna").id) as uow:
        fresh = apply_fresh.read(uow.session, [*first, *second, *third])
    # Only the third contact person and its number are new to the server.
    assert len(fresh) == 2
    assert fresh.take("contact", third[0].uid)
    assert not fresh.take("contact", third[0].uid)  # answered once
    assert not fresh.take("contact", first[0].uid)

    result = push.push(rig.laptop["anna"], rig.server["anna"])
    assert result.pushed == 3
    assert not result.refusals
    # Made once each; the removed number stays removed; the new one landed.
    assert _server_phones(rig) == {
        "Пётр Сидоров": [PHONES[0]],
        "Ольга Ким": [],
        "Анна Фролова": [PHONES[2]],
    }
    again = push.push(rig.laptop["anna"], rig.server["anna"])
    assert again.pushed == 0
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    assert_converged(rig)
