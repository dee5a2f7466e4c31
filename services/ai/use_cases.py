"""Saving the AI server settings as a use case, shared by ``touchpoint ai
settings`` and Settings → AI: the administrator's check, the keyring and the
commit happen once, here."""

from __future__ import annotations

from services.ai import settings as ai_settings
from services.ai.settings import AiSettings
from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database
from services.core.use_cases import SETTINGS_ID


def save_ai_settings(
    db: Database,
    actor: Actor,
    *,
    base_url: str,
    model: str,
    timeout_s: float = 60.0,
    instructions: str = "",
    api_key: str | None = None,
) -> Outcome[AiSettings]:
    """Save the AI settings; ``api_key`` None keeps the saved key, "" forgets it."""
    with db.uow(actor.id, durable=True) as uow:
        saved = ai_settings.save(
            uow,
            actor,
            base_url=base_url,
            model=model,
            timeout_s=timeout_s,
            instructions=instructions,
            api_key=api_key,
        )
        uow.commit()
    return Outcome(saved, Changes.of(updated={"ai_settings": [SETTINGS_ID]}))
