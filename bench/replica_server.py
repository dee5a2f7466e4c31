"""The PostgreSQL side of ``bench/replica.py``: scratch databases on a
cluster (the tests' own server unless ``--pg``), a copy of the server taken
before a sync for the baseline, the team database with its manager login,
and the colleague's week written on it.

Apart from the measurements so that ``replica.py`` reads as what is timed
against what; the cluster's statements are written once here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from models import Client, Contact, ContactPoint, Deal, Interaction, Note, Stage
from services.core import bootstrap, team
from services.core.storage import open_database
from services.parties import custom_fields

START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # the Monday the week starts


@contextmanager
def cluster(pg: str | None) -> Iterator[str]:
    if pg:
        yield pg
        return
    from tests import servers

    yield from servers.postgres_server()


def _admin(admin_url: str, *statements: tuple[str, dict[str, Any]]) -> None:
    """Statements a database cannot run inside itself (CREATE, DROP DATABASE)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement, params in statements:
                conn.execute(text(statement), params)
    finally:
        admin.dispose()


def url_of(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop(admin_url: str, name: str) -> None:
    _admin(admin_url, (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", {}))


@contextmanager
def database(admin_url: str, name: str) -> Iterator[str]:
    _admin(admin_url, (f"CREATE DATABASE {name}", {}))
    try:
        yield url_of(admin_url, name)
    finally:
        drop(admin_url, name)


def copy_of(admin_url: str, url: str, name: str) -> str:
    """A copy of the database at ``url`` (CREATE DATABASE … TEMPLATE)."""
    source = make_url(url).database
    _admin(
        admin_url,
        (
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d",
            {"d": source},
        ),
        (f"CREATE DATABASE {name} TEMPLATE {source}", {}),
    )
    return url_of(admin_url, name)


def make_team(url: str) -> str:
    """A team database with one manager login."""
    db = open_database(url, upgrade=False)
    team.init(db)
    with db.reader() as uow:
        owner = bootstrap.actor_for(uow, uow.session.execute(text("SELECT session_user")).scalar())
    manager = team.add_user(
        db, owner, f"field_{os.getpid()}", "manager", full_name="Полевой Менеджер"
    )
    # A client field the week's changes set and clear (reference data: it comes down).
    custom_fields.add_field(db, owner, "client", "visit", "Visit", label_ru="Визит")
    db.dispose()
    return manager.login


def build(url: str, login: str, clients: int) -> None:
    """A week of work on the manager's clients, written on the server."""
    db = open_database(url, upgrade=False)
    with db.reader() as uow:
        me = bootstrap.actor_for(uow, login)
        stage = uow.session.scalar(select(Stage).order_by(Stage.id))
        assert stage is not None
        pipeline_id, stage_id = stage.pipeline_id, stage.id
    for first in range(0, clients, 200):
        with db.uow() as uow:
            s = uow.session
            for n in range(first, min(first + 200, clients)):
                client = Client(name=f"ООО «Клиент {n}»", owner_id=me.id, address=f"Улица {n}")
                s.add(client)
                s.flush()
                s.add_all(
                    [
                        Contact(full_name=f"Иванов {n}", client_id=client.id),
                        Contact(full_name=f"Петрова {n}", client_id=client.id),
                        ContactPoint(
                            kind="email",
                            raw=f"c{n}@example.test",
                            normalized=f"c{n}@example.test",
                            client_id=client.id,
                        ),
                        Deal(
                            title=f"Поставка {n}",
                            pipeline_id=pipeline_id,
                            stage_id=stage_id,
                            owner_id=me.id,
                            client_id=client.id,
                        ),
                        Note(client_id=client.id, author_id=me.id, body=f"Заметка {n}"),
                        *(
                            Interaction(
                                type="call",
                                direction="out",
                                state="done",
                                start_local=(START + dt.timedelta(hours=k)).replace(tzinfo=None),
                                start_tz="UTC",
                                start_utc=START + dt.timedelta(hours=k),
                                owner_id=me.id,
                                client_id=client.id,
                                subject=f"Звонок {n}.{k}",
                            )
                            for k in range(4)
                        ),
                    ]
                )
            uow.commit()
    db.dispose()
