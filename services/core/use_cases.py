"""Database-wide settings, backup and restore as use cases, shared by ``touchpoint settings KEY
VALUE`` and Settings → General: who may change them is checked once here.

Settings have no ids: ``Changes`` names the kind "setting" with id 0, so a
screen that shows a setting knows to read it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from services.core import backup, settings
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


def backup_database(db: Database, actor: Actor, target: Path) -> Outcome[backup.BackupResult]:
    """Copy the embedded database to ``target`` (safe while in use); nothing changes."""
    del actor  # whoever may open the database may copy it, as with the file itself
    return Outcome(backup.backup(db, target))


def restore_database(db: Database, actor: Actor, source: Path) -> Outcome[backup.BackupResult]:
    """Replace the embedded database with a backup (the previous one is kept
    next to it): everything may have changed, which ``Changes`` says with the
    kind "database"."""
    del actor
    return Outcome(backup.restore(db, source), Changes.of(updated={"database": [SETTINGS_ID]}))
