"""AI drafts for a letter (SPEC E2, E3): what a generation sends, and the
queue for generations asked for while the AI server cannot be reached.

A manager on the road picks an AI template with no network: the dialog
says the server is unreachable and offers to queue the generation. The
queued request keeps exactly the messages the manager saw in the preview;
the app retries it with backoff while it stays unreachable, and the
finished draft waits for the manager to open it in a letter, review it and
send it by hand. Nothing here ever sends mail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import func, select

from models import Client
from models.templates import AiDraftRequest
from services.ai import settings as ai_settings
from services.ai.settings import Message
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.templates import store as templates
from services.templates.store import Draft

MAX_QUEUED = 50  # per user: a stuck server must not pile up requests unseen
FIRST_RETRY = dt.timedelta(minutes=1)
LAST_RETRY = dt.timedelta(minutes=15)
OPEN_STATES = ("queued", "ready", "failed")


@dataclasses.dataclass(frozen=True)
class QueuedDraft:
    id: int
    client_id: int
    client_name: str
    contact_id: int | None
    deal_id: int | None
    to_address: str
    subject: str
    state: str  # queued | ready | failed | used | dropped
    result: str
    last_error: str
    attempts: int
    created_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class Job:
    """One queued generation, as the runner needs it: plain data only."""

    id: int
    messages: tuple[Message, ...]


def prepare(
    uow: UnitOfWork,
    actor: Actor,
    draft: Draft,
    prompt: str,
    client_id: int,
    contact_id: int | None,
) -> list[Message]:
    """The messages a generation from ``draft`` with the user's edited
    ``prompt`` sends: the preview to show, and then exactly what goes out.
    The client's last letter goes in as data, and only if the template asks."""
    access.check(uow, actor, "client", client_id)
    edited = dataclasses.replace(draft, prompt=prompt)
    untrusted = templates.inbound_for(uow, actor, client_id, contact_id) if draft.data_names else {}
    return ai_settings.preview(uow, actor, edited, untrusted)


def _encode(messages: Sequence[Message]) -> str:
    if not messages or not any(m.role == "user" and m.content.strip() for m in messages):
        raise ValidationError(
            "There is nothing to generate from: write the prompt first",
            "prompt",
            code="ai.drafts.there_nothing_generate_from",
        )
    return json.dumps(
        [{"role": m.role, "content": m.content} for m in messages], ensure_ascii=False
    )


def _decode(text: str) -> tuple[Message, ...]:
    return tuple(Message(m["role"], m["content"]) for m in json.loads(text))


def _view(uow: UnitOfWork, row: AiDraftRequest, name: str | None = None) -> QueuedDraft:
    if name is None:
        name = uow.session.scalar(select(Client.name).where(Client.id == row.client_id)) or ""
    return QueuedDraft(
        id=row.id,
        client_id=row.client_id,
        client_name=name,
        contact_id=row.contact_id,
        deal_id=row.deal_id,
        to_address=row.to_address,
        subject=row.subject,
        state=row.state,
        result=row.result,
        last_error=row.last_error,
        attempts=row.attempts,
        created_at=row.created_at,
    )


def enqueue(
    uow: UnitOfWork,
    actor: Actor,
    *,
    client_id: int,
    contact_id: int | None,
    deal_id: int | None,
    template_id: int | None,
    subject: str,
    to_address: str,
    messages: Sequence[Message],
    now: dt.datetime,
) -> QueuedDraft:
    """Keep a generation for when the AI server answers again."""
    actor.require(Permission.INTERACTIONS)
    from services.parties import records as parties

    parties.check_visible(uow, actor, "client", client_id)
    encoded = _encode(messages)
    waiting = uow.session.scalar(
        select(func.count())
        .select_from(AiDraftRequest)
        .where(AiDraftRequest.requested_by == actor.id, AiDraftRequest.state == "queued")
    )
    if (waiting or 0) >= MAX_QUEUED:
        raise ValidationError(
            f"{MAX_QUEUED} AI drafts are already waiting for the server; "
            "let them finish or write this letter by hand",
            code="ai.drafts.ai_drafts_are_already",
            params={"max_queued": str(MAX_QUEUED)},
        )
    row = AiDraftRequest(
        requested_by=actor.id,
        client_id=client_id,
        contact_id=contact_id,
        deal_id=deal_id,
        template_id=template_id,
        to_address=to_address.strip()[:320],
        subject=" ".join(subject.split()),
        messages=encoded,
        state="queued",
        attempts=0,
        next_try_utc=now,
    )
    uow.session.add(row)
    uow.session.flush()
    return _view(uow, row)


