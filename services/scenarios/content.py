"""A step's subject and text for one client and contact person.

The same sandboxed renderer and variables as templates (``services.templates``);
a client-side deal is not needed, so deal fields are empty. An AI step's
text is a prompt: the client's last letter goes to the model only as
delimited data (``services.ai.drafts.prepare``), never as instructions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from models import EmailTemplate
from services.ai import drafts as ai_drafts
from services.ai.settings import Message
from services.core.access import Actor
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork
from services.templates import store as templates


@dataclasses.dataclass(frozen=True)
class Filled:
    subject: str
    body: str  # the letter or note; empty for an AI step until generated
    ai: bool
    prompt: str  # an AI step's rendered prompt
    data_names: tuple[str, ...] = ()
    template_id: int | None = None


def fill(
    uow: UnitOfWork,
    actor: Actor,
    *,
    subject: str,
    prompt: str,
    template_id: int | None,
    ai: bool,
    client_id: int,
    contact_id: int,
    now: dt.datetime,
) -> Filled:
    context: dict[str, Any] = templates.context_for(
        uow, actor, client_id, contact_id, None, now, need_deal=False
    )
    text = prompt
    if template_id is not None:
        template = uow.session.get(EmailTemplate, template_id)
        if template is None:
            raise NotFoundError("Template", template_id)
        subject = subject or template.subject
        text = template.body
        ai = ai or template.ai
    title = " ".join(templates.render(subject, context).split()) if subject else ""
    if not ai:
        return Filled(title, templates.render(text, context), False, "", (), template_id)
    names = templates.data_names(text)
    markers = {"inbound": {name: templates.data_marker(name) for name in names}}
    rendered = templates.render(text, context | markers).strip()
    return Filled(title, "", True, rendered, names, template_id)


def messages(
    uow: UnitOfWork, actor: Actor, filled: Filled, client_id: int, contact_id: int
) -> list[Message]:
    """What goes to the AI server for an AI step: exactly this, nothing read later."""
    draft = templates.Draft(
        filled.subject, "", True, filled.prompt, filled.data_names, filled.template_id
    )
    return ai_drafts.prepare(uow, actor, draft, filled.prompt, client_id, contact_id)
