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

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import Contact, Interaction, Note, User, interaction_contacts, note_mentions
from models.sync import SyncLog, SyncTombstone
from services.core.access import Actor
from services.core.storage import Database
from services.interactions import actions
from services.interactions import use_cases as ix
from services.parties import use_cases as parties
from services.sync import apply, clock, log
from services.sync.apply_rows import Pushed
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, make_rig, snapshot
from tests.integration.team_rls_helpers import make_team

pytestmark = pytest.mark.postgres

IVAN = "Иван Петров"  # on the client from the start (the rig)
MARIA = "Мария Соколова"
OLEG = "Олег Ким"


@pytest.fixture
def rig(pg_admin_url: str, pg_template: str, tmp_path: Path) -> Iterator[Rig]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    made = make_rig(tdb, tmp_path)
    yield made
    made.dispose()
    tdb.dispose()


def _db(rig: Rig, who: str) -> Database:
    return rig.laptop.get(who) or rig.server[who]


def _actor(rig: Rig, who: str) -> Actor:
    return rig.local_actor(who) if who in rig.laptop else rig.actor(who)


def _contact_id(db: Database, name: str) -> int:
    with db.reader() as uow:
        found = uow.session.scalar(select(Contact.id).where(Contact.full_name == name))
    assert found is not None, name
    return found


def _add_contact(rig: Rig, who: str, name: str) -> None:
    client_id = rig.local_id(who, "client", rig.client_uid)
    parties.add_contact(_db(rig, who), _actor(rig, who), name, client_id=client_id)


def _log_call(rig: Rig, who: str, names: list[str], subject: str = "Звонок по договору") -> str:
    db = _db(rig, who)
    spec = actions.NewInteraction(
        type="call",
        client_id=rig.local_id(who, "client", rig.client_uid),
        contact_ids=tuple(_contact_id(db, n) for n in names),
        subject=subject,
    )
    made = ix.log_interaction(db, _actor(rig, who), spec)
    return made.value.uid


def _set_contacts(rig: Rig, who: str, uid: str, names: list[str]) -> None:
    db = _db(rig, who)
    actor = _actor(rig, who)
    local = rig.local_id(who, "interaction", uid)
    with db.reader() as uow:
        view = actions.get(uow, actor, local)
    ix.save_changes(
        db,
        actor,
        view,
        new_time=None,
        zone=view.start_tz,
        contacts=[_contact_id(db, n) for n in names],
    )


def _persons(db: Database, uid: str) -> set[str]:
    """The contact persons of the interaction ``uid`` in this database, by name."""
    ic = interaction_contacts.c
    with db.reader() as uow:
        return set(
            uow.session.scalars(
                select(Contact.full_name)
                .join(interaction_contacts, ic.contact_id == Contact.id)
                .join(Interaction, Interaction.id == ic.interaction_id)
                .where(Interaction.uid == uid)
            )
        )


def _sync_all(rig: Rig) -> None:
    for who in rig.laptop:
        report = sync(rig.laptop[who], rig.server[who])
        assert not report.refused, report.refused
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])


def _assert_converged(rig: Rig) -> None:
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


def test_a_call_logged_offline_with_two_contact_persons_reaches_the_server_and_back(
    rig: Rig,
) -> None:
    _add_contact(rig, "anna", MARIA)
    uid = _log_call(rig, "anna", [IVAN, MARIA])

    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused
    assert _persons(rig.server["admin"], uid) == {IVAN, MARIA}
    sync(rig.laptop["head"], rig.server["head"])
    assert _persons(rig.laptop["head"], uid) == {IVAN, MARIA}

    # Removing one offline removes it on the server and on the other laptop.
    _set_contacts(rig, "anna", uid, [MARIA])
    sync(rig.laptop["anna"], rig.server["anna"])
    assert _persons(rig.server["admin"], uid) == {MARIA}
    sync(rig.laptop["head"], rig.server["head"])
    assert _persons(rig.laptop["head"], uid) == {MARIA}
    _assert_converged(rig)


