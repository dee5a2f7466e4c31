"""team databases: the policies' helper functions keep their plans

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-07

Issue #16 (bench/README.md, "replica.py"). 0019's helpers (``tp_me``,
``tp_may``, ``tp_role_id``, ``tp_sees_all``, ``tp_owners``, ``tp_shared``)
are ``LANGUAGE sql ... SECURITY DEFINER``: PostgreSQL cannot inline them,
and a SQL function's body is parsed and planned again for every statement
that calls it; ``tp_sees_all`` and ``tp_owners`` call ``tp_may`` and
``tp_shared`` calls ``tp_me``, each planned again too. A policy names them
once per table it checks (``(SELECT tp_sees_all())`` per table, per
command), so a pushed one-row write paid ~0.4 ms of planning helpers: the
week's sync ran ~34,000 of them for 2,000 changes.

Now each is PL/pgSQL, which keeps its query's plan for the session, and
none calls another: the permission check is written out where
``tp_sees_all`` and ``tp_owners`` called ``tp_may``, the login's id where
``tp_shared`` called ``tp_me``. Same queries, same results (``SELECT ...
INTO`` takes the first row as a SQL function does; ``users.login`` is
unique), same owner, ``STABLE``, ``SECURITY DEFINER`` and search_path; the
policies are unchanged. Downgrade gives back 0019's SQL functions.

SQLite: nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEAD = "LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$"
# The login's permission ``{}`` as tp_may reads it, for a query of its own.
MAY = (
    "(SELECT coalesce(bool_or(r.permissions::jsonb ? {}), false)"
    " FROM users u JOIN roles r ON r.id = u.role_id"
    " WHERE u.login = session_user AND u.active)"
)

FUNCTIONS = {
    "tp_me()": f"""
CREATE OR REPLACE FUNCTION tp_me() RETURNS integer
{HEAD}
DECLARE found integer;
BEGIN
  SELECT id INTO found FROM users WHERE login = session_user AND active;
  RETURN found;
END
$$""",
    "tp_may(text)": f"""
CREATE OR REPLACE FUNCTION tp_may(permission text) RETURNS boolean
{HEAD}
BEGIN
  RETURN {MAY.format("permission")};
END
$$""",
    "tp_role_id()": f"""
CREATE OR REPLACE FUNCTION tp_role_id() RETURNS integer
{HEAD}
DECLARE found integer;
BEGIN
  SELECT role_id INTO found FROM users WHERE login = session_user AND active;
  RETURN found;
END
$$""",
    "tp_sees_all()": f"""
CREATE OR REPLACE FUNCTION tp_sees_all() RETURNS boolean
{HEAD}
BEGIN
  RETURN {MAY.format("'clients.view_all'")};
END
$$""",
    "tp_owners()": f"""
CREATE OR REPLACE FUNCTION tp_owners() RETURNS integer[]
{HEAD}
BEGIN
  RETURN (
    WITH me AS (SELECT id, department FROM users WHERE login = session_user AND active)
    SELECT coalesce(array_agg(DISTINCT owner), '{{}}') FROM (
      SELECT id AS owner FROM me
      UNION ALL
      SELECT d.absent_id FROM deputies d JOIN me ON d.deputy_id = me.id
        WHERE d.until > now()
      UNION ALL
      SELECT u.id FROM users u JOIN me ON u.department = me.department
        WHERE me.department IS NOT NULL AND {MAY.format("'clients.view_department'")}
    ) owners
  );
END
$$""",
    "tp_shared(text)": f"""
CREATE OR REPLACE FUNCTION tp_shared(kind text) RETURNS integer[]
{HEAD}
BEGIN
  RETURN (
    SELECT coalesce(
      array_agg(CASE WHEN kind = 'client' THEN client_id ELSE lead_id END), '{{}}')
    FROM party_shares
    WHERE user_id = (SELECT id FROM users WHERE login = session_user AND active LIMIT 1)
      AND (CASE WHEN kind = 'client' THEN client_id ELSE lead_id END) IS NOT NULL
  );
END
$$""",
}


def _original(signature: str) -> str:
    """0019's ``CREATE OR REPLACE FUNCTION`` of ``signature``."""
    import importlib

    module = importlib.import_module("models.migrations.versions.0019_team_row_level_security")
    name = signature.split("(")[0]
    (statement,) = (
        s
        for s in module.FUNCTIONS.split("\n\n")  # type: ignore[attr-defined]
        if f"FUNCTION {name}(" in s
    )
    return statement


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in FUNCTIONS.values():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for signature in FUNCTIONS:
            op.execute(_original(signature))
