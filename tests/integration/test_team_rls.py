"""Team mode on the real PostgreSQL (#19): each colleague connects as their
own login; row-level security decides what raw SQL from that login sees and
changes, whatever program sends it."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text, tuple_, update
from sqlalchemy.exc import DBAPIError, ProgrammingError

import models
from desktop.cli import main
from services.core import team
from tests.integration.team_rls_helpers import (
    TeamDb,
    as_login,
    make_team,
    seed_world,
    snapshot,
)

pytestmark = pytest.mark.postgres

POLICIES: dict[str, object] = importlib.import_module(
    "models.migrations.versions.0019_team_row_level_security"
).POLICIES
# The replica sync's tables (#20) have policies of their own.
SYNC_POLICIES: dict[str, object] = importlib.import_module(
    "models.migrations.versions.0025_sync"
).POLICIES
# The bytes of attached files (#20) are readable where an attachment naming them is.
FILE_POLICIES: dict[str, object] = importlib.import_module(
    "models.migrations.versions.0032_attachment_files"
).POLICIES
CLIENT_TABLES = sorted(POLICIES)
# Tables without client data: who works here, how, and the app's own state.
NOT_CLIENT_DATA = {
    "alembic_version",
    "users",
    "roles",
    "pipelines",
    "stages",
    "interaction_types",
    "custom_fields",
    "settings",
    "email_templates",
    "scheduled_jobs",
    "calendar_days",
    "inbound_sources",
    "inbound_rules",
    "inbound_round_robin",
    "rejection_reasons",
    "scenarios",
    "scenario_steps",
}
# A colleague's own settings, not a card's: a head does not see them.
PERSONAL = {"mail_accounts", "mail_folders", "address_decisions", "import_runs", "deputies"}


@pytest.fixture
def team_db(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    yield tdb
    tdb.dispose()


@pytest.fixture
def worlds(team_db: TeamDb) -> dict[str, dict[str, set[tuple[object, ...]]]]:
    """The rows of anna's world and of boris's, per client-data table."""
    with team_db.db.engine.connect() as conn:
        before = snapshot(conn, CLIENT_TABLES)
    seed_world(team_db, "anna", "anna")
    with team_db.db.engine.connect() as conn:
        middle = snapshot(conn, CLIENT_TABLES)
    seed_world(team_db, "boris", "boris")
    with team_db.db.engine.connect() as conn:
        after = snapshot(conn, CLIENT_TABLES)
    anna = {t: middle[t] - before[t] for t in CLIENT_TABLES}
    boris = {t: after[t] - middle[t] for t in CLIENT_TABLES}
    empty = [t for t in CLIENT_TABLES if not anna[t] or not boris[t]]
    assert not empty, f"the test worlds have no rows in {empty}"
    return {"anna": anna, "boris": boris, "all": after}


def _expected(who: str, table: str, worlds: dict[str, dict[str, set]]) -> set:
    if who in ("admin", "reader"):
        return worlds["all"][table]
    if who == "head":  # head of anna's department
        return set() if table in PERSONAL else worlds["anna"][table]
    return worlds[who][table]


@pytest.mark.parametrize("who", ["admin", "head", "anna", "boris", "reader"])
def test_each_role_sees_exactly_its_rows_in_every_client_table(
    team_db: TeamDb, worlds: dict[str, dict[str, set]], who: str
) -> None:
    with as_login(team_db, who) as conn:
        seen = snapshot(conn, CLIENT_TABLES)
    wrong = {
        t: (len(seen[t]), len(_expected(who, t, worlds)))
        for t in CLIENT_TABLES
        if seen[t] != _expected(who, t, worlds)
    }
    assert not wrong, f"{who} sees (rows, expected rows): {wrong}"


def _is_rls_refusal(exc: DBAPIError) -> bool:
    """A policy's refusal, or 0047's on a colleague's note's mentions, or
    0049's on a note written in a colleague's name (their BEFORE trigger runs
    before the policy's check, with no unique key read)."""
    said = str(exc.orig)
    return any(
        words in said
        for words in (
            "row-level security",
            "is a colleague's: only its author",
            "a new note is signed by its writer",
        )
    )


def _rows_of(team_db: TeamDb, table: str, keys: set) -> list[dict[str, object]]:
    """The full rows (generated columns left out) as the owner reads them."""
    meta = MetaData()
    with team_db.db.engine.connect() as conn:
        meta.reflect(conn, only=[table])
        generated = set(
            conn.execute(
                text(
                    "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass)"
                    " AND attgenerated <> ''"
                ),
                {"t": table},
            ).scalars()
        )
        t = meta.tables[table]
        rows = [dict(r._mapping) for r in conn.execute(select(t))]
    pk = [c.name for c in t.primary_key.columns]
    return [
        {k: v for k, v in row.items() if k not in generated}
        for row in rows
        if tuple(row[c] for c in pk) in keys
    ]


@pytest.mark.parametrize("who", ["head", "anna"])
def test_a_manager_cannot_insert_update_or_delete_another_managers_rows(
    team_db: TeamDb, worlds: dict[str, dict[str, set]], who: str
) -> None:
    meta = MetaData()
    with team_db.db.engine.connect() as conn:
        meta.reflect(conn, only=CLIENT_TABLES)
    for table in CLIENT_TABLES:
        t = meta.tables[table]
        pk = list(t.primary_key.columns)
        boris_rows = worlds["boris"][table]
        with as_login(team_db, who) as conn:
            changed = conn.execute(
                update(t).where(tuple_(*pk).in_(list(boris_rows))).values({pk[0].name: pk[0]})
            )
            assert changed.rowcount == 0, f"{who} updated boris's {table}"
            deleted = conn.execute(t.delete().where(tuple_(*pk).in_(list(boris_rows))))
            assert deleted.rowcount == 0, f"{who} deleted boris's {table}"
        # A copy of boris's row (same keys) is refused by the policy before
        # any unique key could tell it exists.
        for row in _rows_of(team_db, table, boris_rows)[:1]:
            with as_login(team_db, who) as conn, pytest.raises(DBAPIError) as refused:
                conn.execute(insert(t).values(row))
            # The request queue lets whoever sees a request hand it to anyone.
            open_to_write = isinstance(POLICIES[table], tuple) and POLICIES[table][1] == "true"
            assert _is_rls_refusal(refused.value) != open_to_write, (
                table,
                str(refused.value.orig),
            )


def test_a_manager_changes_own_rows_and_raw_sql_names_nothing_else(
    team_db: TeamDb, worlds: dict[str, dict[str, set]]
) -> None:
    (anna_client,) = {k[0] for k in worlds["anna"]["clients"]}
    (boris_client,) = {k[0] for k in worlds["boris"]["clients"]}
    with as_login(team_db, "anna") as conn:
        done = conn.execute(
            text("UPDATE clients SET name = 'ООО Анна и партнёры' WHERE id IN (:a, :b)"),
            {"a": anna_client, "b": boris_client},
        )
        assert done.rowcount == 1
        names = conn.execute(text("SELECT name FROM clients")).scalars().all()
        assert names == ["ООО Анна и партнёры"]
    with as_login(team_db, "anna") as conn:
        # Handing her client to boris would put it out of her sight: refused
        # (unless it stays shared with her: the test world shares it).
        conn.execute(text("DELETE FROM party_shares"))
        boris_id = team_db.actor("boris").id
        with pytest.raises(DBAPIError) as refused:
            conn.execute(
                text("UPDATE clients SET owner_id = :b WHERE id = :a"),
                {"a": anna_client, "b": boris_id},
            )
        assert _is_rls_refusal(refused.value)
    with as_login(team_db, "anna") as conn:
        # Her colleague's interactions do not even show in a count.
        total = conn.execute(text("SELECT count(*) FROM interactions")).scalar_one()
        assert total == len(worlds["anna"]["interactions"])


def test_read_only_and_managers_lack_the_grants_they_should_lack(
    team_db: TeamDb, worlds: dict[str, dict[str, set]]
) -> None:
    with as_login(team_db, "reader") as conn, pytest.raises(ProgrammingError) as denied:
        conn.execute(text("UPDATE clients SET name = name"))
    assert "permission denied" in str(denied.value.orig)
    for statement in (
        "UPDATE users SET department = 'Юг'",
        "UPDATE roles SET permissions = '[\"clients.view_all\"]'",
        "INSERT INTO settings (key, value) VALUES ('x', 'y')",
        "CREATE TABLE mine (id int)",
    ):
        with as_login(team_db, "anna") as conn, pytest.raises(ProgrammingError) as denied:
            conn.execute(text(statement))
        assert "permission denied" in str(denied.value.orig), statement


def test_every_table_with_client_data_has_policies(team_db: TeamDb) -> None:
    """Policy coverage: a new table is either listed here as holding no
    client data or gets row-level security with a policy per command."""
    with team_db.db.engine.connect() as conn:
        secured = dict(
            conn.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind = 'r'"
                )
            ).all()
        )
        commands = {
            (row.tablename, row.cmd)
            for row in conn.execute(
                text("SELECT tablename, cmd FROM pg_policies WHERE schemaname = 'public'")
            )
        }
    unclassified = []
    for table in models.Base.metadata.tables:
        if table in NOT_CLIENT_DATA:
            continue
        covered = secured.get(table) and all(
            (table, cmd) in commands for cmd in ("SELECT", "INSERT", "UPDATE", "DELETE")
        )
        if not covered:
            unclassified.append(table)
    assert not unclassified, (
        f"tables with no row-level security policy: {unclassified}; add a policy "
        "(see migration 0019) or list them in NOT_CLIENT_DATA if they hold no client data"
    )
    assert set(CLIENT_TABLES) <= set(models.Base.metadata.tables)


