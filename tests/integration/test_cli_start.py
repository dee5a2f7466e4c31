"""A CLI call imports only what its command needs (issue #16: scripts call
``touchpoint`` hundreds of times), and the start's schema check stays right."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from services.core import migrations
from services.core.storage import create_db_engine, open_database, resolve_url

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "alembic", "openai", "imapclient", "keyring", "mako")

PROBE = """
import json, sys
from desktop import cli
code = cli.main(sys.argv[1:])
sys.stdout.flush()
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(HEAVY)))
print("\\nLOADED " + json.dumps(loaded), file=sys.stderr)
sys.exit(code)
"""


def _probe(*argv: str) -> tuple[list[str], str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = PROBE.replace("json.loads(HEAVY)", repr(list(HEAVY)))
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    marker = proc.stderr.rsplit("LOADED ", 1)[1]
    return json.loads(marker), proc.stdout


def test_listing_clients_imports_no_gui_mail_ai_or_migrations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'start.sqlite3'}"
    open_database(url).dispose()  # a database already at head, as on every later call
    loaded, _ = _probe("--db", url, "clients", "add", "ООО Ромашка", "--json")
    assert loaded == []
    loaded, out = _probe("--db", url, "clients", "list", "--json")
    assert loaded == []
    assert [c["name"] for c in json.loads(out)] == ["ООО Ромашка"]


def test_a_new_database_is_still_created_by_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    loaded, out = _probe("--db", url, "clients", "list", "--json")
    assert "alembic" in loaded  # the upgrade ran
    assert json.loads(out) == []
    engine = create_db_engine(resolve_url(url))
    assert migrations.current_revision(engine) == migrations.head_revision()
    engine.dispose()


def test_the_quick_head_is_alembics_head(db_url: str) -> None:
    assert migrations.newest_revision_file() == migrations.head_revision()
    engine = create_db_engine(resolve_url(db_url))
    try:
        # open_database has run for db_url's fixture database or runs now
        open_database(db_url).dispose()
        assert migrations.stored_versions(engine) == [migrations.head_revision()]
    finally:
        engine.dispose()


def test_an_empty_database_has_no_stored_version(tmp_path: Path) -> None:
    engine = create_db_engine(resolve_url(str(tmp_path / "empty.sqlite3")))
    try:
        assert migrations.stored_versions(engine) is None
    finally:
        engine.dispose()


def test_building_the_parser_loads_no_services() -> None:
    """Every call builds the whole parser (``--help`` lists every command), so
    the command modules load their services when a command runs."""
    code = (
        "import sys; from desktop import cli; cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('models', 'sqlalchemy') or m.startswith('services.') and m not in "
        "('services.core', 'services.core.errors', 'services.core.views')))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert proc.stdout.strip() == "[]"


def test_the_parsers_choices_are_the_services() -> None:
    """The CLI keeps a copy of two choice lists so that parsing loads no services."""
    from desktop import cli_admin, cli_mail
    from services.core import history
    from services.mail import accounts

    assert cli_admin.HISTORY_KINDS == history.KINDS
    assert cli_mail.SECURITY == accounts.SECURITY
