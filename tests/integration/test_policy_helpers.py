"""The policies' helper functions keep their plans and call no other (#16, 0045).

0019's ``tp_sees_all``, ``tp_owners``, ``tp_shared`` (and the rest) were
SQL functions, planned again for every statement, and the first three
called ``tp_may`` or ``tp_me``, planned again too: ~0.4 ms of a one-row
write. 0045 makes each a PL/pgSQL function of one query. Who sees and
writes what is test_team_rls.py's (unchanged); here: each helper gives
every login the same answer as before, a card's read calls no helper from
inside another, and the downgrade gives back 0044's functions exactly.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, text

from services.parties import shares
from services.parties import use_cases as parties
from tests.integration.team_rls_helpers import TeamDb, as_login, user_id
from tests.integration.test_record_policy_probes import _migrate
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres

HELPERS = ("tp_me", "tp_may", "tp_role_id", "tp_sees_all", "tp_owners", "tp_shared")
ANSWERS = (
    "SELECT tp_me(), tp_may('clients.view_department'), tp_may('deals'), tp_may('нет такого'), "
    "tp_role_id(), tp_sees_all(), tp_owners(), tp_shared('client'), tp_shared('lead')"
)


def _functions(conn: Connection) -> dict[str, tuple[Any, ...]]:
    rows = conn.execute(
        text(
            "SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid), p.proowner, "
            "p.proacl::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname = ANY(:names)"
        ),
        {"names": list(HELPERS)},
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def _read(url: str) -> tuple[dict[str, tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The helpers' definitions and the policies, as the owner reads them."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            policies = conn.execute(
                text(
                    "SELECT tablename, policyname, permissive, roles, cmd, qual, with_check "
                    "FROM pg_policies WHERE schemaname = 'public'"
                )
            )
            return _functions(conn), {(r[0], r[1], *map(str, r[2:])) for r in policies}
    finally:
        engine.dispose()


def _team_of_every_kind(team_db: TeamDb) -> None:
    """Boris stands in for Anna (until next week), Anna for the head (ended
    yesterday); one of Anna's clients and one lead shared with Boris; the
    reader's login deactivated."""
    anna = team_db.actor("anna")
    client = parties.add_client(team_db.db, anna, "ООО «Ромашка»").value
    lead = parties.add_lead(team_db.db, anna, "Пётр Лидов").value
    for kind, record in (("client", client.id), ("lead", lead.id)):
        shares.set_shared(team_db.db, anna, kind, record, team_db.logins["boris"], shared=True)
    ids = {who: user_id(team_db, who) for who in ("anna", "boris", "head")}
    with team_db.db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO deputies (absent_id, deputy_id, until) VALUES "
                "(:anna, :boris, now() + interval '7 days'),"
                " (:head, :anna, now() - interval '1 day')"
            ),
            ids,
        )
        conn.execute(
            text("UPDATE users SET active = false WHERE login = :login"),
            {"login": team_db.logins["reader"]},
        )


def _answers(team_db: TeamDb) -> dict[str, tuple[Any, ...]]:
    found = {}
    for who in team_db.logins:
        with as_login(team_db, who) as conn:
            found[who] = tuple(conn.execute(text(ANSWERS)).one())
    for engine in team_db.engines.values():
        engine.dispose()
    return found


def test_each_login_gets_the_same_answers_and_the_downgrade_gives_back_0044(
    team_db: TeamDb, pg_admin_url: str
) -> None:
    """Every helper answers each login (an administrator, a head, two
    managers, one a deputy and shared a card, a deactivated reader) as 0044's
    did; a database only ever migrated to 0044 and one at head taken back to
    0044 have the same functions and policies, character for character."""
    _team_of_every_kind(team_db)
    now = _answers(team_db)
    assert now["boris"][6] == sorted([user_id(team_db, "anna"), user_id(team_db, "boris")])
    assert len(now["boris"][7]) == len(now["boris"][8]) == 1
    assert now["head"][1] is True
    assert now["admin"][5] is True
    assert now["reader"][0] is None
    assert now["reader"][6] == []
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS tp_only_0044"))
        conn.execute(text("CREATE DATABASE tp_only_0044"))
    admin.dispose()
    only_0044 = pg_admin_url.rsplit("/", 1)[0] + "/tp_only_0044"
    try:
        _migrate(only_0044, "upgrade", "0044")
        genuine = _read(only_0044)
    finally:
        admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS tp_only_0044 WITH (FORCE)"))
        admin.dispose()
    team_db.db.dispose()
    head = _read(team_db.url)
    assert len(head[0]) == len(HELPERS)
    assert all("LANGUAGE plpgsql" in f[0] for f in head[0].values()), head[0]
    _migrate(team_db.url, "downgrade", "0044")
    assert _read(team_db.url) == genuine
    assert _answers(team_db) == now
    _migrate(team_db.url, "upgrade", "head")
    assert _read(team_db.url) == head


def test_a_cards_read_runs_no_helper_inside_another(team_db: TeamDb) -> None:
    """Anna reads the contact persons (hers and Boris's): the policies call
    ``tp_sees_all``, ``tp_owners`` and ``tp_shared``, and those call nothing
    (before 0045 each called ``tp_may`` or ``tp_me``: more functions
    planned per statement)."""
    for who, client_name, person in (
        ("anna", "АО «Василёк»", "Мария Сидорова"),
        ("boris", "ООО «Клевер»", "Иван Петров"),
    ):
        actor = team_db.actor(who)
        client = parties.add_client(team_db.db, actor, client_name).value
        parties.add_contact(team_db.db, actor, person, client_id=client.id)
    with team_db.db.engine.begin() as conn:
        conn.execute(
            text(f"ALTER ROLE {team_db.logins['anna']} SET track_functions = 'all'"),
        )
    with as_login(team_db, "anna") as conn:
        names = conn.execute(text("SELECT full_name FROM contacts")).scalars().all()
        calls = dict(
            conn.execute(
                text(
                    "SELECT funcname, calls FROM pg_stat_xact_user_functions "
                    "WHERE funcname LIKE 'tp\\_%'"
                )
            ).all()
        )
    assert names == ["Мария Сидорова"]
    assert {"tp_sees_all", "tp_owners", "tp_shared"} <= set(calls), calls
    assert not {"tp_may", "tp_me"} & set(calls), calls
