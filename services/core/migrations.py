"""Alembic owns the schema; the app and the CLI upgrade on start.

Every start asks whether the schema is at head. Importing Alembic (it
pulls in mako and pygments) and reading its script directory cost more
than the rest of a CLI call, so the common answer, "already at head", is
found with one query and the file names of the revisions; Alembic is
imported only to upgrade or when that quick look is not sure.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config


def _models_folder() -> Path:
    """Where the models package is, found without importing it (its mapping)."""
    spec = importlib.util.find_spec("models")
    if spec is None or spec.origin is None:
        raise RuntimeError("the models package is not installed")
    return Path(spec.origin).resolve().parent


MIGRATIONS_DIR = _models_folder() / "migrations"
# Revision files are named after their revision id: 0015_what_it_does.py.
_REVISION_FILE = re.compile(r"(\d{4})_\w+\.py")


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def newest_revision_file() -> str | None:
    """The head as the revision files name it, read without Alembic.

    Trusted only as far as ``upgrade`` uses it: when it equals the one
    version stored in the database, there is nothing to do; a test checks
    that it names Alembic's head.
    """
    numbers = [
        m.group(1)
        for path in (MIGRATIONS_DIR / "versions").iterdir()
        if (m := _REVISION_FILE.fullmatch(path.name))
    ]
    return max(numbers) if numbers else None


def stored_versions(engine: Engine) -> list[str] | None:
    """The versions in ``alembic_version`` (one query, no write lock);
    None when the table is not there (a new database)."""
    try:
        with engine.execution_options(readonly=True).connect() as conn:
            return [str(v) for v in conn.scalars(text("SELECT version_num FROM alembic_version"))]
    except DBAPIError as exc:
        if "alembic_version" in str(exc.orig):
            return None
        raise


def current_revision(engine: Engine) -> str | None:
    """The schema's revision, read without the write lock.

    Every process start asks this; a deferred read never waits on (or
    blocks) a writer such as a long import.
    """
    from alembic.runtime.migration import MigrationContext

    with engine.execution_options(readonly=True).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a no-op when it is there already."""
    if revision == "head":
        newest = newest_revision_file()
        if newest is not None and stored_versions(engine) == [newest]:
            return
        if current_revision(engine) == head_revision():
            return
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
