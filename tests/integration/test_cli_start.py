"""A CLI call imports only what its command needs (issue #16: scripts call
``touchpoint`` hundreds of times), prints what the full path printed, and
the start's schema check stays right."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop import cli, cli_args
from models import light
from services.core import migrations
from services.core.storage import create_db_engine, open_database, resolve_url
from tests.integration import cli_golden

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "alembic", "openai", "imapclient", "keyring", "mako")
# What ``clients list`` does without: the ORM and the mapped models (each
# model module maps its classes), the address and mail libraries.
ORM = (
    "sqlalchemy.orm",
    "models.base",
    "models.parties",
    "models.people",
    "idna",
    "email.parser",
    "jinja2",
    "holidays",
)

PROBE = """
import json, sys
from desktop import cli
code = cli.main(sys.argv[1:])
sys.stdout.flush()
loaded = sorted(name for name in json.loads(HEAVY) if name in sys.modules)
print("\\nLOADED " + json.dumps(loaded), file=sys.stderr)
sys.exit(code)
"""


def _probe(*argv: str, watch: tuple[str, ...] = HEAVY) -> tuple[list[str], str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = PROBE.replace("json.loads(HEAVY)", repr(list(watch)))
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
    loaded, out = _probe("--db", url, "clients", "list", "--json", watch=HEAVY + ORM)
    assert loaded == []
    assert [c["name"] for c in json.loads(out)] == ["ООО Ромашка"]
    loaded, out = _probe("--db", url, "clients", "list", "--text", "ромаш", watch=HEAVY + ORM)
    assert loaded == []
    assert out.startswith("1\tООО Ромашка\t")


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
        "('services.core', 'services.core.errors', 'services.core.view_json')))"
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


def _golden_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("TOUCHPOINT_USER", raising=False)
    url = f"sqlite:///{tmp_path / 'golden.sqlite3'}"
    cli_golden.build(url)
    return url


def test_the_read_commands_print_what_they_printed_before_the_quick_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte for byte (clock and random values masked): the golden file was
    written by the code that listed clients through the ORM."""
    url = _golden_case(tmp_path, monkeypatch)
    expected = json.loads(cli_golden.GOLDEN.read_text(encoding="utf-8"))
    assert cli_golden.outputs(url) == expected


def test_the_full_path_prints_the_same_when_the_start_has_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import run still going (this very process) makes the start look
    after it: ``clients list`` then takes the full path, with the same output."""
    url = _golden_case(tmp_path, monkeypatch)
    engine = create_db_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO import_runs (user_id, source, state, pid, host, started_at)"
                " VALUES (1, 'test', 'running', :pid, :host, CURRENT_TIMESTAMP)"
            ),
            {"pid": os.getpid(), "host": socket.gethostname()},
        )
    engine.dispose()
    expected = json.loads(cli_golden.GOLDEN.read_text(encoding="utf-8"))
    listing = {k: v for k, v in expected.items() if " list" in k}
    assert {k: v for k, v in cli_golden.outputs(url).items() if k in listing} == listing


def test_the_light_tables_name_mapped_columns_of_the_same_type() -> None:
    import models

    for clause in light.ALL:
        mapped = models.Base.metadata.tables[clause.name]
        for column in clause.columns:
            assert column.name in mapped.c, f"{clause.name}.{column.name}"
            assert type(mapped.c[column.name].type) is type(column.type), (
                f"{clause.name}.{column.name}: {mapped.c[column.name].type!r} vs {column.type!r}"
            )


def test_one_model_module_alone_still_configures_every_mapper() -> None:
    """``models`` loads its modules lazily; a service that imports only one
    of them and queries must still find every relationship's target."""
    code = (
        "import sys; import models.folding; assert 'models.base' not in sys.modules; "
        "from models.templates import EmailTemplate; "
        "from sqlalchemy.orm import configure_mappers; configure_mappers(); "
        "import models; print(len(models.Base.metadata.tables), "
        "sorted(m for m in models.MODULES if 'models.' + m not in sys.modules))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    count, missing = proc.stdout.split(" ", 1)
    assert int(count) > 40
    assert missing.strip() == "[]"


def _commands(parser: argparse.ArgumentParser, path: list[str]) -> Iterator[list[str]]:
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, [*path, name])


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_parsing_only_the_command_given_prints_what_the_whole_parser_printed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call builds only its command's sub-parsers; every command's
    --help, the top-level help and the refusals (one line, exit 2) are the
    whole parser's, also when the command word is guessed wrong."""
    monkeypatch.setenv("COLUMNS", "100")
    cases = [[*path, "--help"] for path in _commands(cli.build_parser(), [])]
    assert len(cases) > 150
    cases += [
        [],  # no command: the window would open, so the top-level help instead
        ["nosuch"],
        ["clients"],
        ["clients", "lst"],
        ["clients", "list", "--limit", "много"],
        ["--db"],
        ["--user"],
        ["--us", "demo", "clients", "list", "--bogus"],  # --us is --user: "demo" is no command
        ["--db=/nonexistent/x.sqlite3", "deals", "add", "--help"],
        ["--", "clients"],
        ["demo", "--clients", "99999999999999999999"],
        ["interactions", "add"],
    ]
    lean, whole = [], []
    for argv in cases:
        lean.append(_run(argv or ["--help"], capsys))
    monkeypatch.setattr(cli_args, "command_named", lambda argv: None)  # build every command
    for argv in cases:
        whole.append(_run(argv or ["--help"], capsys))
    assert lean == whole
    refusals = [r for r in lean[-11:] if r[0] == 2]
    assert len(refusals) >= 8
    assert all(err.count("\n") == 1 and not out for _, out, err in refusals)


def test_a_call_builds_the_parsers_of_its_command_only() -> None:
    parser = cli.build_parser(cli_args.command_named(["--db", "x", "clients", "list"]))
    built = {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name, child in action.choices.items()
        if child._actions
    }
    assert built == {"clients"}
    args = cli_args.parse(cli.build_parser, ["--us", "demo", "clients", "list", "--text", "Ром"])
    assert (args.user, args.command, args.action, args.text) == ("demo", "clients", "list", "Ром")


def test_listing_clients_builds_no_other_views(tmp_path: Path) -> None:
    """``clients list`` prints client views: the feed's, the agenda's and
    the board's dataclasses (services.core.views) are not built for it."""
    url = f"sqlite:///{tmp_path / 'views.sqlite3'}"
    _probe("--db", url, "clients", "add", "ООО Ромашка", "--phone", "+7 495 123-45-67")
    loaded, out = _probe("--db", url, "clients", "list", "--json", watch=("services.core.views",))
    assert loaded == []
    assert [c["name"] for c in json.loads(out)] == ["ООО Ромашка"]
