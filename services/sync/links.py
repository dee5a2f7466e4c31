"""Links between two records on a replica and on the server (issue #20).

An interaction's contact persons (``interaction_contacts``) and a note's
mentions are rows that only join two records: no uid, no fields. They sync
as kinds of their own (``tables.LINKS``) named ``"<owner uid>:<other uid>"``
(``"<interaction uid>:<contact uid>"``), with two events only: created
(``*created``, the two uids as its value) and removed (``*tombstone``).

Merge: a link is there or not. A creation loses to a removal with a newer
clock (the tombstone's); a removal removes the link whatever its age (a
link carries no clock of its own: re-adding a link someone removed is a new
creation, newer than that removal). A re-added link clears its tombstone on
both sides, so a pull never meets a stale removal after it. Pulled links
are applied in feed order (``sync_seq``), so a removal and a re-creation in
one batch end as the server ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from models.sync import SyncTombstone
from services.sync import tables
from services.sync.tables import LinkKind, Translator

SEPARATOR = ":"


def link_of(kind: str) -> LinkKind:
    try:
        return tables.LINKS[kind]
    except KeyError:
        raise LookupError(f"not a synced link: {kind[:40]!r}") from None


def split(uid: str) -> tuple[str, str]:
    owner, _, other = uid.partition(SEPARATOR)
    return owner, other


def uid_of(tr: Translator, link: LinkKind, owner_id: int, other_id: int) -> str | None:
    """The link's uid; None when either record is not here (or not visible)."""
    owner = tr.uid(link.owner_kind, owner_id)
    other = tr.uid(link.other_kind, other_id)
    if owner is None or other is None:
        return None
    return f"{owner}{SEPARATOR}{other}"


def value_of(link: LinkKind, uid: str) -> dict[str, str]:
    """A created link's logged value: the two records by uid."""
    owner, other = split(uid)
    return {link.owner: owner, link.other: other}


def local_pair(tr: Translator, link: LinkKind, uid: str) -> tuple[int | None, int | None]:
    owner, other = split(uid)
    return tr.local_id(link.owner_kind, owner), tr.local_id(link.other_kind, other)


def exists(session: Session, link: LinkKind, owner_id: int, other_id: int) -> bool:
    c = link.table.c
    found = session.execute(
        select(c[link.owner]).where(c[link.owner] == owner_id, c[link.other] == other_id)
    ).first()
    return found is not None


def add(session: Session, link: LinkKind, owner_id: int, other_id: int) -> bool:
    """Insert the link unless it is there; True when it was inserted."""
    if exists(session, link, owner_id, other_id):
        return False
    session.execute(insert(link.table).values({link.owner: owner_id, link.other: other_id}))
    return True


def remove(session: Session, link: LinkKind, owner_id: int, other_id: int) -> bool:
    c = link.table.c
    result = session.execute(
        delete(link.table).where(c[link.owner] == owner_id, c[link.other] == other_id)
    )
    return bool(getattr(result, "rowcount", 0))


def clear_tombstones(session: Session, kind: str, uids: Sequence[str]) -> None:
    for start in range(0, len(uids), 500):
        session.execute(
            delete(SyncTombstone).where(
                SyncTombstone.kind == kind, SyncTombstone.uid.in_(uids[start : start + 500])
            )
        )


def owner_record(tr: Translator, kind: str, uid: str) -> Any | None:
    """The record a link belongs to (its label names a refused link)."""
    link = link_of(kind)
    return tables.find(tr, link.owner_kind, split(uid)[0])


def pairs_uids(tr: Translator, link: LinkKind, pairs: Iterable[tuple[int, int]]) -> list[str]:
    out = []
    for owner_id, other_id in pairs:
        uid = uid_of(tr, link, owner_id, other_id)
        if uid is not None:
            out.append(uid)
    return out
