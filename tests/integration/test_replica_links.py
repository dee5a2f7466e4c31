"""An interaction's contact persons and a note's mentions sync both ways (#20).

Real PostgreSQL with a login per colleague, two SQLite laptop replicas
(tests/integration/replica_rig.py), everything through the use cases: a
call logged offline arrives on the server with its contact persons, a
change of them on either side reaches the other, both sides changing the
set converge, and a contact person the laptop's user may not see on the
server refuses the whole action; a mention written offline reaches the
server and one written there comes down.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models import Contact, Interaction, Note, User, note_mentions
from models.sync import SyncLog, SyncTombstone
from services.core.storage import Database
from services.interactions import actions
from services.interactions import use_cases as ix
from services.parties import use_cases as parties
from services.sync import apply, clock, log
from services.sync.apply_rows import Pushed
from services.sync.use_cases import sync
from tests.integration.replica_rig import (
    IVAN,
    Rig,
    assert_converged,
    contact_id,
    move_contact_to_boris,
    persons,
    sync_all,
)

pytestmark = pytest.mark.postgres

MARIA = "Мария Соколова"
OLEG = "Олег Ким"


def _add_contact(rig: Rig, who: str, name: str) -> None:
    client_id = rig.local_id(who, "client", rig.client_uid)
    parties.add_contact(rig.own_db(who), rig.own_actor(who), name, client_id=client_id)


def _log_call(rig: Rig, who: str, names: list[str], subject: str = "Звонок по договору") -> str:
    db = rig.own_db(who)
    spec = actions.NewInteraction(
        type="call",
        client_id=rig.local_id(who, "client", rig.client_uid),
        contact_ids=tuple(contact_id(db, n) for n in names),
        subject=subject,
    )
    made = ix.log_interaction(db, rig.own_actor(who), spec)
    return made.value.uid


def _set_contacts(rig: Rig, who: str, uid: str, names: list[str]) -> None:
    db = rig.own_db(who)
    actor = rig.own_actor(who)
    local = rig.local_id(who, "interaction", uid)
    with db.reader() as uow:
        view = actions.get(uow, actor, local)
    ix.save_changes(
        db,
        actor,
        view,
        new_time=None,
        zone=view.start_tz,
        contacts=[contact_id(db, n) for n in names],
    )


def test_a_call_logged_offline_with_two_contact_persons_reaches_the_server_and_back(
    rig: Rig,
) -> None:
    _add_contact(rig, "anna", MARIA)
    uid = _log_call(rig, "anna", [IVAN, MARIA])

    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused
    assert persons(rig.server["admin"], uid) == {IVAN, MARIA}
    sync(rig.laptop["head"], rig.server["head"])
    assert persons(rig.laptop["head"], uid) == {IVAN, MARIA}

    # Removing one offline removes it on the server and on the other laptop.
    _set_contacts(rig, "anna", uid, [MARIA])
    sync(rig.laptop["anna"], rig.server["anna"])
    assert persons(rig.server["admin"], uid) == {MARIA}
    sync(rig.laptop["head"], rig.server["head"])
    assert persons(rig.laptop["head"], uid) == {MARIA}
    assert_converged(rig)


def test_a_contact_person_added_on_the_server_comes_down_and_a_readded_one_clears_its_removal(
    rig: Rig,
) -> None:
    uid = _log_call(rig, "anna", [IVAN])
    sync_all(rig)
    _add_contact(rig, "admin", OLEG)
    _set_contacts(rig, "admin", uid, [IVAN, OLEG])
    sync(rig.laptop["head"], rig.server["head"])
    assert persons(rig.laptop["head"], uid) == {IVAN, OLEG}

    # Gleb removes Ivan offline and puts him back: one removal, one re-creation,
    # and no removal is left behind on either side.
    _set_contacts(rig, "head", uid, [OLEG])
    _set_contacts(rig, "head", uid, [IVAN, OLEG])
    sync_all(rig)
    assert persons(rig.server["admin"], uid) == {IVAN, OLEG}
    for db in (rig.server["admin"], rig.laptop["head"], rig.laptop["anna"]):
        with db.reader() as uow:
            kept = uow.session.scalars(
                select(SyncTombstone.uid).where(SyncTombstone.kind == "interaction_contact")
            ).all()
        assert [u for u in kept if u.startswith(uid)] == []
    assert_converged(rig)


def test_both_sides_changing_the_contact_persons_converge(rig: Rig) -> None:
    _add_contact(rig, "admin", MARIA)
    _add_contact(rig, "admin", OLEG)
    uid = _log_call(rig, "admin", [IVAN, MARIA])
    sync_all(rig)

    _set_contacts(rig, "anna", uid, [IVAN, MARIA, OLEG])  # Anna adds Oleg offline
    _set_contacts(rig, "admin", uid, [MARIA])  # Alla removes Ivan on the server
    _set_contacts(rig, "head", uid, [IVAN])  # Gleb removes Maria offline

    sync_all(rig)

    assert persons(rig.server["admin"], uid) == {OLEG}
    assert persons(rig.laptop["anna"], uid) == {OLEG}
    assert persons(rig.laptop["head"], uid) == {OLEG}
    assert_converged(rig)


def test_only_the_changed_contact_persons_are_logged_and_numbered(rig: Rig) -> None:
    _add_contact(rig, "anna", MARIA)
    uid = _log_call(rig, "anna", [IVAN])
    _set_contacts(rig, "anna", uid, [IVAN, MARIA])
    with rig.laptop["anna"].reader() as uow:
        logged = uow.session.execute(
            select(SyncLog.field, SyncLog.uid)
            .where(SyncLog.kind == "interaction_contact")
            .order_by(SyncLog.seq)
        ).all()
    with rig.laptop["anna"].reader() as uow:
        person = dict(uow.session.execute(select(Contact.full_name, Contact.uid)).all())
    # Adding Maria logs Maria only: Ivan, who stays, is not removed and re-made.
    assert logged == [("*created", f"{uid}:{person[IVAN]}"), ("*created", f"{uid}:{person[MARIA]}")]
    sync(rig.laptop["anna"], rig.server["anna"])

    # On the server, keeping Ivan and Maria while adding Oleg numbers only Oleg.
    _add_contact(rig, "admin", OLEG)
    with rig.server["admin"].reader() as uow:
        before = dict(
            uow.session.execute(
                text(
                    "SELECT c.full_name, ic.sync_seq FROM interaction_contacts ic "
                    "JOIN contacts c ON c.id = ic.contact_id"
                )
            ).all()
        )
    _set_contacts(rig, "admin", uid, [IVAN, MARIA, OLEG])
    with rig.server["admin"].reader() as uow:
        after = dict(
            uow.session.execute(
                text(
                    "SELECT c.full_name, ic.sync_seq FROM interaction_contacts ic "
                    "JOIN contacts c ON c.id = ic.contact_id"
                )
            ).all()
        )
        removed = uow.session.scalar(
            select(SyncTombstone.uid).where(SyncTombstone.kind == "interaction_contact")
        )
    assert {k: after[k] for k in before} == before
    assert set(after) == {IVAN, MARIA, OLEG}
    assert removed is None


def test_a_contact_person_the_user_may_not_see_on_the_server_refuses_the_whole_call(
    rig: Rig,
) -> None:
    _add_contact(rig, "anna", MARIA)
    sync(rig.laptop["anna"], rig.server["anna"])
    uid = _log_call(rig, "anna", [IVAN, MARIA], subject="Встреча в офисе")
    move_contact_to_boris(rig, MARIA)

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert refusal.kind == "interaction"
    assert "Встреча в офисе" in refusal.label
    with rig.server["admin"].reader() as uow:
        on_server = uow.session.scalar(select(Interaction.id).where(Interaction.uid == uid))
    assert on_server is None  # nothing of the action was applied
    with rig.laptop["anna"].reader() as uow:
        on_laptop = uow.session.scalar(select(Interaction.id).where(Interaction.uid == uid))
        states = set(uow.session.scalars(select(SyncLog.state).where(SyncLog.uid.startswith(uid))))
    assert on_laptop is None  # put back as the server has it
    assert states == {"refused"}


def test_a_refused_change_of_contact_persons_is_put_back_on_the_laptop(rig: Rig) -> None:
    _add_contact(rig, "anna", MARIA)
    uid = _log_call(rig, "anna", [IVAN], subject="Сверка актов")
    sync(rig.laptop["anna"], rig.server["anna"])
    move_contact_to_boris(rig, MARIA)
    _set_contacts(rig, "anna", uid, [IVAN, MARIA])

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert refusal.kind == "interaction_contact"
    assert refusal.label == "Сверка актов"  # named by its call
    assert persons(rig.server["admin"], uid) == {IVAN}
    assert persons(rig.laptop["anna"], uid) == {IVAN}


def _mentioned(db: Database, body: str) -> set[str]:
    """Logins mentioned by the note with this body, in this database."""
    nm = note_mentions.c
    with db.reader() as uow:
        return set(
            uow.session.scalars(
                select(User.login)
                .join(note_mentions, nm.user_id == User.id)
                .join(Note, Note.id == nm.note_id)
                .where(Note.body == body)
            )
        )


def test_a_mention_written_offline_reaches_the_server_and_a_mention_there_comes_down(
    rig: Rig,
) -> None:
    head, anna = rig.tdb.logins["head"], rig.tdb.logins["anna"]
    offline = f"@{head} посмотрите договор до пятницы"
    client = rig.local_id("anna", "client", rig.client_uid)
    ix.add_note(rig.laptop["anna"], rig.local_actor("anna"), "client", client, offline)
    with rig.laptop["anna"].reader() as uow:
        logged = uow.session.scalars(
            select(SyncLog.field).where(SyncLog.kind == "note_mention")
        ).all()
    assert logged == ["*created"]

    assert not sync(rig.laptop["anna"], rig.server["anna"]).refused

    assert _mentioned(rig.server["admin"], offline) == {head}
    online = f"@{anna} клиент перезвонит в понедельник"
    ix.add_note(
        rig.server["head"],
        rig.actor("head"),
        "client",
        rig.local_id("admin", "client", rig.client_uid),  # the server's id
        online,
    )
    sync_all(rig)
    for who in rig.laptop:
        assert _mentioned(rig.laptop[who], offline) == {head}, who
        assert _mentioned(rig.laptop[who], online) == {anna}, who
    assert_converged(rig)


def test_a_pushed_link_on_a_colleagues_call_is_refused_and_changes_nothing(rig: Rig) -> None:
    """Access walk for the new apply path: Anna pushes a contact person onto
    Boris's call, and the removal of the one it has; both are refused whole."""
    boris = rig.actor("boris")
    theirs = parties.add_client(rig.server["boris"], boris, "ИП Лебедев").value
    person = parties.add_contact(rig.server["boris"], boris, OLEG, client_id=theirs.id).value
    call = ix.log_interaction(
        rig.server["boris"],
        boris,
        actions.NewInteraction(type="call", client_id=theirs.id, contact_ids=(person.id,)),
    ).value
    with rig.server["admin"].reader() as uow:
        ivan = uow.session.scalar(select(Contact.uid).where(Contact.full_name == IVAN))
    hlc = clock.tick(clock.ZERO, log.wall_ms(), "laptop").encode()
    pushed = [
        Pushed(1, "interaction_contact", f"{call.uid}:{ivan}", "*created", None, None, hlc),
        Pushed(2, "interaction_contact", f"{call.uid}:{person.uid}", "*tombstone", None, None, hlc),
    ]
    for n, row in enumerate(pushed):
        result = apply.apply_op(rig.server["anna"], rig.actor("anna"), f"op-{n}", [row])
        assert result.outcome == "refused", row
        assert result.code == "sync.apply.not_found"
    assert persons(rig.server["admin"], call.uid) == {OLEG}
