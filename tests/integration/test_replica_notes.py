"""A note edited (its mentions with it) and removed on a laptop replica
reaches the team server and the other laptop; one removed on the server
leaves the laptops; the same note edited on both sides is a conflict like
any record's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Note, User, note_mentions
from services.interactions import use_cases as interactions
from services.sync.use_cases import conflicts, sync
from tests.integration.replica_rig import Rig, conflict_keys, sync_all

pytestmark = pytest.mark.postgres


def _note(rig: Rig, who: str, uid: str) -> tuple[str, set[str]] | None:
    """The note's text and the logins it mentions, as ``who`` holds them."""
    db = rig.own_db(who)
    with db.reader() as uow:
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


def _anna_note(rig: Rig, body: str) -> tuple[str, int]:
    """A note on Anna's client, written on the server and pulled by both
    laptops: (its uid, its id on Anna's laptop)."""
    client = rig.local_id("admin", "client", rig.client_uid)
    nid = interactions.add_note(rig.server["anna"], rig.actor("anna"), "client", client, body).value
    with rig.server["admin"].reader() as uow:
        uid = uow.session.scalar(select(Note.uid).where(Note.id == nid))
    assert uid is not None
    sync_all(rig)
    return uid, rig.local_id("anna", "note", uid)


def test_a_note_edited_and_removed_on_a_laptop_reaches_everyone(rig: Rig) -> None:
    head, admin = rig.tdb.logins["head"], rig.tdb.logins["admin"]
    uid, local = _anna_note(rig, f"Позвонить Ёжикову, @{head}")
    assert _note(rig, "head", uid) == (f"Позвонить Ёжикову, @{head}", {head})
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    text = f"Отправить КП «Ёлке», @{admin}"
    interactions.edit_note(laptop, me, local, text, expected_version=1)
    sync_all(rig)
    for who in ("admin", "head", "anna"):
        assert _note(rig, who, uid) == (text, {admin}), who

    interactions.remove_note(laptop, me, local)
    sync_all(rig)
    for who in ("admin", "head", "anna"):
        assert _note(rig, who, uid) is None, who
    with rig.server["admin"].reader() as uow:
        assert not uow.session.scalars(select(note_mentions.c.note_id)).all()


def test_a_note_removed_on_the_server_leaves_the_laptops(rig: Rig) -> None:
    head = rig.tdb.logins["head"]
    uid, _local = _anna_note(rig, f"Удалить, @{head}")
    server_id = rig.local_id("admin", "note", uid)
    interactions.remove_note(rig.server["admin"], rig.actor("admin"), server_id)
    sync_all(rig)
    assert _note(rig, "anna", uid) is None
    assert _note(rig, "head", uid) is None


def test_the_same_note_edited_on_both_sides_is_a_conflict(rig: Rig) -> None:
    uid, local = _anna_note(rig, "Исходный текст")
    interactions.edit_note(rig.laptop["anna"], rig.local_actor("anna"), local, "Вариант Анны")
    interactions.edit_note(
        rig.server["admin"],
        rig.actor("admin"),
        rig.local_id("admin", "note", uid),
        "Вариант админа",
    )
    report = sync(rig.laptop["anna"], rig.server["anna"])
    assert not report.refused
    assert ("note", uid, "body") in conflict_keys(rig.laptop["anna"])
    [seen] = [c for c in conflicts(rig.laptop["anna"]) if c.kind == "note"]
    assert {seen.mine, seen.theirs} == {"Вариант Анны", "Вариант админа"}
    sync_all(rig)
    texts = {_note(rig, who, uid)[0] for who in ("anna", "head", "admin")}  # type: ignore[index]
    assert len(texts) == 1
