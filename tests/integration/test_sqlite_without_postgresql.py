"""A SQLite process never loads SQLAlchemy's PostgreSQL dialect (issue #16:
~55 ms of CPU a start), and the partial indexes that used to load it read
the same as before wherever PostgreSQL is in play."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Index, MetaData, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex

import models
from models.partial import PartialIndex
from services.core.storage import open_database

ROOT = Path(__file__).resolve().parents[2]
PG = "sqlalchemy.dialects.postgresql.base"

# The CLI call, then everything a start maps and the replica's sync (which
# reads clocks through ``clock_reads``); then one look at an index's
# PostgreSQL options, which must load the dialect and find the WHERE.
PROBE = """
import json, sys
from desktop import cli
code = cli.main(sys.argv[1:])
sys.stdout.flush()
after_cli = "PG" in sys.modules
from desktop.app import load_core
load_core()
from sqlalchemy.orm import configure_mappers
configure_mappers()
import services.sync.pull, services.sync.log, services.sync.apply_writes
import models
after_start = "PG" in sys.modules
index = next(i for i in models.Base.metadata.tables["scenarios"].indexes
             if i.name == "uq_scenarios_active_name")
where = str(index.dialect_options["postgresql"]["where"])
print("\\nLOADED " + json.dumps([after_cli, after_start, "PG" in sys.modules, where]),
      file=sys.stderr)
sys.exit(code)
""".replace('"PG"', repr(PG))


def test_a_sqlite_call_and_start_never_import_the_postgresql_dialect(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'вход.sqlite3'}"
    open_database(url).dispose()  # at head, as on every later call
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for argv in (["clients", "add", "ООО Ромашка", "--json"], ["clients", "list", "--json"]):
        proc = subprocess.run(
            [sys.executable, "-c", PROBE, "--db", url, *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        after_cli, after_start, asked, where = json.loads(proc.stderr.rsplit("LOADED ", 1)[1])
        assert (after_cli, after_start) == (False, False), argv
        assert (asked, where) == (True, "archived_at IS NULL")  # the control
    assert [c["name"] for c in json.loads(proc.stdout)] == ["ООО Ромашка"]


def _as_before(index: PartialIndex) -> Index:
    """The declaration the models had, both dialects' keywords at once, on a
    copy of the index's table (the models' own metadata stays untouched)."""
    assert index.table is not None
    table = index.table.to_metadata(MetaData())
    where = index.dialect_options["sqlite"]["where"].text
    return Index(
        f"{index.name}_before",
        *(table.c[column.name] for column in index.columns),
        unique=index.unique,
        sqlite_where=text(where),
        postgresql_where=text(where),
    )


def test_the_partial_indexes_read_and_compile_as_before() -> None:
    """Options, DDL on both backends and a copy of the table are those of
    the old two-keyword declaration (Alembic's schema comparison, run on
    both backends by test_storage, sees the same indexes)."""
    found = {
        index.name: index
        for table in models.Base.metadata.tables.values()
        for index in table.indexes
        if isinstance(index, PartialIndex)
    }
    assert set(found) == {
        "uq_inbound_sources_active_name",
        "ix_mail_messages_pending",
        "uq_scenarios_active_name",
    }
    for name, index in found.items():
        old = _as_before(index)
        assert index.table is not None
        copy = index.table.to_metadata(MetaData())
        copied = next(i for i in copy.indexes if i.name == name)
        expected = {k: str(v) for k, v in old.kwargs.items()}
        assert set(expected) == {"sqlite_where", "postgresql_where"}
        for one in (index, copied):
            assert {k: str(v) for k, v in one.kwargs.items()} == expected
            for dialect in (sqlite.dialect(), postgresql.dialect()):
                ddl = str(CreateIndex(one).compile(dialect=dialect))
                before = str(CreateIndex(old).compile(dialect=dialect))
                assert ddl == before.replace(f"{name}_before", name)
                assert " WHERE " in ddl
