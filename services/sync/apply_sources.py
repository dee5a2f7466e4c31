"""The server's side of a letter or call unlinked or moved by hand on a laptop.

On the laptop ``linking.manual.drop_interaction`` removes the letter's (or
call's) interaction and, for a move, a new one with the same
``(source_kind, source_key)`` is made on the new card, in one action. The
server applies the removal as its own use case would and before the
creation (the log keeps that order), so the unique source is free again:

- only an interaction of a letter or call is removed (any other is
  cancelled, never removed: the use case's own refusal);
- the server's own rows of the letter or call (the user's mailboxes, their
  calls) are marked unlinked by hand, so the server's linking job does not
  put the letter back; the interaction, its contact persons and any
  attachment a colleague added meanwhile go as ``drop_interaction`` takes
  them;
- the new interaction then takes those rows (``source_rows.follow``).

Moved on both sides: the server already holds another interaction for the
source. The later move wins by the clock: a pushed one newer than the
server's is applied over it (the server's interaction removed as above,
when the user may remove it); an older one is refused and the laptop takes
the server's placement at the pull.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from models import Interaction
from models.sync import SyncClock
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.linking import manual, source_rows
from services.sync import clock
from services.sync.apply_rows import Refused
from services.sync.clock import Hlc


def _owner(actor: Actor) -> int | None:
    """Whose rows this login may write once they leave the card (None: all)."""
    return None if actor.can(Permission.CLIENTS_VIEW_ALL) else actor.id


def remove(uow: UnitOfWork, actor: Actor, obj: Interaction) -> None:
    """A pushed removal of an interaction, as unlinking it by hand does here."""
    if obj.source_kind not in source_rows.SOURCES:
        raise ValidationError(
            "Only imported letters and calls can be unlinked; cancel this one instead",
            code="feed.sources.only_imported_letters_calls",
        )
    source_rows.unlinked_by_hand(
        uow.session,
        [obj.id],
        f"unlinked by hand by {actor.login}",
        clear=False,
        owner_id=_owner(actor),
    )
    manual.drop_interaction(uow.session, obj.id)


def holder(uow: UnitOfWork, values: dict[str, Any], uid: str) -> Interaction | None:
    """The server's other interaction of the pushed one's letter or call."""
    if values.get("source_kind") not in source_rows.SOURCES or not values.get("source_key"):
        return None
    return uow.session.scalar(
        select(Interaction).where(
            Interaction.source_kind == values["source_kind"],
            Interaction.source_key == values["source_key"],
            Interaction.uid != uid,
        )
    )


def newer_than_server(uow: UnitOfWork, held: Interaction, pushed: Hlc) -> bool:
    """Whether the pushed move is later than the last write of the server's
    interaction of that letter (one made before clocks is older than any)."""
    newest = uow.session.scalar(
        select(func.max(SyncClock.hlc)).where(
            SyncClock.kind == "interaction", SyncClock.uid == held.uid
        )
    )
    return pushed > (Hlc.decode(newest) if newest else clock.ZERO)


def moved_meanwhile(values: dict[str, Any]) -> Refused:
    what = "call" if values.get("source_kind") == "call" else "letter"
    return Refused(
        f"The {what} was put on another card on the server after this change",
        code="sync.apply.moved_meanwhile",
        params={"kind": what},
    )


def follow(uow: UnitOfWork, actor: Actor, obj: Interaction) -> None:
    """The server's rows of the letter or call take the new interaction."""
    source_rows.follow(uow.session, obj, _owner(actor))
