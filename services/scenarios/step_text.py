"""A claimed step's letter: the manager's own text, the template, or the AI.

Made with no transaction open (a generation may take a minute); an AI
server out of reach raises ``AiWaiting`` so the pass stops asking it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

from models import User
from services.ai import client as ai
from services.ai import settings as ai_settings
from services.ai.settings import AiConfig, Message
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.scenarios import content
from services.scenarios.step_claims import Claimed

Generate = Callable[[AiConfig, Sequence[Message]], str]


def generate_blocking(config: AiConfig, messages: Sequence[Message]) -> str:
    """One AI letter through the ``openai`` client, from a worker thread."""
    return asyncio.run(ai.draft(config, messages))


def actor_of(uow: UnitOfWork, user_id: int) -> Actor:
    """The user a run acts for (its starter), with the permissions of their role."""
    user = uow.session.get(User, user_id)
    if user is None or not user.active:
        raise UserError(
            f"The user who started the run (id {user_id}) is no longer active",
            code="scenarios.runner.starter_inactive",
            params={"id": str(user_id)},
        )
    permissions = frozenset(user.role.permissions if user.role else ())
    return Actor(id=user.id, login=user.login, full_name=user.full_name, permissions=permissions)


@dataclasses.dataclass(frozen=True)
class Text:
    subject: str
    body: str


class AiWaiting(UserError):
    """The AI server cannot be reached now: the generation waits."""


def make_text(
    db: Database,
    job: Claimed,
    now: dt.datetime,
    generate: Generate,
    ai_reachable: bool = True,
) -> Text:
    """The letter: what the manager left on the planned interaction, else the
    filled-in template, else a generation."""
    if job.body.strip():
        return Text(job.subject, job.body)
    with db.reader() as uow:
        actor = actor_of(uow, job.started_by)
        filled = content.fill(
            uow,
            actor,
            subject=job.subject,
            prompt=job.prompt,
            template_id=job.template_id,
            ai=job.ai,
            client_id=job.client_id,
            contact_id=job.contact_id,
            now=now,
        )
        subject = job.subject or filled.subject
        if not filled.ai:
            return Text(subject, filled.body)
        if not ai_reachable:
            raise AiWaiting(
                "waiting for the AI server, out of reach in this round",
                code="scenarios.runner.ai_waiting",
            )
        messages = content.messages(uow, actor, filled, job.client_id, job.contact_id)
        config = ai_settings.config(uow)
    try:
        text = generate(config, messages)
    except ai.AiUnavailable as exc:
        raise AiWaiting(str(exc), code=exc.code or None, params=exc.params) from None
    return Text(subject, text.strip())
