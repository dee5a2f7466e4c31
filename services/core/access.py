"""Who acts, and what their role lets them do (SPEC H1).

Checks live here, in the service layer, so a team database enforces them
whatever client talks to it.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, bindparam, select

from services.core.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from services.core.storage import UnitOfWork


class Permission(enum.StrEnum):
    INTERACTIONS = "interactions"  # log and plan interactions
    CLIENTS_EDIT = "clients.edit"  # create and change clients, leads, contacts
    CLIENTS_VIEW_ALL = "clients.view_all"  # see clients of other managers
    # see the clients of everyone in one's department (a head of department)
    CLIENTS_VIEW_DEPARTMENT = "clients.view_department"
    DEALS = "deals"
    IMPORT_EXPORT = "import_export"
    SETTINGS = "settings"  # users, roles, pipelines, database settings


ALL_PERMISSIONS = tuple(p.value for p in Permission)
# What each permission lets a user do, in words: a refusal names the action,
# not the permission's code (the window translates these, ErrorWords).
ACTIONS: dict[str, str] = {
    Permission.INTERACTIONS.value: "logging and planning interactions",
    Permission.CLIENTS_EDIT.value: "creating and changing clients, leads and contact persons",
    Permission.CLIENTS_VIEW_ALL.value: "seeing other managers' clients",
    Permission.CLIENTS_VIEW_DEPARTMENT.value: "seeing the department's clients",
    Permission.DEALS.value: "working with deals",
    Permission.IMPORT_EXPORT.value: "importing and exporting",
    Permission.SETTINGS.value: "changing settings, users and roles",
}
MANAGER_PERMISSIONS = (
    Permission.INTERACTIONS.value,
    Permission.CLIENTS_EDIT.value,
    Permission.DEALS.value,
    Permission.IMPORT_EXPORT.value,
)


class PermissionDenied(UserError):
    pass


@dataclasses.dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service call runs."""

    id: int
    login: str
    full_name: str
    permissions: frozenset[str]
    # Colleagues whose records this user sees besides their own: those they
    # stand in for (until the deputy's end) and, for a head, the department.
    also_sees: frozenset[int] = frozenset()

    def can(self, permission: Permission) -> bool:
        return permission.value in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            name = self.full_name or self.login
            action = ACTIONS.get(permission.value, permission.value)
            raise PermissionDenied(
                f"{name} may not do this: the role does not allow {action}",
                code="core.access.may_not_do_role",
                params={
                    "name": name,
                    "action": action,
                    "login": str(self.login),
                    "permission": permission.value,
                },
            )

    @property
    def owner_ids(self) -> tuple[int, ...]:
        """Whose records this user sees without ``clients.view_all``: their
        own and ``also_sees``, sorted (one expanding parameter of a list)."""
        return tuple(sorted({self.id, *self.also_sees}))

    def can_admin(self) -> bool:
        return self.can(Permission.SETTINGS)

    def sees_owner(self, owner_id: int) -> bool:
        return (
            owner_id == self.id
            or owner_id in self.also_sees
            or self.can(Permission.CLIENTS_VIEW_ALL)
        )


# --- whose record it is: the one visibility rule (SPEC H1, #15 item 5) ----------
#
# A record belongs to the owner of its card: a client's or lead's owner; a
# contact's, note's, task's or interaction's client or lead. Some records
# have a second owner of their own: a deal's and an interaction's owner, a
# task's assignee, the account owner for a letter, the requester of an AI
# draft. A user sees a record, and may change it as far as the role allows,
# when they are one of its owners or their role sees all clients. Every
# service use case that takes a record id asks ``check`` first, so a manager
# can neither read nor change a colleague's records, nor learn they exist
# beyond "belongs to another manager".

RECORD_KINDS = (
    "client",
    "lead",
    "contact",
    "deal",
    "interaction",
    "note",
    "task",
    "letter",
    "call",
    "outbox",
    "draft",
    "account",
    "request",
    "ticket",
)
_LABELS = {
    "outbox": "Outbox item",
    "draft": "AI draft",
    "account": "Mail account",
    "request": "Inbound request",
    "ticket": "Support ticket",
}


def _card_owners(session: Session, client_id: int | None, lead_id: int | None) -> set[int]:
    from models import Client, Lead

    if client_id is not None:
        owner = session.scalar(select(Client.owner_id).where(Client.id == client_id))
    elif lead_id is not None:
        owner = session.scalar(select(Lead.owner_id).where(Lead.id == lead_id))
    else:
        return set()
    return {owner} if owner is not None else set()


