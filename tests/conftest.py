"""Shared fixtures: a migrated database per test, on SQLite and on PostgreSQL.

Each backend migrates once per session into a template; every test gets a
fresh copy (a file copy, or CREATE DATABASE ... TEMPLATE), which is fast
and keeps tests independent.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from services.core import bootstrap
from services.core.access import Actor
from services.core.storage import Database, open_database
from tests import servers

pytest_plugins = [
    "tests.mail_fixtures",
    "tests.telegram_fixtures",
    "tests.replica_fixtures",
    "tests.crash_harness",
    "tests.crash_guard",
]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TOUCHPOINT_USER", "")
# Never the developer's real keyring: an in-memory one, chosen explicitly.
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attachments and other files of a test go to its own folder."""
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _thaw_heap() -> Iterator[None]:
    """A CLI run of `mail sync` or `run-due` inside a test freezes the heap
    (desktop/heap.py), which in a test worker holds every earlier test's
    leftovers: thawed after each test, so no test's garbage outlives it."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    bootstrap.ensure_initial_data(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    yield from servers.postgres_server()


_pg_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE tp_template"))
    admin.dispose()
    url = pg_admin_url.rsplit("/", 1)[0] + "/tp_template"
    db = open_database(url)
    bootstrap.ensure_initial_data(db)
    db.dispose()
    return "tp_template"


def _fresh_pg(pg_admin_url: str, template: str) -> str:
    name = f"tp_{os.getpid()}_{next(_pg_counter)}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    admin.dispose()
    return pg_admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh migrated database with the first-start data."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "touchpoint.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    admin_url: str = request.getfixturevalue("pg_admin_url")
    return _fresh_pg(admin_url, request.getfixturevalue("pg_template"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def actor(db: Database) -> Actor:
    with db.reader() as uow:
        return bootstrap.actor_for(uow)


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """For checks that need one backend only (corpus runs, SQLite pragmas)."""
    path = tmp_path / "touchpoint.sqlite3"
    shutil.copy(sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()


@dataclasses.dataclass(frozen=True)
class Team:
    """An administrator and two managers in one database: colleagues must
    show up wherever a person is picked, and each sees only what they may."""

    admin: Actor
    anna: Actor  # manager
    boris: Actor  # manager

    @property
    def everyone(self) -> tuple[Actor, ...]:
        return (self.admin, self.anna, self.boris)


def make_team(database: Database) -> Team:
    """Adds two managers (Cyrillic names) beside the first-start administrator."""
    from models import Role, User

    with database.uow() as uow:
        manager = uow.session.scalar(select(Role).where(Role.name == "Manager"))
        assert manager is not None
        uow.session.add_all(
            [
                User(login="anna", full_name="Анна Смирнова", role_id=manager.id),
                User(login="boris", full_name="Борис Петров", role_id=manager.id),
                User(
                    login="gone", full_name="Уволенный Сотрудник", role_id=manager.id, active=False
                ),
            ]
        )
        uow.commit()
    with database.reader() as uow:
        admin = bootstrap.actor_for(uow)
    with database.reader() as uow:
        anna = bootstrap.actor_for(uow, "anna")
    with database.reader() as uow:
        boris = bootstrap.actor_for(uow, "boris")
    return Team(admin=admin, anna=anna, boris=boris)


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def sqlite_team(sqlite_db: Database) -> Team:
    return make_team(sqlite_db)
