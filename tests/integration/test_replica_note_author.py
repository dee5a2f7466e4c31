"""The team server refuses a pushed edit or removal of a colleague's note as
the note's use case refuses it (its author or an administrator), whatever
the laptop's copy allowed: a tampered replica (or an old build) cannot
reword, unmention or remove a colleague's words. Refused whole, reported
back as refused, nothing changed on the server, the laptop's copy put back.
Real PostgreSQL under each login, SQLite replicas."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, insert, select

from models import Note, User, folding, note_mentions
from services.core.access import PermissionDenied
from services.core.storage import UnitOfWork
from services.interactions import use_cases as interactions
from services.sync.apply_checks import check_signed
from services.sync.log_links import record_links
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, sync_all

pytestmark = pytest.mark.postgres

AUTHOR_CODE = "interactions.note_edits.someone_elses"
TEXT = "Позвонить Ёжикову в пятницу"


def _server_note(rig: Rig, uid: str) -> tuple[str, set[str]] | None:
    with rig.server["admin"].reader() as uow:
        row = uow.session.scalar(select(Note).where(Note.uid == uid))
        if row is None:
            return None
        logins = set(
            uow.session.scalars(
                select(User.login)
                .join(note_mentions, note_mentions.c.user_id == User.id)
                .where(note_mentions.c.note_id == row.id)
            )
        )
        return row.body, logins


def _annas_note(rig: Rig) -> str:
    """Anna's note on her client, on every copy; its uid."""
    client = rig.local_id("admin", "client", rig.client_uid)
    body = f"{TEXT}, @{rig.tdb.logins['head']}"
    nid = interactions.add_note(rig.server["anna"], rig.actor("anna"), "client", client, body).value
    with rig.server["admin"].reader() as uow:
        uid = uow.session.scalar(select(Note.uid).where(Note.id == nid))
    assert uid is not None
    sync_all(rig)
    return uid


def _tamper(rig: Rig, uid: str, change: Callable[[UnitOfWork, Note], None]) -> None:
    """Gleb's laptop changes Anna's note past the use case (an old build, a
    hand-edited file): he sees her card, but the note is not his."""
    laptop = rig.laptop["head"]
    with laptop.uow(rig.local_actor("head").id) as uow:
        note = uow.session.scalar(select(Note).where(Note.uid == uid))
        assert note is not None
        change(uow, note)
        uow.commit()


def _reword(_uow: UnitOfWork, note: Note) -> None:
    note.body = "Чужими словами"


def _remove(uow: UnitOfWork, note: Note) -> None:
    uow.session.delete(note)


def _unmention(uow: UnitOfWork, note: Note) -> None:
    gone = list(
        uow.session.scalars(
            select(note_mentions.c.user_id).where(note_mentions.c.note_id == note.id)
        )
    )
    uow.session.execute(delete(note_mentions).where(note_mentions.c.note_id == note.id))
    record_links(uow.session, "note_mention", [], [(note.id, u) for u in gone])


def _mention(uow: UnitOfWork, note: Note) -> None:
    mentioned = select(note_mentions.c.user_id).where(note_mentions.c.note_id == note.id)
    other = uow.session.scalar(
        select(User.id).where(User.id != note.author_id, User.id.not_in(mentioned)).limit(1)
    )
    assert other is not None
    uow.session.execute(insert(note_mentions).values(note_id=note.id, user_id=other))
    record_links(uow.session, "note_mention", [(note.id, other)], [])


@pytest.mark.parametrize("change", [_reword, _remove, _unmention, _mention])
def test_a_pushed_change_to_a_colleagues_note_is_refused_and_changes_nothing(
    rig: Rig, change: Callable[[UnitOfWork, Note], None]
) -> None:
    uid = _annas_note(rig)
    before = _server_note(rig, uid)
    assert before is not None
    _tamper(rig, uid, change)

    report = sync(rig.laptop["head"], rig.server["head"])

    [refusal] = report.refused
    assert refusal.code == AUTHOR_CODE, refusal
    assert "its author or an administrator" in refusal.reason
    assert _server_note(rig, uid) == before
    # the laptop holds the server's note again, not the change nobody accepted
    with rig.laptop["head"].reader() as uow:
        assert uow.session.scalar(select(Note.body).where(Note.uid == uid)) == before[0]


