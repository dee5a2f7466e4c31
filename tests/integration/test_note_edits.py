"""A note is edited and removed by its author or an administrator, with its
history; its @mentions follow the text (the colleague's agenda too); hostile
input and a stale second window change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from models import AuditEntry, Note, Role, User, note_mentions
from services.core import bootstrap
from services.core.access import MANAGER_PERMISSIONS, Actor, Permission, PermissionDenied
from services.core.errors import EditConflict, NotFoundError, ValidationError
from services.core.storage import Database
from services.interactions import agenda, note_edits
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.conftest import Team


def _anna_note(
    db: Database, team: Team, body: str = "Позвонить Ёжикову, @boris"
) -> tuple[int, int]:
    """Anna's client with a note of hers on it: (client id, note id)."""
    with db.uow(team.anna.id) as uow:
        cid = parties.add_client(uow, team.anna, "ООО «Ёлка»").id
        uow.commit()
    return cid, interactions.add_note(db, team.anna, "client", cid, body).value


def _row(db: Database, nid: int) -> tuple[str, int] | None:
    with db.reader() as uow:
        row = uow.session.get(Note, nid)
        return None if row is None else (row.body, row.row_version)


def _mentioned(db: Database, nid: int) -> set[int]:
    with db.reader() as uow:
        return set(
            uow.session.scalars(
                select(note_mentions.c.user_id).where(note_mentions.c.note_id == nid)
            )
        )


def _history(db: Database, nid: int) -> list[tuple[str, str | None, str | None, int | None]]:
    with db.reader() as uow:
        rows = uow.session.execute(
            select(AuditEntry.field, AuditEntry.old, AuditEntry.new, AuditEntry.user_id)
            .where(AuditEntry.entity_kind == "note", AuditEntry.entity_id == nid)
            .order_by(AuditEntry.id)
        )
        return [(r.field, r.old, r.new, r.user_id) for r in rows]


def _mention_ids(db: Database, team: Team, owner: Actor) -> list[int]:
    """The notes in the agenda's mentions of ``owner`` (as the administrator
    sees it: a colleague mentioned on a card he does not see is not shown it)."""
    with db.reader() as uow:
        now = dt.datetime.now(dt.UTC)
        seen = agenda.agenda(uow, team.admin, now, zone_name="UTC", owner_id=owner.id)
        return [m.note_id for m in seen.mentions]


def test_an_edit_changes_the_text_and_the_mentions_follow_it(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    cid, nid = _anna_note(db, team)
    assert _mention_ids(db, team, team.boris) == [nid]
    made = interactions.edit_note(
        db, team.anna, nid, "  Отправить КП «Ёлке»,\nспросить @root  ", expected_version=1
    )
    view = made.value
    assert view.body == "Отправить КП «Ёлке»,\nспросить @root"
    assert view.mentions == ("root",)
    assert view.row_version == 2
    assert view.author_name == "Анна Смирнова"
    assert made.changes.touches("note", [nid])
    assert ("client", cid) in made.changes.cards
    assert _mentioned(db, nid) == {team.admin.id}
    assert _mention_ids(db, team, team.boris) == []
    assert _mention_ids(db, team, team.admin) == [nid]
    assert _history(db, nid)[-1] == (
        "body",
        "Позвонить Ёжикову, @boris",
        "Отправить КП «Ёлке»,\nспросить @root",
        team.anna.id,
    )
    # the text is searched by its new words (the folded column follows)
    with db.reader() as uow:
        folded = uow.session.scalar(select(Note.search_text).where(Note.id == nid))
    assert folded is not None
    assert "елке" in folded
    assert "ежиков" not in folded


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("   ", "must not be empty"),
        ("Я" * 20_001, "longer than 20000 characters (20001)"),
        ("Звонок\u202eтайный", "control character (U+202E)"),
        ("Звонок\x07", "control character (U+0007)"),
        ("Звонок\x1b[31m", "control character (U+001B)"),
        ("Спросить @nobody и @boris", "No colleague with login @nobody"),
        ("Спросить @gone", "No colleague with login @gone"),
    ],
)
def test_hostile_input_is_refused_clearly_and_changes_nothing(
    sqlite_db: Database, sqlite_team: Team, body: str, words: str
) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, nid = _anna_note(db, team)
    before = (_row(db, nid), _mentioned(db, nid), _history(db, nid))
    with pytest.raises(ValidationError, match=re.escape(words)):
        interactions.edit_note(db, team.anna, nid, body)
    assert (_row(db, nid), _mentioned(db, nid), _history(db, nid)) == before
    # a new note is checked the same way
    with pytest.raises(ValidationError, match=re.escape(words)):
        interactions.add_note(db, team.anna, "client", _cid, body)


