"""A note shown, edited and removed (SPEC B3); ``notes.py`` adds them.

A note is its author's words: its author edits and removes it, or an
administrator (as a template or a scenario, services/templates/store.py),
each only when they see the note's card. An edit re-reads the ``@login``
mentions: new ones are added to ``note_mentions`` (the colleague's agenda
shows the note), dropped ones removed, an unknown login refuses the whole
edit. The field audit records the edit and the removal (the old text). An
edit names the ``row_version`` it started from, and a save over a
colleague's save made since is refused with both texts
(``parties.conflicts.guard``). A removal is a hard delete, its mentions with
it: on a team database the table's trigger writes the tombstone a replica
pulls; a replica logs a ``*tombstone`` to push (docs/offline-sync.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import delete, insert, select

from models import Note, User, folding, note_mentions
from services.core import access
from services.core.access import Actor, Permission, PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork
from services.interactions import notes
from services.interactions.placed import OnCards
from services.parties import conflicts
from services.sync.log_links import record_links


@dataclasses.dataclass(frozen=True)
class NoteView(OnCards):
    id: int
    uid: str
    body: str
    author_id: int
    author_name: str
    created_at: dt.datetime
    mentions: tuple[str, ...]  # the logins it mentions, sorted
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    row_version: int


def visible_note(uow: UnitOfWork, actor: Actor, note_id: int) -> Note:
    access.check(uow, actor, "note", note_id)
    note = uow.session.get(Note, note_id)
    if note is None:
        raise NotFoundError("Note", note_id)
    return note


def _mentioned(uow: UnitOfWork, note_id: int) -> dict[str, int]:
    return {
        row.login: row.user_id
        for row in uow.session.execute(
            select(User.login, note_mentions.c.user_id)
            .join(User, User.id == note_mentions.c.user_id)
            .where(note_mentions.c.note_id == note_id)
        )
    }


def view(uow: UnitOfWork, note: Note) -> NoteView:
    user = uow.session.execute(
        select(User.full_name, User.login).where(User.id == note.author_id)
    ).one()
    return NoteView(
        id=note.id,
        uid=note.uid,
        body=note.body,
        author_id=note.author_id,
        author_name=user.full_name or user.login,
        created_at=note.created_at,
        mentions=tuple(sorted(_mentioned(uow, note.id))),
        client_id=note.client_id,
        lead_id=note.lead_id,
        deal_id=note.deal_id,
        contact_id=note.contact_id,
        row_version=note.row_version,
    )


def get(uow: UnitOfWork, actor: Actor, note_id: int) -> NoteView:
    return view(uow, visible_note(uow, actor, note_id))


def may_change(actor: Actor, author_id: int) -> bool:
    """Whether ``actor`` may edit or remove a note of ``author_id`` on a card
    they see: the window offers Edit and Remove by it, the use cases below
    and the team server's apply of a laptop's push refuse by it."""
    return actor.can(Permission.INTERACTIONS) and (author_id == actor.id or actor.can_admin())


def check_author(actor: Actor, note_id: int, author_id: int) -> None:
    """Refuse a colleague's note (its card seen: ``access.check`` comes first)."""
    actor.require(Permission.INTERACTIONS)
    if not may_change(actor, author_id):
        raise PermissionDenied(
            f"Note {note_id} is a colleague's; its author or an administrator may change it",
            code="interactions.note_edits.someone_elses",
            params={"note_id": str(note_id)},
        )


def _authored(uow: UnitOfWork, actor: Actor, note_id: int) -> Note:
    actor.require(Permission.INTERACTIONS)
    note = visible_note(uow, actor, note_id)
    check_author(actor, note.id, note.author_id)
    return note


def edit_note(
    uow: UnitOfWork,
    actor: Actor,
    note_id: int,
    body: str,
    *,
    expected_version: int | None = None,
) -> NoteView:
    """The note's new text; its mentions follow the text."""
    note = _authored(uow, actor, note_id)
    # every value checked (and read) before any is set: a read would flush
    text = notes.body_of(body)
    wanted = notes.mentioned_users(uow, text)
    had = _mentioned(uow, note.id)
    note.body, note.search_text = text, folding.fold(text)
    conflicts.guard(uow, "note", note, expected_version)
    uow.session.flush()
    added = [u for login, u in wanted.items() if login not in had]
    removed = [u for login, u in had.items() if login not in wanted]
    if removed:
        uow.session.execute(
            delete(note_mentions).where(
                note_mentions.c.note_id == note.id, note_mentions.c.user_id.in_(removed)
            )
        )
    if added:
        uow.session.execute(
            insert(note_mentions), [{"note_id": note.id, "user_id": u} for u in added]
        )
    record_links(
        uow.session,
        "note_mention",
        [(note.id, u) for u in added],
        [(note.id, u) for u in removed],
    )
    return view(uow, note)


def remove_note(
    uow: UnitOfWork, actor: Actor, note_id: int, expected_version: int | None = None
) -> NoteView:
    """Delete it for good with its mentions (the history keeps its text,
    who and when); returns the note as it was."""
    note = _authored(uow, actor, note_id)
    conflicts.guard(uow, "note", note, expected_version)
    gone = view(uow, note)
    # its mentions go by the foreign key's cascade (on a team database their
    # own tombstones are not written: the note's covers them, migration 0034)
    uow.session.delete(note)
    uow.session.flush()
    return gone


def restore_removed(uow: UnitOfWork, actor: Actor, gone: NoteView) -> NoteView:
    """The Undo of a removal: the same text on its card again, its
    mentions with it (a new record: the removed one's tombstone stays)."""
    kind, object_id = gone.card
    return get(uow, actor, notes.add_note(uow, actor, kind, object_id, gone.body))
