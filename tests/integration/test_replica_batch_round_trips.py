"""A batch of pushed actions asks the server less (#16, the offline week).

services/sync/apply_batch.py: the reference data (users, custom fields)
one action of a batch found is not looked up again by the next
(codec.Reference), and an optimistic batch's ``sync_applied`` rows go in
one INSERT at its commit. The answers stay those of one action at a time:
an action committed meanwhile by another sync is "already applied".

Real PostgreSQL with a login per colleague (row-level security applies),
SQLite replicas (tests/integration/replica_rig.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select

from models import CustomValue, Note, SyncApplied
from models.base import utcnow
from services.core.storage import Database
from services.interactions import use_cases as interactions
from services.parties import custom_fields, edit_cases
from services.sync import apply_batch, apply_writes, push, tables
from services.sync.apply_rows import Pushed
from services.sync.log import CREATED, TOMBSTONE
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, assert_converged

pytestmark = pytest.mark.postgres

NOTES = ("Обсудили поставку", "Перезвонить в среду", "Счёт отправлен")
VISITS = ("Визит во вторник", "Визит в четверг", "Визит перенесён")


def _statements(db: Database) -> list[str]:
    """Every statement this login's engine sends (one entry an executemany too)."""
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", seen)
    return sent


def _week(rig: Rig) -> None:
    """Anna's offline actions: three notes on the client (each names her,
    a user, by uid) and a custom field's value set three times (each names
    the field by uid); six actions in all."""
    admin = rig.server["admin"]
    custom_fields.add_field(admin, rig.actor("admin"), "client", "visit", "Визит", "text")
    sync(rig.laptop["anna"], rig.server["anna"])  # the field comes down
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    for text, visit in zip(NOTES, VISITS, strict=True):
        interactions.add_note(laptop, me, "client", client_id, text)
        edit_cases.edit_client(laptop, me, client_id, custom={"visit": visit})
    assert len(push._pending(laptop, 20)) == 6


def _on_server(rig: Rig) -> tuple[list[str], list[str], int]:
    with rig.server["admin"].reader() as uow:
        s = uow.session
        notes = sorted(s.scalars(select(Note.body)))
        values = list(s.scalars(select(CustomValue.value)))
        applied = s.scalar(select(func.count()).select_from(SyncApplied))
    return notes, values, int(applied or 0)


def test_a_batch_looks_each_user_and_custom_field_up_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each action looked the note's author and the value's field up again
    (one round trip each); a batch now once. Fails on the code before
    (three lookups of each)."""
    monkeypatch.setattr(apply_batch, "MAX_SECONDS", 600.0)  # one batch, however loaded
    _week(rig)
    sent = _statements(rig.server["anna"])

    result = push.push(rig.laptop["anna"], rig.server["anna"])

    assert (result.pushed, result.refusals) == (6, ())
    by_uid = [s for s in sent if s.startswith("SELECT users.id FROM users WHERE users.uid")]
    assert len(by_uid) == 1
    field = [s for s in sent if "FROM custom_fields WHERE custom_fields.uid" in s]
    assert len(field) == 1
    kinds = [s for s in sent if s.startswith("SELECT custom_fields.entity_kind FROM")]
    assert len(kinds) <= 1
    assert len([s for s in sent if s.startswith("INSERT INTO sync_applied")]) == 1
    notes, values, applied = _on_server(rig)
    assert notes == sorted(NOTES)
    assert values == [VISITS[-1]]
    assert applied == 6
    sync(rig.laptop["anna"], rig.server["anna"])
    sync(rig.laptop["head"], rig.server["head"])
    assert_converged(rig)


def test_an_action_applied_meanwhile_by_another_sync_is_already_applied(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another sync of this laptop commits the second note's action while
    this push's batch applies it: the batch meets its ``sync_applied`` row
    (now at the commit, before at the action) and that action is answered
    "already applied", its note left to the other sync, as before."""
    monkeypatch.setattr(apply_batch, "MAX_SECONDS", 600.0)
    _week(rig)
    op_uid, rows = push._pending(rig.laptop["anna"], 20)[2]  # the second note
    assert rows[0].kind == "note"
    real = apply_writes.Op.run
    done: list[str] = []

    def other_sync(op: apply_writes.Op, row: Any) -> None:
        if not done and row.uid == rows[0].uid:
            done.append(row.uid)
            anna = rig.actor("anna").id
            with rig.server["admin"].uow(rig.actor("admin").id) as uow:
                uow.session.add(
                    SyncApplied(op_uid=op_uid, user_id=anna, applied_at=utcnow(), outcome="applied")
                )
                uow.commit()
        real(op, row)

    monkeypatch.setattr(apply_writes.Op, "run", other_sync)

    result = push.push(rig.laptop["anna"], rig.server["anna"])

    assert done
    assert not result.refusals
    notes, values, applied = _on_server(rig)
    assert notes == sorted(n for n in NOTES if n != NOTES[1])
    assert values == [VISITS[-1]]
    assert applied == 6
    with rig.server["admin"].reader() as uow:
        assert set(uow.session.scalars(select(SyncApplied.outcome))) == {"applied"}


def test_a_client_handed_over_is_looked_up_again_after_the_batch_forgets_it(rig: Rig) -> None:
    """The batch's translators share the clients they found, until
    ``forget_cards``: then a client handed to Boris meanwhile is not found
    for Anna (row-level security), as one action's translator found it."""
    anna = rig.server["anna"]
    with anna.uow(rig.actor("anna").id) as uow:
        reference = tables.Reference()
        first = tables.Translator(uow.session, reference).local_id("client", rig.client_uid)
        assert first is not None
        sent = _statements(anna)
        edit_cases.edit_client(
            rig.server["admin"], rig.actor("admin"), first, owner=rig.actor("boris").id
        )
        # Still remembered for the batch (no query): the caller forgets it
        # around any row that could hand a card over (cards_may_change).
        assert tables.Translator(uow.session, reference).local_id("client", rig.client_uid) == first
        assert not [s for s in sent if "FROM clients" in s]
        reference.forget_cards()
        assert tables.Translator(uow.session, reference).local_id("client", rig.client_uid) is None
        assert tables.Translator(uow.session).local_id("client", rig.client_uid) is None


@pytest.mark.parametrize(
    ("kind", "field", "forgets"),
    [
        ("client", "address", True),  # its owner is edited the same way
        ("client", CREATED, False),
        ("lead", "owner_id", True),
        ("note", TOMBSTONE, True),
        ("note", "body", False),
        ("contact", CREATED, False),
        ("party_share", CREATED, True),  # not a record kind: shares, deputies, links
        ("note_mention", CREATED, True),
    ],
)
def test_the_rows_after_which_a_batch_forgets_its_clients(
    kind: str, field: str, forgets: bool
) -> None:
    row = Pushed(1, kind, "u-1", field, None, None, "0")
    assert apply_batch.cards_may_change(row) is forgets