def record_owners(session: Session, kind: str, record_id: int) -> frozenset[int]:
    """The users whose record this is; empty for a shared one (an unassigned
    call of a PBX log). Raises NotFoundError for a record that is not there."""
    from models import (
        AiDraftRequest,
        CallRecord,
        Client,
        Contact,
        Deal,
        Interaction,
        Lead,
        MailAccount,
        MailMessage,
        Note,
        OutboxItem,
        Task,
    )

    owners: set[int] = set()
    row: Any
    if kind in ("client", "lead"):
        model = Client if kind == "client" else Lead
        row = session.execute(select(model.owner_id).where(model.id == record_id)).first()
        if row is not None:
            owners = {row.owner_id}
    elif kind in ("contact", "note", "task"):
        model2: Any = {"contact": Contact, "note": Note, "task": Task}[kind]
        extra = Task.assignee_id if kind == "task" else model2.id
        row = session.execute(
            select(model2.client_id, model2.lead_id, extra.label("extra")).where(
                model2.id == record_id
            )
        ).first()
        if row is not None:
            owners = _card_owners(session, row.client_id, row.lead_id)
            if kind == "task":
                owners.add(row.extra)
    elif kind in ("deal", "interaction"):
        model3: Any = Deal if kind == "deal" else Interaction
        row = session.execute(
            select(model3.client_id, model3.lead_id, model3.owner_id).where(model3.id == record_id)
        ).first()
        if row is not None:
            owners = _card_owners(session, row.client_id, row.lead_id) | {row.owner_id}
    elif kind in ("letter", "outbox"):
        model4: Any = MailMessage if kind == "letter" else OutboxItem
        row = session.execute(
            select(model4.interaction_id, MailAccount.user_id)
            .join(MailAccount, MailAccount.id == model4.account_id)
            .where(model4.id == record_id)
        ).first()
        if row is not None:
            owners = {row.user_id}
            if row.interaction_id is not None:
                owners |= record_owners(session, "interaction", row.interaction_id)
    elif kind == "call":
        row = session.execute(
            select(CallRecord.interaction_id, CallRecord.user_id).where(CallRecord.id == record_id)
        ).first()
        if row is not None:
            owners = {row.user_id} if row.user_id is not None else set()
            if row.interaction_id is not None:
                owners |= record_owners(session, "interaction", row.interaction_id)
    elif kind == "draft":
        row = session.execute(
            select(AiDraftRequest.client_id, AiDraftRequest.requested_by).where(
                AiDraftRequest.id == record_id
            )
        ).first()
        if row is not None:
            owners = _card_owners(session, row.client_id, None) | {row.requested_by}
    elif kind == "account":
        row = session.execute(
            select(MailAccount.user_id).where(MailAccount.id == record_id)
        ).first()
        if row is not None:
            owners = {row.user_id}
    elif kind in ("request", "ticket"):
        row, owners = _inbound_owners(session, kind, record_id)
    else:
        raise ValueError(f"unknown record kind {kind!r}")
    if row is None:
        raise NotFoundError(_LABELS.get(kind, kind.capitalize()), record_id)
    return frozenset(owners)


def _inbound_owners(session: Session, kind: str, record_id: int) -> tuple[Any, set[int]]:
    """A request is its owner's; one offered to a role is every member's; one
    assigned to nobody is anyone's to take. A ticket is its owner's and its
    card's owner's."""
    from models import InboundRequest, SupportTicket, User

    if kind == "ticket":
        row = session.execute(
            select(SupportTicket.owner_id, SupportTicket.client_id, SupportTicket.lead_id).where(
                SupportTicket.id == record_id
            )
        ).first()
        if row is None:
            return None, set()
        owners = _card_owners(session, row.client_id, row.lead_id)
        return row, owners | ({row.owner_id} if row.owner_id is not None else set())
    found = session.execute(
        select(InboundRequest.owner_id, InboundRequest.role_id).where(
            InboundRequest.id == record_id
        )
    ).first()
    if found is None:
        return None, set()
    if found.owner_id is not None:
        return found, {found.owner_id}
    if found.role_id is not None:
        members = set(session.scalars(select(User.id).where(User.role_id == found.role_id)))
        return found, members or {-1}
    return found, set()


def _party_owner(uow: UnitOfWork, kind: str, record_id: int) -> frozenset[int]:
    """``record_owners`` of a client or lead as one prepared statement: every
    feed page and card asks it first (issue #16)."""
    from models import Client, Lead
    from services.core import prepared

    model = Client if kind == "client" else Lead
    compiled = prepared.prepared(
        prepared.dialect_of(uow),
        ("owner", kind),
        lambda: select(model.owner_id).where(model.id == bindparam("record_id", type_=Integer)),
    )
    rows = compiled.rows(uow, {"record_id": record_id}, autoflush=True)
    if not rows:
        raise NotFoundError(kind.capitalize(), record_id)
    return frozenset({rows[0][0]})


