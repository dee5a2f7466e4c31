"""team databases: a record's policy looks up the card it hangs on, not every card

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07

Issue #16 (bench/README.md, "replica.py"). 0019 wrote "this row hangs on
a card the login sees" as ``client_id IN (SELECT id FROM clients)`` (and
the same for leads, contact persons, interactions, notes, deals, mail
accounts and messages, inbound requests and scenario runs). An
uncorrelated ``IN`` is always run as a hashed subplan: every row of the
named table the login sees, read under that table's own policy, hashed
per statement. Fine for a list of a thousand rows; for one row it is a
scan of the team's data: a pushed contact person's phone (``INSERT INTO
contact_points``) cost ~6 ms at 1,000 clients and grows with them.

Now the same rule as a correlated ``EXISTS (SELECT FROM clients x WHERE
x.id = contacts.client_id)``. PostgreSQL plans it both ways and keeps the
cheaper for the rows expected: one primary-key probe (under the named
table's own policy, on that one row) for a statement on a few rows, the
same hash as before for a long read. ``a IN (SELECT id FROM t)`` and
``EXISTS (SELECT FROM t x WHERE x.id = a)`` hold for the same rows (a
policy takes a NULL as false), so what a login sees and may write is
unchanged. party_shares is left as 0029 made it.

SQLite: nothing.
"""

import re
from collections.abc import Sequence

from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEPT = ("party_shares",)  # 0029 wrote its own policies
_IN = re.compile(r"(\w+) IN \(SELECT id FROM (\w+)\)")


def _module(name: str) -> object:
    import importlib

    return importlib.import_module(f"models.migrations.versions.{name}")


def _rules() -> dict[str, tuple[str, str]]:
    """0019's (seen, write) rules of the tables that name a card with IN."""
    module = _module("0019_team_row_level_security")
    rules: dict[str, tuple[str, str]] = {}
    for table, rule in module.POLICIES.items():  # type: ignore[attr-defined]
        seen, write = rule if isinstance(rule, tuple) else (rule, rule)
        if table not in KEPT and (_IN.search(seen) or _IN.search(write)):
            rules[table] = (seen, write)
    return rules


def probe(table: str, rule: str) -> str:
    """``rule`` of a policy on ``table`` with each ``IN`` a correlated EXISTS."""
    return _IN.sub(lambda m: f"EXISTS (SELECT FROM {m[2]} x WHERE x.id = {table}.{m[1]})", rule)


def _policies(table: str, seen: str, write: str) -> None:
    """0019's four policies on ``table``, on these rules."""
    all_ = "(SELECT tp_sees_all())"
    for command in ("select", "insert", "update", "delete"):
        op.execute(f"DROP POLICY IF EXISTS tp_{command} ON {table}")
    op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({all_} OR {seen})")
    op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({all_} OR {write})")
    op.execute(
        f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({all_} OR {seen}) "
        f"WITH CHECK ({all_} OR {write})"
    )
    op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({all_} OR {write})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, (seen, write) in _rules().items():
            _policies(table, probe(table, seen), probe(table, write))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, (seen, write) in _rules().items():
            _policies(table, seen, write)