def test_a_contact_person_added_on_the_server_comes_down_and_a_readded_one_clears_its_removal(
    rig: Rig,
) -> None:
    uid = _log_call(rig, "anna", [IVAN])
    _sync_all(rig)
    _add_contact(rig, "admin", OLEG)
    _set_contacts(rig, "admin", uid, [IVAN, OLEG])
    sync(rig.laptop["head"], rig.server["head"])
    assert _persons(rig.laptop["head"], uid) == {IVAN, OLEG}

    # Gleb removes Ivan offline and puts him back: one removal, one re-creation,
    # and no removal is left behind on either side.
    _set_contacts(rig, "head", uid, [OLEG])
    _set_contacts(rig, "head", uid, [IVAN, OLEG])
    _sync_all(rig)
    assert _persons(rig.server["admin"], uid) == {IVAN, OLEG}
    for db in (rig.server["admin"], rig.laptop["head"], rig.laptop["anna"]):
        with db.reader() as uow:
            kept = uow.session.scalars(
                select(SyncTombstone.uid).where(SyncTombstone.kind == "interaction_contact")
            ).all()
        assert [u for u in kept if u.startswith(uid)] == []
    _assert_converged(rig)


def test_both_sides_changing_the_contact_persons_converge(rig: Rig) -> None:
    _add_contact(rig, "admin", MARIA)
    _add_contact(rig, "admin", OLEG)
    uid = _log_call(rig, "admin", [IVAN, MARIA])
    _sync_all(rig)

    _set_contacts(rig, "anna", uid, [IVAN, MARIA, OLEG])  # Anna adds Oleg offline
    _set_contacts(rig, "admin", uid, [MARIA])  # Alla removes Ivan on the server
    _set_contacts(rig, "head", uid, [IVAN])  # Gleb removes Maria offline

    _sync_all(rig)

    assert _persons(rig.server["admin"], uid) == {OLEG}
    assert _persons(rig.laptop["anna"], uid) == {OLEG}
    assert _persons(rig.laptop["head"], uid) == {OLEG}
    _assert_converged(rig)


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


def _move_to_boris(rig: Rig, name: str) -> None:
    """The contact person moves to a client of Boris's department, which
    Anna does not see."""
    with rig.server["boris"].reader() as uow:
        boris = uow.session.scalar(text("SELECT tp_me()"))
    theirs = parties.add_client(
        rig.server["admin"], rig.actor("admin"), "АО «Северный ветер»", owner_id=boris
    ).value
    with rig.server["admin"].uow() as uow:
        uow.session.execute(
            text("UPDATE contacts SET client_id = :c WHERE full_name = :n"),
            {"c": theirs.id, "n": name},
        )
        uow.commit()


def test_a_contact_person_the_user_may_not_see_on_the_server_refuses_the_whole_call(
    rig: Rig,
) -> None:
    _add_contact(rig, "anna", MARIA)
    sync(rig.laptop["anna"], rig.server["anna"])
    uid = _log_call(rig, "anna", [IVAN, MARIA], subject="Встреча в офисе")
    _move_to_boris(rig, MARIA)

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
    _move_to_boris(rig, MARIA)
    _set_contacts(rig, "anna", uid, [IVAN, MARIA])

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert refusal.kind == "interaction_contact"
    assert refusal.label == "Сверка актов"  # named by its call
    assert _persons(rig.server["admin"], uid) == {IVAN}
    assert _persons(rig.laptop["anna"], uid) == {IVAN}


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
    _sync_all(rig)
    for who in rig.laptop:
        assert _mentioned(rig.laptop[who], offline) == {head}, who
        assert _mentioned(rig.laptop[who], online) == {anna}, who
    _assert_converged(rig)


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
    assert _persons(rig.server["admin"], call.uid) == {OLEG}