def check(uow: UnitOfWork, actor: Actor, kind: str, record_id: int) -> None:
    """Refuse, before anything is read or changed, a record the actor may not see."""
    if kind in ("client", "lead"):
        owners = _party_owner(uow, kind, record_id)
    else:
        owners = record_owners(uow.session, kind, record_id)
    if not owners or any(actor.sees_owner(owner) for owner in owners):
        return
    if _shared_with(uow.session, actor, kind, record_id):
        return
    raise PermissionDenied(
        f"{_LABELS.get(kind, kind.capitalize())} {record_id} belongs to another manager",
        code="core.access.belongs_another_manager",
        params={"kind": str(_LABELS.get(kind, kind.capitalize())), "record_id": str(record_id)},
    )


_ON_A_CARD = ("contact", "note", "task", "deal", "interaction")


def _shared_with(session: Session, actor: Actor, kind: str, record_id: int) -> bool:
    """The record is, or is on, a client or lead shared with the actor
    (``party_shares``, as a team database's ``tp_shared``): a letter, an
    outbox letter or a call through its interaction, a draft through its client."""
    from sqlalchemy import or_

    from models import (
        AiDraftRequest,
        CallRecord,
        Contact,
        Deal,
        Interaction,
        MailMessage,
        Note,
        OutboxItem,
        PartyShare,
        Task,
    )

    if kind in ("letter", "outbox", "call"):
        # Mail and calls are on a card through their interaction (as the
        # policies' "interaction_id IN (SELECT id FROM interactions)").
        linked: Any = {"letter": MailMessage, "outbox": OutboxItem, "call": CallRecord}[kind]
        interaction_id = session.scalar(select(linked.interaction_id).where(linked.id == record_id))
        if interaction_id is None:
            return False
        kind, record_id = "interaction", interaction_id
    elif kind == "draft":
        client = session.scalar(
            select(AiDraftRequest.client_id).where(AiDraftRequest.id == record_id)
        )
        if client is None:
            return False
        kind, record_id = "client", client
    if kind == "client":
        client_id, lead_id = record_id, None
    elif kind == "lead":
        client_id, lead_id = None, record_id
    elif kind in _ON_A_CARD:
        model: Any = {
            "contact": Contact,
            "note": Note,
            "task": Task,
            "deal": Deal,
            "interaction": Interaction,
        }[kind]
        row = session.execute(
            select(model.client_id, model.lead_id).where(model.id == record_id)
        ).first()
        if row is None:
            return False
        client_id, lead_id = row.client_id, row.lead_id
    else:
        return False
    cards = []
    if client_id is not None:
        cards.append(PartyShare.client_id == client_id)
    if lead_id is not None:
        cards.append(PartyShare.lead_id == lead_id)
    if not cards:
        return False
    found = session.scalar(
        select(PartyShare.id).where(PartyShare.user_id == actor.id, or_(*cards)).limit(1)
    )
    return found is not None


def may_see(uow: UnitOfWork, actor: Actor, kind: str, record_id: int) -> bool:
    """``check`` as a question, for matching (an import) rather than a request."""
    try:
        check(uow, actor, kind, record_id)
    except (PermissionDenied, NotFoundError):
        return False
    return True


def visible_calls(actor: Actor) -> Any:
    """``record_owners`` for calls as a SQL condition, for lists: the actor's
    own calls, calls on a card they see (shared with them too), and
    unassigned calls on no card."""
    from sqlalchemy import and_, or_

    from models import CallRecord, Client, Interaction, Lead, PartyShare

    if actor.can(Permission.CLIENTS_VIEW_ALL):
        return CallRecord.id.is_not(None)
    owners = actor.owner_ids
    shares = PartyShare.user_id == actor.id  # cards shared with the actor, as tp_shared
    seen = select(Interaction.id).where(
        or_(
            Interaction.owner_id.in_(owners),
            Interaction.client_id.in_(select(Client.id).where(Client.owner_id.in_(owners))),
            Interaction.lead_id.in_(select(Lead.id).where(Lead.owner_id.in_(owners))),
            Interaction.client_id.in_(select(PartyShare.client_id).where(shares)),
            Interaction.lead_id.in_(select(PartyShare.lead_id).where(shares)),
        )
    )
    return or_(
        CallRecord.user_id == actor.id,  # a call's own user, as the policy
        and_(CallRecord.interaction_id.is_(None), CallRecord.user_id.is_(None)),
        CallRecord.interaction_id.in_(seen),
    )