def _head(db: Database, department: str) -> Actor:
    with db.uow() as uow:
        role = Role(
            name="Head of department",
            permissions=[*MANAGER_PERMISSIONS, Permission.CLIENTS_VIEW_DEPARTMENT.value],
        )
        uow.session.add(role)
        uow.session.flush()
        uow.session.add(
            User(login="gleb", full_name="Глеб Начальников", role_id=role.id, department="Север")
        )
        uow.session.execute(update(User).where(User.login == "anna").values(department=department))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, "gleb")


def test_only_the_author_or_an_administrator_changes_a_note(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, nid = _anna_note(db, team)
    # Boris is mentioned, but the card is Anna's: he does not see the note
    for act in (
        lambda: interactions.edit_note(db, team.boris, nid, "Чужое"),
        lambda: interactions.remove_note(db, team.boris, nid),
    ):
        with pytest.raises(PermissionDenied, match="belongs to another manager"):
            act()
    # her head sees it, but the words are hers
    gleb = _head(db, "Север")
    with db.reader() as uow:
        assert note_edits.get(uow, gleb, nid).body == "Позвонить Ёжикову, @boris"
    for act in (
        lambda: interactions.edit_note(db, gleb, nid, "Чужое"),
        lambda: interactions.remove_note(db, gleb, nid),
    ):
        with pytest.raises(PermissionDenied, match="its author or an administrator"):
            act()
    assert _row(db, nid) == ("Позвонить Ёжикову, @boris", 1)
    # the administrator may
    view = interactions.edit_note(db, team.admin, nid, "Исправлено администратором").value
    assert (view.body, view.author_id, view.mentions) == (
        "Исправлено администратором",
        team.anna.id,
        (),
    )
    assert _history(db, nid)[-1][::3] == ("body", team.admin.id)


def test_a_stale_edit_from_a_second_window_is_refused_with_both_texts(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, nid = _anna_note(db, team)
    interactions.edit_note(db, team.admin, nid, "Текст админа", expected_version=1)
    with pytest.raises(EditConflict) as caught:
        interactions.edit_note(db, team.anna, nid, "Текст Анны @root", expected_version=1)
    [field] = caught.value.fields
    assert (field.field, field.yours, field.theirs) == ("body", "Текст Анны @root", "Текст админа")
    assert caught.value.current_version == 2
    assert _row(db, nid) == ("Текст админа", 2)
    assert _mentioned(db, nid) == set()
    with pytest.raises(EditConflict):
        interactions.remove_note(db, team.anna, nid, expected_version=1)
    interactions.edit_note(db, team.anna, nid, "Текст Анны", expected_version=2)
    assert _row(db, nid) == ("Текст Анны", 3)


def test_a_removed_note_is_gone_with_its_mentions_and_undo_brings_it_back(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    cid, nid = _anna_note(db, team, "Удалить меня, @boris")
    made = interactions.remove_note(db, team.anna, nid)
    gone = made.value
    assert (gone.body, gone.mentions) == ("Удалить меня, @boris", ("boris",))
    assert made.changes.removed == {"note": frozenset({nid})}
    assert ("client", cid) in made.changes.cards
    assert _row(db, nid) is None
    assert _mentioned(db, nid) == set()
    assert _mention_ids(db, team, team.boris) == []
    assert _history(db, nid)[-1] == ("removed", "Удалить меня, @boris", None, team.anna.id)
    with pytest.raises(NotFoundError):
        interactions.remove_note(db, team.anna, nid)
    with db.reader() as uow, pytest.raises(NotFoundError):
        note_edits.get(uow, team.anna, nid)
    back = interactions.undo_remove_note(db, team.anna, gone)
    assert back.value.uid != gone.uid
    assert (back.value.body, back.value.mentions, back.value.client_id) == (
        "Удалить меня, @boris",
        ("boris",),
        cid,
    )
    assert back.changes.touches("note", [back.value.id])
    assert _mention_ids(db, team, team.boris) == [back.value.id]


def test_a_note_on_a_deal_is_edited_from_the_deals_side(db: Database, team: Team) -> None:
    """On SQLite and PostgreSQL alike."""
    from services.parties import deals

    with db.uow(team.anna.id) as uow:
        cid = parties.add_client(uow, team.anna, "ООО «Ёлка»").id
        deal = deals.add_deal(uow, team.anna, "Поставка ёлок", client_id=cid).id
        uow.commit()
    nid = interactions.add_note(db, team.anna, "deal", deal, "Счёт на ёлки @boris").value
    made = interactions.edit_note(db, team.anna, nid, "Счёт на ёлки выставлен")
    assert {("deal", deal), ("client", cid)} <= made.changes.cards
    assert made.value.card == ("deal", deal)
    gone = interactions.remove_note(db, team.anna, nid).value
    assert gone.body == "Счёт на ёлки выставлен"
    assert _row(db, nid) is None