def test_the_author_still_edits_and_removes_her_note_from_her_laptop(rig: Rig) -> None:
    uid = _annas_note(rig)
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    local = rig.local_id("anna", "note", uid)
    interactions.edit_note(laptop, me, local, "Исправлено Анной")
    assert not sync(laptop, rig.server["anna"]).refused
    assert _server_note(rig, uid) == ("Исправлено Анной", set())
    interactions.remove_note(laptop, me, local)
    assert not sync(laptop, rig.server["anna"]).refused
    assert _server_note(rig, uid) is None


def _forged_note(rig: Rig, who: str) -> str:
    """``who``'s laptop writes a note on the shared client "by" Anna, past
    the use case (a hand-edited file, an old build); its uid."""
    with rig.laptop[who].uow(rig.local_actor(who).id) as uow:
        anna = uow.session.scalar(select(User.id).where(User.login == rig.tdb.logins["anna"]))
        assert anna is not None
        client = rig.local_id(who, "client", rig.client_uid)
        note = Note(author_id=anna, body=TEXT, search_text=folding.fold(TEXT), client_id=client)
        uow.session.add(note)
        uow.commit()
        return note.uid


def test_a_pushed_note_signed_by_a_colleague_is_refused_and_not_made(rig: Rig) -> None:
    """A created note is its writer's own, as ``add_note`` makes it: the
    server refuses one pushed "by" Anna from Gleb's laptop with a clear
    reason (not the database's bare refusal) and makes nothing; his own
    notes go on. Fails before the check (checked: refused by 0049's trigger
    as the bare sync.apply.database)."""
    uid = _forged_note(rig, "head")
    report = sync(rig.laptop["head"], rig.server["head"])
    [refusal] = report.refused
    assert refusal.code == "sync.apply.note_author", refusal
    assert "signed by its writer" in refusal.reason
    assert _server_note(rig, uid) is None
    laptop, me = rig.laptop["head"], rig.local_actor("head")
    client = rig.local_id("head", "client", rig.client_uid)
    own = interactions.add_note(laptop, me, "client", client, "Своими словами").value
    assert not sync(laptop, rig.server["head"]).refused
    with laptop.reader() as uow:
        own_uid = uow.session.scalar(select(Note.uid).where(Note.id == own))
    assert own_uid is not None
    assert _server_note(rig, own_uid) == ("Своими словами", set())


def test_an_administrators_pushed_note_is_signed_by_the_administrator(rig: Rig) -> None:
    """The administrator's laptop may not push a note in Anna's name either
    (the use case writes none; the trigger would let an administrator):
    the apply's check refuses it whoever pushes."""
    admin = rig.actor("admin")
    with rig.server["admin"].reader() as uow:
        anna = uow.session.scalar(select(User.id).where(User.login == rig.tdb.logins["anna"]))
    with pytest.raises(PermissionDenied) as caught:
        check_signed(admin, "note", {"author_id": anna, "body": TEXT})
    assert caught.value.code == "sync.apply.note_author"
    check_signed(admin, "note", {"author_id": admin.id, "body": TEXT})
    check_signed(admin, "task", {"author_id": anna})  # a task is given to a colleague


def test_a_pushed_change_of_a_notes_author_is_refused_even_by_its_author(rig: Rig) -> None:
    """Anna's laptop hands her own note to Gleb past the use case (none
    changes an author): refused with a clear reason, the server's note
    still hers. Fails on the old code (checked: refused only by 0047's
    trigger, as the bare sync.apply.database)."""
    uid = _annas_note(rig)
    laptop = rig.laptop["anna"]
    with laptop.uow(rig.local_actor("anna").id) as uow:
        head = uow.session.scalar(select(User.id).where(User.login == rig.tdb.logins["head"]))
        note = uow.session.scalar(select(Note).where(Note.uid == uid))
        assert note is not None
        assert head is not None
        note.author_id = head
        uow.commit()
    report = sync(laptop, rig.server["anna"])
    [refusal] = report.refused
    assert refusal.code == "sync.apply.note_resigned", refusal
    with rig.server["admin"].reader() as uow:
        author = uow.session.scalar(select(Note.author_id).where(Note.uid == uid))
    assert author == rig.actor("anna").id
