"""A record's row-level policy looks up the card it hangs on (#16, 0044).

0019 wrote "on a card the login sees" as ``client_id IN (SELECT id FROM
clients)``: a hash of every visible client (and contact person, and
interaction) built for each statement, so one pushed phone number cost a
scan of the team's data. 0044 writes the same rule as a correlated EXISTS
that PostgreSQL runs as one primary-key probe for a one-row statement.
Who sees and writes what is test_team_rls.py's (unchanged); here: the
plans, and that 0044's downgrade gives back 0043's policies exactly.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, text

from services.core import migrations
from services.parties import use_cases as parties
from tests.integration.team_rls_helpers import TeamDb, as_login
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres


def _policies(conn: Connection) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows = conn.execute(
        text(
            "SELECT tablename, policyname, permissive, roles, cmd, qual, with_check "
            "FROM pg_policies WHERE schemaname = 'public'"
        )
    )
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def _migrate(url: str, step: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        config = migrations.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            getattr(command, step)(config, revision)
    finally:
        engine.dispose()


def _read(url: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return _policies(conn)
    finally:
        engine.dispose()


def test_the_downgrade_gives_back_0043s_policies_exactly(
    team_db: TeamDb, pg_admin_url: str
) -> None:
    """A database only ever migrated to 0043 and one at head taken back to
    0043 have the same policies, character for character; at head no
    policy of 0044's tables hashes a table with IN."""
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS tp_only_0043"))
        conn.execute(text("CREATE DATABASE tp_only_0043"))
    admin.dispose()
    only_0043 = pg_admin_url.rsplit("/", 1)[0] + "/tp_only_0043"
    try:
        _migrate(only_0043, "upgrade", "0043")
        genuine = _read(only_0043)
    finally:
        admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS tp_only_0043 WITH (FORCE)"))
        admin.dispose()
    team_db.db.dispose()
    head = _read(team_db.url)
    probes: Any = importlib.import_module("models.migrations.versions.0044_record_policy_probes")
    tables = set(probes._rules())
    assert {"contacts", "contact_points", "interactions", "notes", "tasks"} <= tables
    for (table, _), (*_, qual, check) in head.items():
        if table in tables:
            assert " IN ( SELECT" not in f"{qual} {check}", (table, qual, check)
    assert head != genuine
    _migrate(team_db.url, "downgrade", "0043")
    assert _read(team_db.url) == genuine
    _migrate(team_db.url, "upgrade", "head")
    assert _read(team_db.url) == head


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for below in plan.get("Plans", []):
        found += _nodes(below)
    return found


def _colleagues_cards(team_db: TeamDb, clients: int) -> None:
    """Boris's ``clients`` clients with a contact person each, written as the
    owner; the tables analyzed, so the planner knows their size."""
    boris = team_db.actor("boris")
    with team_db.db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO clients (name, owner_id, uid, row_version, created_at, updated_at) "
                "SELECT 'ООО «Клиент ' || g || '»', :boris, gen_random_uuid()::text, 1, "
                "now(), now() FROM generate_series(1, :n) g"
            ),
            {"boris": boris.id, "n": clients},
        )
        conn.execute(
            text(
                "INSERT INTO contacts (full_name, client_id, uid, row_version, created_at, "
                "updated_at) SELECT 'Сидоров ' || c.id, c.id, gen_random_uuid()::text, 1, "
                "now(), now() FROM clients c WHERE c.owner_id = :boris"
            ),
            {"boris": boris.id},
        )
    with team_db.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE clients, leads, contacts, contact_points"))


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO contact_points (uid, kind, raw, normalized, contact_id, row_version, "
        "created_at, updated_at) VALUES ('0192a6c4-0000-7000-8000-00000000cafe', 'phone', "
        "'+7 843 765-43-21', '+78437654321', :contact, 1, now(), now())",
        "UPDATE contacts SET position = 'Главный бухгалтер' WHERE id = :contact",
        "SELECT full_name FROM contacts WHERE id = :contact",
    ],
)
def test_a_record_written_probes_its_card_not_the_whole_team(
    team_db: TeamDb, statement: str
) -> None:
    """One contact person's phone, one contact person's edit or read: the
    plan reads each card it checks by its key, one row; not every client or
    contact person Anna sees (four clients, eight contact persons here, in
    a team of 2,000 more), hashed for the statement; and it is still hers
    to write (no refusal; rolled back)."""
    anna = team_db.actor("anna")
    _colleagues_cards(team_db, 2_000)
    for name in ("ООО «Ромашка»", "АО «Василёк»", "ИП Ландышев", "ООО «Клевер»"):
        client = parties.add_client(team_db.db, anna, name).value
        for person in ("Иван Петров", "Мария Сидорова"):
            contact = parties.add_contact(team_db.db, anna, person, client_id=client.id).value
    params = {"contact": contact.id, "client": client.id, "me": anna.id}
    with as_login(team_db, "anna") as conn:
        [[plan]] = conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}"), params).all()
        read = {
            (n["Relation Name"], n["Actual Rows"])
            for n in _nodes(plan[0]["Plan"])
            if n.get("Relation Name") in ("clients", "leads", "contacts") and n["Actual Loops"]
        }
        assert read, plan
        assert all(rows <= 1 for _, rows in read), read
