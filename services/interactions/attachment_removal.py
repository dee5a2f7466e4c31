"""Taking an attachment off a card, and its Undo.

Who may: whoever may add a file to that card (attachments.add: the user
who sees the card the file sits on, its deal or contact person first).
The removal is a hard delete of the row, as a note's or a task's: on a
team database the table's trigger writes the tombstone a laptop pulls, and
a laptop logs a ``*tombstone`` that its next sync pushes
(docs/offline-sync.md). The card's history keeps a line
``attachment_removed`` with the file's name, who and when.

The file's bytes are not deleted here. They are kept once per SHA-256 and
shared by every row with the same content, on this computer
(``attachments/ab/abcd…``) and on a team server (``attachment_blobs``);
on a team database row-level security hides colleagues' rows, so no user
can tell here that "no other row uses the file", and an add of the same
content may be writing its row right now. The files no row names any more
are deleted later by the clean-up job (attachment_cleanup.py), after a
grace period and with the checks that keep a concurrent add whole; it
looks only at files a removal on this computer noted (``note_removed``). The
Undo (the window's status bar) is a new row naming the same file, which
the grace period still keeps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from models import Attachment, AuditEntry
from services.core.access import Actor
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork
from services.interactions.attachment_blobs import relative_path, stored_path
from services.interactions.attachment_cleanup import note_removed
from services.interactions.notes import party_columns
from services.interactions.placed import OnCards

REMOVED = "attachment_removed"  # the card's history lines (the file's name)
RESTORED = "attachment_restored"


@dataclasses.dataclass(frozen=True)
class RemovedAttachment(OnCards):
    """An attachment as it was before its removal (what the Undo restores)."""

    id: int
    uid: str
    filename: str
    mime_type: str
    size: int
    sha256: str
    interaction_id: int | None
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    created_at: dt.datetime


def _view(row: Attachment) -> RemovedAttachment:
    return RemovedAttachment(
        id=row.id,
        uid=row.uid,
        filename=row.filename,
        mime_type=row.mime_type,
        size=row.size,
        sha256=row.sha256,
        interaction_id=row.interaction_id,
        client_id=row.client_id,
        lead_id=row.lead_id,
        deal_id=row.deal_id,
        contact_id=row.contact_id,
        created_at=row.created_at,
    )


def remove(uow: UnitOfWork, actor: Actor, attachment_id: int) -> RemovedAttachment:
    """Delete the row (its file stays for the clean-up job); returns it as it was."""
    row = uow.session.get(Attachment, attachment_id)
    if row is None:  # on a team database a colleague's row is not even seen
        raise NotFoundError("Attachment", attachment_id)
    gone = _view(row)
    kind, object_id = gone.card
    party_columns(uow, actor, kind, object_id)  # refuses a card the actor may not change
    removed_line(uow, actor, row)
    uow.session.delete(row)
    uow.session.flush()
    note_removed(gone.sha256)  # the clean-up looks only at files let go of here
    return gone


def removed_line(uow: UnitOfWork, actor: Actor, row: Attachment) -> None:
    """The card's history line of a removal (here, or a laptop's applied on
    the team server: services/sync/apply_writes.py)."""
    _history(uow, actor, REMOVED, row.filename, row)


def restore_removed(uow: UnitOfWork, actor: Actor, gone: RemovedAttachment) -> int:
    """The Undo: a new row on the same card naming the same file (the
    removed row's tombstone stays), and a history line saying so."""
    from services.mail.attachment_files import renew  # mail parsing: on demand

    kind, object_id = gone.card
    ids = party_columns(uow, actor, kind, object_id)
    renew(stored_path(gone.sha256))  # the clean-up's grace starts again
    row = Attachment(
        **ids,
        interaction_id=gone.interaction_id,
        filename=gone.filename,
        mime_type=gone.mime_type,
        size=gone.size,
        sha256=gone.sha256,
        path=relative_path(gone.sha256),
    )
    uow.session.add(row)
    _history(uow, actor, RESTORED, gone.filename, row)
    uow.session.flush()
    return row.id


def _history(uow: UnitOfWork, actor: Actor, field: str, name: str, row: Attachment) -> None:
    """A line of the client's or lead's history (and of the deal's or
    contact person's feed the file sits on): ``field`` with the name."""
    party, party_id = ("client", row.client_id) if row.client_id else ("lead", row.lead_id)
    uow.session.add(
        AuditEntry(
            user_id=actor.id,
            entity_kind=party,
            entity_id=party_id,
            field=field,
            old=name if field == REMOVED else None,
            new=name if field == RESTORED else None,
            client_id=row.client_id,
            lead_id=row.lead_id,
            deal_id=row.deal_id,
            contact_id=row.contact_id,
        )
    )
