"""Sharing a client or lead with a colleague (#19 item 2).

The card's owner (or whoever sees the owner's records: a deputy, a head,
an administrator) lets one colleague see the card and everything on it as
if it were their own. The ``party_shares`` row is what a team database's
policies read (``tp_shared``) and what ``access.check`` reads on either
backend. Each share and unshare is a line of the card's history
(``shared_with``), written in the same unit of work. On a laptop replica
the share is logged too and pushed through this use case on the server
(services/sync/share_kind.py).
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete, select

from models import AuditEntry, Client, Lead, PartyShare, User
from services.core.access import Actor, Permission, PermissionDenied
from services.core.changes import Changes, Outcome
from services.core.errors import ValidationError
from services.core.storage import Database, UnitOfWork
from services.feed import touched
from services.parties import edits
from services.parties import records as parties
from services.sync import share_kind


@dataclasses.dataclass(frozen=True)
class ShareView:
    kind: str  # client | lead
    id: int
    user_id: int
    user_name: str
    shared: bool  # True: shared now; False: no longer shared
    changed: bool  # False: it already was so


def _visible(
    uow: UnitOfWork, actor: Actor, kind: str, ident: int, permission: Permission | None
) -> Client | Lead:
    return parties.visible_card(
        uow,
        actor,
        kind,
        ident,
        permission,
        verb="shared",
        code="parties.shares.only_client_or_lead",
    )


def _card(uow: UnitOfWork, actor: Actor, kind: str, ident: int) -> int:
    """The card's owner, after refusing what the actor may not share: a
    colleague's card is shared by its owner's side, not by whom it is shared with."""
    card = _visible(uow, actor, kind, ident, Permission.CLIENTS_EDIT)
    if not actor.sees_owner(card.owner_id):
        raise PermissionDenied(
            f"{kind.capitalize()} {ident} belongs to another manager: only its owner shares it",
            code="parties.shares.only_owner_shares",
            params={"kind": kind.capitalize(), "record_id": str(ident)},
        )
    return card.owner_id


def set_in(
    uow: UnitOfWork, actor: Actor, kind: str, ident: int, login: str | int, on: bool
) -> ShareView:
    """Share or stop sharing in the caller's unit of work (the use case
    below, and a share pushed from a laptop replica, services/sync/share_kind.py)."""
    owner = _card(uow, actor, kind, ident)
    user_id = login if isinstance(login, int) else edits.user_by_login(uow, login)
    user = uow.session.get(User, user_id)
    if user is None or not user.active:
        # a colleague who left by name (a pushed share names them by id)
        who = repr(user.full_name or user.login) if user is not None else repr(login)
        raise ValidationError(
            f"No active colleague {who}",
            "user",
            code="parties.shares.no_colleague",
            params={"login": who},
        )
    if user_id == owner:
        raise ValidationError(
            "The owner sees the card already", "user", code="parties.shares.owner_already"
        )
    column = PartyShare.client_id if kind == "client" else PartyShare.lead_id
    where = (column == ident, PartyShare.user_id == user_id)
    exists = uow.session.scalar(select(PartyShare.id).where(*where)) is not None
    changed = exists != on
    if changed:
        if on:
            party = {"client_id": ident} if kind == "client" else {"lead_id": ident}
            uow.session.add(PartyShare(user_id=user_id, **party))
        else:
            uow.session.execute(delete(PartyShare).where(*where))
        share_kind.record_share(uow.session, kind, ident, user_id, on)  # a replica pushes it
        uow.session.add(
            AuditEntry(
                user_id=actor.id,
                entity_kind=kind,
                entity_id=ident,
                field="shared_with",
                old=None if on else user.full_name,
                new=user.full_name if on else None,
                **({"client_id": ident} if kind == "client" else {"lead_id": ident}),
            )
        )
        uow.session.flush()
    return ShareView(kind, ident, user_id, user.full_name, on, changed)


def shared_with(uow: UnitOfWork, actor: Actor, kind: str, record_id: int) -> list[ShareView]:
    """The colleagues a client or lead the actor sees is shared with, by
    name: what the card's Share dialog lists (a colleague it is shared with
    sees the list too, as they see the card's history)."""
    _visible(uow, actor, kind, record_id, None)
    column = PartyShare.client_id if kind == "client" else PartyShare.lead_id
    rows = uow.session.execute(
        select(User.id, User.full_name)
        .join(PartyShare, PartyShare.user_id == User.id)
        .where(column == record_id)
        .order_by(User.full_name, User.id)
    ).all()
    return [ShareView(kind, record_id, uid, name, True, False) for uid, name in rows]


def set_shared(
    db: Database, actor: Actor, kind: str, record_id: int, login: str | int, *, shared: bool
) -> Outcome[ShareView]:
    """Share (``shared=True``) or stop sharing a client or lead with the
    colleague ``login`` (a login or a user id)."""
    done = touched.in_unit(
        db, actor, lambda uow: set_in(uow, actor, kind, record_id, login, shared)
    )
    return touched.plus(
        done,
        Changes.of(
            updated={kind: [record_id]}, cards=[(kind, record_id)] if done.value.changed else ()
        ),
    )