def test_a_role_change_takes_effect_at_the_next_query(
    team_db: TeamDb, worlds: dict[str, dict[str, set]]
) -> None:
    owner = team_db.actor("admin")
    with team_db.engine("anna").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM clients")).scalar_one() == 1
        conn.rollback()
        team.set_role(team_db.db, owner, team_db.logins["anna"], "head", department="Юг")
        # Same connection, next statement: boris's department is hers now.
        assert conn.execute(text("SELECT count(*) FROM clients")).scalar_one() == 2
        conn.rollback()
        team.deactivate(team_db.db, owner, team_db.logins["anna"])
        assert conn.execute(text("SELECT count(*) FROM clients")).scalar_one() == 0
        conn.rollback()
    fresh = create_engine(team_db.url_of("anna"))
    try:
        with pytest.raises(DBAPIError) as refused, fresh.connect():
            pass
    finally:
        fresh.dispose()
    assert "not permitted to log in" in str(refused.value.orig)


def test_a_deputy_sees_the_absent_colleagues_clients_until_the_date(
    team_db: TeamDb, worlds: dict[str, dict[str, set]]
) -> None:
    anna, boris = team_db.actor("anna"), team_db.actor("boris")
    with team_db.engine("boris").connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM clients")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO deputies (absent_id, deputy_id, until) "
                "VALUES (:a, :d, now() + interval '1 day')"
            ),
            {"a": boris.id, "d": anna.id},
        )
        conn.commit()
    with as_login(team_db, "anna") as conn:
        names = set(conn.execute(text("SELECT name FROM clients")).scalars())
        assert names == {"ООО anna", "ООО boris"}
        # Only the absent colleague names a deputy for themselves.
        with pytest.raises(DBAPIError) as refused:
            conn.execute(
                text(
                    "INSERT INTO deputies (absent_id, deputy_id, until) "
                    "VALUES (:a, :d, now() + interval '1 day')"
                ),
                {"a": team_db.actor("head").id, "d": anna.id},
            )
        assert _is_rls_refusal(refused.value)
    with team_db.engine("boris").connect() as conn:
        conn.execute(
            text(
                "UPDATE deputies SET until = now() - interval '1 second'"
                " WHERE absent_id = :a AND deputy_id = :d"
            ),
            {"a": boris.id, "d": anna.id},
        )
        conn.commit()
    with as_login(team_db, "anna") as conn:
        assert conn.execute(text("SELECT count(*) FROM clients")).scalar_one() == before


