"""Database-wide settings as a use case, shared by ``touchpoint settings KEY
VALUE`` and Settings → General: who may change them is checked once here.

Settings have no ids: ``Changes`` names the kind "setting" with id 0, so a
screen that shows a setting knows to read it again.
"""

from __future__ import annotations

from collections.abc import Mapping

from services.core import settings
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.storage import Database

SETTINGS_ID = 0  # the one set of database-wide settings


def save_settings(db: Database, actor: Actor, values: Mapping[str, str]) -> Outcome[dict[str, str]]:
    """Save every given setting or none (one is refused: nothing changes);
    the value is the settings as saved (normalized, e.g. the region upper-cased)."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id, durable=True) as uow:
        for key, value in values.items():
            settings.put(uow, key, value)
        saved = {key: settings.get(uow, key) for key in values}
        uow.commit()
    return Outcome(saved, Changes.of(updated={"setting": [SETTINGS_ID]}))
