"""Who can own an interaction or a task: the active users, for combo boxes
and for names in the feed."""

from __future__ import annotations

from services.core.access import Actor
from services.core.storage import UnitOfWork
from services.core.views import UserView
from ui.widgets.work import optional_service


def users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    """Active users from ``services.parties.lists.users`` when that service is there;
    otherwise just the acting user, who can always own their own work."""
    me = UserView(
        id=actor.id,
        login=actor.login,
        full_name=actor.full_name,
        role=None,
        permissions=tuple(sorted(actor.permissions)),
    )
    fn = optional_service("services.parties.lists", "users")
    if fn is None:
        return [me]
    found = list(fn(uow, actor))
    if not any(u.id == actor.id for u in found):
        found.insert(0, me)
    return found