def test_admin_init_and_add_user_from_the_command_line(
    pg_admin_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE tp_team_cli"))
    admin.dispose()
    url = pg_admin_url.rsplit("/", 1)[0] + "/tp_team_cli"
    capsys.readouterr()
    assert main(["--db", url, "admin", "init", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["groups"] == ["tp_admin", "tp_head", "tp_manager", "tp_readonly"]
    assert status["tables_with_policies"] == len(POLICIES) + len(SYNC_POLICIES) + len(FILE_POLICIES)
    assert status["administrator"] == "postgres"
    assert main(["--db", url, "admin", "init"]) == 0  # again: nothing changes
    capsys.readouterr()
    assert (
        main(
            [
                "--db",
                url,
                "admin",
                "add-user",
                "vera_cli",
                "--role",
                "manager",
                "--name",
                "Вера Кузнецова",
                "--department",
                "Север",
                "--json",
            ]
        )
        == 0
    )
    vera = json.loads(capsys.readouterr().out)
    assert vera["full_name"] == "Вера Кузнецова"
    assert vera["role"] == "manager"
    assert vera["department"] == "Север"
    assert len(vera["password"]) >= 20
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("пароль-Ёлки 1\n"))
    assert (
        main(
            ["--db", url, "admin", "add-user", "gleb_cli", "--role", "readonly", "--password-stdin"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "password" not in out
    assert "gleb_cli" in out
    assert main(["--db", url, "admin", "add-user", "vera_cli", "--role", "manager"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["--db", url, "admin", "add-user", "pg_evil", "--role", "manager"]) == 2
    assert main(["--db", url, "admin", "add-user", "x", "--role", "boss"]) == 2
    assert "Unknown role" in capsys.readouterr().err
    # The new colleague acts as herself and sees an empty client list.
    vera_url = url.replace("postgres@", "vera_cli@")
    assert main(["--db", vera_url, "clients", "add", "ООО Вера", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["owner_name"] == "Вера Кузнецова"
    assert main(["--db", vera_url, "admin", "add-user", "z1", "--role", "admin"]) == 2
    assert "may not do this: the role does not allow changing settings" in (capsys.readouterr().err)
    assert main(["--db", url, "admin", "set-role", "vera_cli", "readonly", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "readonly"
    assert main(["--db", vera_url, "clients", "add", "ООО Вера 2"]) == 2
    assert "Вера Кузнецова may not do this" in capsys.readouterr().err
    assert main(["--db", url, "admin", "deactivate", "vera_cli"]) == 0
    capsys.readouterr()
    assert main(["--db", vera_url, "clients", "list"]) == 2
    assert "not permitted to log in" in capsys.readouterr().err


def test_a_login_without_a_touchpoint_user_is_refused(team_db: TeamDb) -> None:
    admin = create_engine(team_db.db.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE ROLE "stray_1" LOGIN IN ROLE tp_manager'))
    admin.dispose()
    url = team_db.url_of("anna").replace(team_db.logins["anna"], "stray_1")
    assert main(["--db", url, "clients", "list"]) == 2


def test_admin_commands_refuse_sqlite(
    sqlite_db: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_db.url  # type: ignore[attr-defined]
    assert main(["--db", url, "admin", "add-user", "ivan", "--role", "manager"]) == 2
    assert "team database is a PostgreSQL server" in capsys.readouterr().err


def test_a_write_the_policies_refuse_is_a_message_through_the_app(
    team_db: TeamDb, worlds: dict[str, dict[str, set]]
) -> None:
    """A manager handing her client away would lose sight of it: on a team
    database a head hands clients over within the department, an
    administrator anywhere."""
    from services.core.errors import RefusedByDatabase
    from services.core.storage import open_database
    from services.parties import transfers

    with team_db.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM party_shares"))
    (anna_client,) = {k[0] for k in worlds["anna"]["clients"]}
    anna_db = open_database(team_db.url_of("anna"))
    try:
        with anna_db.reader() as uow:
            from services.core.bootstrap import session_actor

            anna = session_actor(uow)
        with pytest.raises(RefusedByDatabase, match="row-level security"):
            transfers.transfer(anna_db, anna, "client", anna_client, team_db.logins["boris"])
    finally:
        anna_db.dispose()
    head_db = open_database(team_db.url_of("head"))
    try:
        with head_db.reader() as uow:
            from services.core.bootstrap import session_actor

            head = session_actor(uow)
        done = transfers.transfer(head_db, head, "client", anna_client, team_db.logins["head"])
        assert done.value.to_owner_id == head.id
        assert done.value.planned == 0
        assert done.value.deals == 1
    finally:
        head_db.dispose()