def due(uow: UnitOfWork, actor: Actor, now: dt.datetime, limit: int = 5) -> list[Job]:
    """This user's queued generations whose retry time has come, oldest first."""
    rows = uow.session.scalars(
        select(AiDraftRequest)
        .where(
            AiDraftRequest.requested_by == actor.id,
            AiDraftRequest.state == "queued",
            AiDraftRequest.next_try_utc <= now,
        )
        .order_by(AiDraftRequest.id)
        .limit(limit)
    )
    return [Job(row.id, _decode(row.messages)) for row in rows]


def _own(uow: UnitOfWork, actor: Actor, request_id: int) -> AiDraftRequest:
    row = uow.session.get(AiDraftRequest, request_id)
    if row is None or row.requested_by != actor.id:
        raise NotFoundError("AI draft", request_id)
    return row


def record_ready(uow: UnitOfWork, actor: Actor, request_id: int, text: str) -> QueuedDraft:
    row = _own(uow, actor, request_id)
    if row.state != "queued":  # dropped meanwhile: keep the user's decision
        return _view(uow, row)
    row.state, row.result, row.last_error = "ready", text, ""
    row.attempts += 1
    row.next_try_utc = None
    uow.session.flush()
    return _view(uow, row)


def record_failure(
    uow: UnitOfWork,
    actor: Actor,
    request_id: int,
    error: str,
    now: dt.datetime,
    *,
    retry: bool,
) -> QueuedDraft:
    """``retry``: the server was unreachable or busy, try again later (the
    wait doubles up to 15 minutes); else the server refused, and the user
    must fix the settings or the prompt."""
    row = _own(uow, actor, request_id)
    if row.state != "queued":
        return _view(uow, row)
    row.attempts += 1
    row.last_error = error[:1000]
    if retry:
        wait = min(FIRST_RETRY * 2 ** min(row.attempts - 1, 10), LAST_RETRY)
        row.next_try_utc = now + wait
    else:
        row.state, row.next_try_utc = "failed", None
    uow.session.flush()
    return _view(uow, row)


def open_requests(
    uow: UnitOfWork, actor: Actor, *, client_id: int | None = None
) -> list[QueuedDraft]:
    """Queued, ready and failed drafts of this user (of one client if
    given), newest first: what a letter to that client may use."""
    query = (
        select(AiDraftRequest, Client.name)
        .join(Client, Client.id == AiDraftRequest.client_id)
        .where(AiDraftRequest.requested_by == actor.id, AiDraftRequest.state.in_(OPEN_STATES))
    )
    if client_id is not None:
        access.check(uow, actor, "client", client_id)
        query = query.where(AiDraftRequest.client_id == client_id)
    rows = uow.session.execute(query.order_by(AiDraftRequest.id.desc()))
    return [_view(uow, row, name) for row, name in rows]


def use(uow: UnitOfWork, actor: Actor, request_id: int) -> QueuedDraft:
    """Take a ready draft into a letter; it leaves the list."""
    row = _own(uow, actor, request_id)
    if row.state != "ready":
        if row.state == "queued":
            raise ValidationError("This AI draft is not ready yet", code="ai.drafts.not_ready")
        raise ValidationError("This AI draft is gone", code="ai.drafts.gone")
    row.state = "used"
    uow.session.flush()
    return _view(uow, row)


def drop(uow: UnitOfWork, actor: Actor, request_id: int) -> QueuedDraft:
    """Forget a draft, queued or not; a generation under way is discarded."""
    row = _own(uow, actor, request_id)
    if row.state in OPEN_STATES:
        row.state, row.next_try_utc = "dropped", None
        uow.session.flush()
    return _view(uow, row)
