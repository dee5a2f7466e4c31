"""Notes (many, with @mentions) and the memo (one per object) of a card
(SPEC B3); tasks are in ``tasks.py``."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import insert, select

from models import Contact, Deal, Memo, Note, User, folding, note_mentions
from services.core import access
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.parties import records as parties
from services.sync.log_links import record_links

MENTION = re.compile(r"(?<![\w@])@([\w.\-]+)")
OBJECT_KINDS = ("client", "lead", "contact", "deal")
MAX_BODY = 20_000  # characters of a note


def party_columns(
    uow: UnitOfWork, actor: Actor, kind: str, object_id: int
) -> dict[str, int | None]:
    """The feed columns of a note, task or attachment on a card of ``kind``
    the actor sees."""
    ids: dict[str, int | None] = {
        "client_id": None,
        "lead_id": None,
        "deal_id": None,
        "contact_id": None,
    }
    if kind == "client":
        parties.visible_client(uow, actor, object_id)
        ids["client_id"] = object_id
    elif kind == "lead":
        parties.visible_lead(uow, actor, object_id)
        ids["lead_id"] = object_id
    elif kind == "contact":
        access.check(uow, actor, "contact", object_id)
        contact = uow.session.get(Contact, object_id)
        if contact is None:
            raise NotFoundError("Contact", object_id)
        ids.update(client_id=contact.client_id, lead_id=contact.lead_id, contact_id=object_id)
    elif kind == "deal":
        access.check(uow, actor, "deal", object_id)
        deal = uow.session.get(Deal, object_id)
        if deal is None:
            raise NotFoundError("Deal", object_id)
        ids.update(client_id=deal.client_id, lead_id=deal.lead_id, deal_id=object_id)
    else:
        raise ValidationError(
            f"Notes go on a {', '.join(OBJECT_KINDS)}; not on {kind!r}",
            code="interactions.notes.notes_go_not",
            params={"object_kinds": str(", ".join(OBJECT_KINDS)), "kind": repr(kind)},
        )
    return ids


def _text(body: str, what: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError(
            f"{what} must not be empty",
            "body",
            code="interactions.notes.must_not_empty",
            params={"what": str(what)},
        )
    return body


def body_of(value: str) -> str:
    """A note's text as a person typed it: not empty, at most MAX_BODY
    characters, lines and tabs but no other control character (a bell, an
    escape, a bidi override)."""
    body = _text(value.replace("\r\n", "\n"), "A note")
    if len(body) > MAX_BODY:
        raise ValidationError(
            f"A note is longer than {MAX_BODY} characters ({len(body)})",
            "body",
            code="interactions.notes.body_too_long",
            params={"limit": str(MAX_BODY), "length": str(len(body))},
        )
    for char in body:
        if char in "\n\t":
            continue
        if unicodedata.category(char) == "Cc" or char in parties.BIDI_CONTROLS:
            raise ValidationError(
                f"A note contains a control character (U+{ord(char):04X})",
                "body",
                code="interactions.notes.body_control_character",
                params={"char": format(ord(char), "04X")},
            )
    return body


def mentioned_users(uow: UnitOfWork, body: str) -> dict[str, int]:
    """The active colleagues a text mentions (``@login``), login -> id; an
    unknown or inactive login is refused."""
    logins = set(MENTION.findall(body))
    if not logins:
        return {}
    users = {
        row.login: row.id
        for row in uow.session.execute(
            select(User.login, User.id).where(User.login.in_(logins), User.active.is_(True))
        )
    }
    unknown = sorted(logins - set(users))
    if unknown:
        raise ValidationError(
            f"No colleague with login {', '.join('@' + u for u in unknown)}",
            code="interactions.notes.no_colleague_login",
            params={"unknown": str(", ".join("@" + u for u in unknown))},
        )
    return users


def add_note(uow: UnitOfWork, actor: Actor, kind: str, object_id: int, body: str) -> int:
    """Add a note; ``@login`` mentions a colleague, who sees it in their agenda."""
    body = body_of(body)
    ids = party_columns(uow, actor, kind, object_id)
    users = mentioned_users(uow, body)
    note = Note(author_id=actor.id, body=body, search_text=folding.fold(body), **ids)
    uow.session.add(note)
    uow.session.flush()
    if users:
        uow.session.execute(
            insert(note_mentions), [{"note_id": note.id, "user_id": u} for u in users.values()]
        )
        record_links(uow.session, "note_mention", [(note.id, u) for u in users.values()])
    return note.id


def add_memo(uow: UnitOfWork, actor: Actor, kind: str, object_id: int, body: str) -> int:
    """The one memo of an object: a second one is refused, edit the first."""
    body = _text(body, "The memo")
    party_columns(uow, actor, kind, object_id)
    existing = uow.session.scalar(
        select(Memo.id).where(Memo.object_kind == kind, Memo.object_id == object_id)
    )
    if existing is not None:
        raise ValidationError(
            f"This {kind} already has a memo (id {existing}); edit it instead of adding another",
            code="interactions.notes.already_has_memo_id",
            params={"kind": str(kind), "existing": str(existing)},
        )
    memo = Memo(object_kind=kind, object_id=object_id, body=body, author_id=actor.id)
    uow.session.add(memo)
    uow.session.flush()
    return memo.id


def edit_memo(uow: UnitOfWork, actor: Actor, kind: str, object_id: int, body: str) -> int:
    party_columns(uow, actor, kind, object_id)
    memo = uow.session.scalar(
        select(Memo).where(Memo.object_kind == kind, Memo.object_id == object_id)
    )
    if memo is None:
        raise NotFoundError(f"Memo of {kind}", object_id)
    memo.body = _text(body, "The memo")
    return memo.id


def get_memo(uow: UnitOfWork, actor: Actor, kind: str, object_id: int) -> str | None:
    """The memo of a card, or None when it has none yet."""
    party_columns(uow, actor, kind, object_id)
    return uow.session.scalar(
        select(Memo.body).where(Memo.object_kind == kind, Memo.object_id == object_id)
    )
