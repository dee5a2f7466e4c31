"""Sharing a card on a team database (#19 gap), each colleague as their own
PostgreSQL login: once Anna shares a client with Boris, his login sees it
and what is on it, through the app and from raw SQL alike, and nothing else
of hers; once she stops, it is gone for him again. Row-level security
(``tp_shared``) is the guard here, not only the service layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.core.access import Actor, PermissionDenied
from services.core.bootstrap import session_actor
from services.core.errors import NotFoundError
from services.core.storage import Database, open_database
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.parties import records as parties
from services.parties import shares
from services.parties import use_cases as creating
from tests.integration.team_rls_helpers import TeamDb, as_login
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@contextmanager
def _login(team_db: TeamDb, who: str) -> Iterator[tuple[Database, Actor]]:
    """The app's database as ``who``'s own login, and who that is."""
    db = open_database(team_db.url_of(who))
    try:
        with db.reader() as uow:
            actor = session_actor(uow)
        yield db, actor
    finally:
        db.dispose()


def _card(db: Database, anna: Actor, name: str) -> tuple[int, int]:
    client = creating.add_client(db, anna, name).value
    call = interactions.log_interaction(
        db,
        anna,
        ix.NewInteraction(type="call", planned=False, start=START, client_id=client.id),
    ).value
    return client.id, call.id


def _raw(team_db: TeamDb, who: str) -> tuple[set[str], set[int]]:
    """Client names and interaction ids ``who``'s login reads with plain SQL."""
    with as_login(team_db, who) as conn:
        names = set(conn.execute(text("SELECT name FROM clients")).scalars())
        calls = set(conn.execute(text("SELECT id FROM interactions")).scalars())
    return names, calls


def test_a_shared_client_is_seen_by_the_colleagues_login_and_nothing_else(
    team_db: TeamDb,
) -> None:
    with _login(team_db, "anna") as (anna_db, anna):
        shared, shared_call = _card(anna_db, anna, "ООО Общая карточка")
        private, private_call = _card(anna_db, anna, "ООО Личная карточка Анны")
        with _login(team_db, "boris") as (boris_db, boris):
            assert _raw(team_db, "boris") == (set(), set())
            with boris_db.reader() as uow, pytest.raises((PermissionDenied, NotFoundError)):
                parties.get_client(uow, boris, shared)

            shares.set_shared(anna_db, anna, "client", shared, boris.login, shared=True)
            assert _raw(team_db, "boris") == ({"ООО Общая карточка"}, {shared_call})
            with boris_db.reader() as uow:
                assert parties.get_client(uow, boris, shared).name == "ООО Общая карточка"
                assert ix.get(uow, boris, shared_call).client_id == shared
                assert [c.name for c in parties.list_clients(uow, boris)] == ["ООО Общая карточка"]
                for refused in (
                    lambda: parties.get_client(uow, boris, private),
                    lambda: ix.get(uow, boris, private_call),
                ):
                    with pytest.raises((PermissionDenied, NotFoundError)):
                        refused()
            # From raw SQL Boris's login neither shares Anna's other card with
            # himself nor passes the shared one on: the owner's side writes shares.
            head = team_db.actor("head").id
            for client_id, user_id in ((private, boris.id), (shared, head)):
                with as_login(team_db, "boris") as conn, pytest.raises(DBAPIError) as refused:
                    conn.execute(
                        text("INSERT INTO party_shares (client_id, user_id) VALUES (:c, :u)"),
                        {"c": client_id, "u": user_id},
                    )
                assert "row-level security" in str(refused.value)
            with as_login(team_db, "boris") as conn:
                gone = conn.execute(text("DELETE FROM party_shares")).rowcount
            assert gone == 0  # nor does he drop Anna's share
            assert _raw(team_db, "boris") == ({"ООО Общая карточка"}, {shared_call})

            shares.set_shared(anna_db, anna, "client", shared, boris.login, shared=False)
            assert _raw(team_db, "boris") == (set(), set())
            with boris_db.reader() as uow, pytest.raises((PermissionDenied, NotFoundError)):
                parties.get_client(uow, boris, shared)
        # Anna's own login saw both cards throughout.
        assert _raw(team_db, "anna")[0] == {"ООО Общая карточка", "ООО Личная карточка Анны"}
