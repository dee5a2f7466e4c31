"""The server's side of a pushed link (services/sync/links.py): an
interaction's contact person, a note's mention, created or removed.

The checks are those of the use case that writes the link: the role's
permission and ``access.check`` on the record it belongs to (the
interaction, the note), and the link's own rule (a contact person of the
interaction's client or lead, ``interaction_input.check_contacts``; an active
colleague for a mention). The row is written under the user's login, so
row-level security applies as well. A link to a record the server does not
have or the user may not see refuses the whole action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select, update

from models import User
from models.base import utcnow
from models.sync import SyncTombstone
from services.core.access import Actor
from services.core.storage import UnitOfWork
from services.interactions import interaction_input
from services.sync import links
from services.sync.apply_checks import check_authored, check_record
from services.sync.apply_rows import Pushed, Refused
from services.sync.clock import Hlc
from services.sync.log import CREATED, TOMBSTONE
from services.sync.tables import LinkKind, Translator


def _contact_person(uow: UnitOfWork, actor: Actor, owner: Any, other_id: int) -> None:
    interaction_input.check_contacts(uow, actor, [other_id], owner.client_id, owner.lead_id)


def _colleague(uow: UnitOfWork, _actor: Actor, _owner: Any, other_id: int) -> None:
    if not uow.session.scalar(select(User.active).where(User.id == other_id)):
        raise Refused(
            "The mentioned colleague is not active on the server",
            code="sync.apply.missing_reference",
            params={"kind": "note_mention"},
        )


LinkCheck = Callable[[UnitOfWork, Actor, Any, int], None]
RULES: dict[str, LinkCheck] = {
    "interaction_contact": _contact_person,
    "note_mention": _colleague,
}


def _tombstone(uow: UnitOfWork, kind: str, uid: str) -> str | None:
    return uow.session.scalar(
        select(SyncTombstone.hlc).where(SyncTombstone.kind == kind, SyncTombstone.uid == uid)
    )


def _not_found(link: LinkKind) -> Refused:
    what = link.owner_kind.replace("_", " ")
    return Refused(
        f"The {what} is not on the server or not yours to change",
        code="sync.apply.not_found",
        params={"kind": link.owner_kind},
    )


def apply_link(
    uow: UnitOfWork, actor: Actor, tr: Translator, link: LinkKind, row: Pushed, hlc: Hlc
) -> None:
    """Create or remove one pushed link, or refuse (the action rolls back)."""
    if row.field not in (CREATED, TOMBSTONE):
        raise Refused(
            f"The server has no field {row.field!r} on a {link.kind}",
            code="sync.apply.unknown_field",
            params={"field": row.field},
        )
    owner_uid, other_uid = links.split(row.uid)
    owner = links.owner_record(tr, link.kind, row.uid)
    if owner is None:
        if _tombstone(uow, link.owner_kind, owner_uid) is not None:
            return  # the record it belonged to was removed on the server
        raise _not_found(link)
    check_record(uow, actor, link.owner_kind, owner)
    check_authored(actor, link.owner_kind, owner)
    other_id = tr.local_id(link.other_kind, other_uid)
    if row.field == CREATED:
        if other_id is None:
            raise Refused(
                f"The {link.kind.replace('_', ' ')} names a record that is not on the server "
                "or not yours to see",
                code="sync.apply.missing_reference",
                params={"kind": link.kind},
            )
        RULES[link.kind](uow, actor, owner, other_id)
        _create(uow, link, row.uid, owner.id, other_id, hlc)
    else:
        _remove(uow, link, row.uid, owner.id, other_id, hlc)
    uow.session.flush()


def _create(
    uow: UnitOfWork, link: LinkKind, uid: str, owner_id: int, other_id: int, hlc: Hlc
) -> None:
    session = uow.session
    if links.exists(session, link, owner_id, other_id):
        return  # created before (a retried push, or by a colleague)
    dead = _tombstone(uow, link.kind, uid)
    if dead is not None and hlc < Hlc.decode(dead):
        return  # removed on the server after the laptop made it
    links.clear_tombstones(session, link.kind, [uid])
    links.add(session, link, owner_id, other_id)


def _remove(
    uow: UnitOfWork, link: LinkKind, uid: str, owner_id: int, other_id: int | None, hlc: Hlc
) -> None:
    session = uow.session
    gone = other_id is not None and links.remove(session, link, owner_id, other_id)
    dead = _tombstone(uow, link.kind, uid)  # the table's trigger wrote one if it went now
    if dead is None:
        session.execute(
            insert(SyncTombstone).values(
                kind=link.kind, uid=uid, hlc=hlc.encode(), deleted_at=utcnow()
            )
        )
        return
    # Removed when the laptop removed it, not when it said so (an earlier
    # removal seen here keeps its later clock).
    keep = hlc.encode() if gone else max(dead, hlc.encode())
    session.execute(
        update(SyncTombstone)
        .where(SyncTombstone.kind == link.kind, SyncTombstone.uid == uid)
        .values(hlc=keep)
    )
