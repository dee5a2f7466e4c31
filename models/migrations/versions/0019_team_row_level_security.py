"""team databases: departments, deputies, shares; on PostgreSQL group roles,
row-level security on every table with client data, and change notifications

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

Every desktop of a team connects as its own PostgreSQL login, member of one
group role: ``tp_admin``, ``tp_head``, ``tp_manager`` or ``tp_readonly``.
The groups decide what a login may do at all (grants: read-only logins
write nothing, only administrators change users, roles and settings); the
policies below decide which rows it sees and may change, by the app's own
rule (services/core/access.py): a manager sees the clients and leads they
own, are deputy for or that are shared with them, and everything on those
cards; a role with ``clients.view_department`` sees the department's; a role
with ``clients.view_all`` everything. The app user of a session is the
``users`` row whose login is the PostgreSQL ``session_user``.

The helper functions are SECURITY DEFINER with a fixed search_path: they
read users, roles, deputies and shares as the schema owner (so policies
never recurse), and policies call them as ``(SELECT tp_...())`` so each is
evaluated once per statement. The table owner (who runs ``admin init`` and
``admin migrate``) bypasses the policies, as does the single-user
PostgreSQL mode, which connects as the owner. Group roles are cluster-wide:
they are created when missing and never dropped.

A later migration that adds a table with client data must add its policy
here-style; tests/integration/test_team_rls.py fails until it does.

Change notifications (LISTEN ``touchpoint``): a statement-level trigger on
the card tables sends ``{"kind": ..., "op": ..., "ids": [...]}`` (ids only,
never data; ``"ids": null`` when more than ``NOTIFY_MAX_IDS`` rows changed).
A listener re-reads what it may see through its own session.

SQLite: only the three tables and the column; nothing else applies.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("tp_admin", "tp_head", "tp_manager", "tp_readonly")
NOTIFY_MAX_IDS = 200

ALL = "(SELECT tp_sees_all())"
ME = "(SELECT tp_me())"
# A scalar subquery (one evaluation per statement) cast back to an array:
# ``= ANY((SELECT ...))`` alone would compare with the rows of a subquery.
OWNERS = "((SELECT tp_owners())::integer[])"


def _in(column: str, table: str) -> str:
    """``column`` names a row of ``table`` this session sees (its own policy)."""
    return f"{column} IN (SELECT id FROM {table})"


CARD = f"{_in('client_id', 'clients')} OR {_in('lead_id', 'leads')}"

# table -> the rows a session sees and may write; (select, write) when they differ.
POLICIES: dict[str, str | tuple[str, str]] = {
    "clients": f"owner_id = ANY({OWNERS}) OR id = ANY((SELECT tp_shared('client'))::integer[])",
    "leads": f"owner_id = ANY({OWNERS}) OR id = ANY((SELECT tp_shared('lead'))::integer[])",
    "contacts": CARD,
    "contact_points": f"{CARD} OR {_in('contact_id', 'contacts')}",
    "deals": f"owner_id = ANY({OWNERS}) OR {CARD}",
    "interactions": f"owner_id = ANY({OWNERS}) OR {CARD}",
    "interaction_contacts": _in("interaction_id", "interactions"),
    "notes": f"author_id = {ME} OR {CARD}",
    "note_mentions": f"user_id = {ME} OR {_in('note_id', 'notes')}",
    "tasks": f"assignee_id = ANY({OWNERS}) OR author_id = {ME} OR {CARD}",
    "attachments": f"{CARD} OR {_in('interaction_id', 'interactions')}",
    "memos": (
        f"(object_kind = 'client' AND {_in('object_id', 'clients')})"
        f" OR (object_kind = 'lead' AND {_in('object_id', 'leads')})"
        f" OR (object_kind = 'contact' AND {_in('object_id', 'contacts')})"
        f" OR (object_kind = 'deal' AND {_in('object_id', 'deals')})"
    ),
    "custom_values": (
        "EXISTS (SELECT 1 FROM custom_fields f WHERE f.id = field_id AND ("
        f"(f.entity_kind = 'client' AND {_in('entity_id', 'clients')})"
        f" OR (f.entity_kind = 'lead' AND {_in('entity_id', 'leads')})"
        f" OR (f.entity_kind = 'contact' AND {_in('entity_id', 'contacts')})))"
    ),
    "audit_entries": (
        f"user_id = {ME} OR {CARD} OR {_in('deal_id', 'deals')}",
        f"user_id = {ME}",
    ),
    "ai_draft_requests": f"requested_by = {ME} OR {_in('client_id', 'clients')}",
    "mail_accounts": f"user_id = {ME}",
    "mail_folders": _in("account_id", "mail_accounts"),
    "mail_messages": (
        f"{_in('account_id', 'mail_accounts')} OR {_in('interaction_id', 'interactions')}"
    ),
    "mail_locations": _in("message_id", "mail_messages"),
    "mail_addresses": _in("message_id", "mail_messages"),
    "outbox": f"{_in('account_id', 'mail_accounts')} OR {_in('interaction_id', 'interactions')}",
    "call_records": (
        f"user_id = {ME} OR (user_id IS NULL AND interaction_id IS NULL)"
        f" OR {_in('interaction_id', 'interactions')}"
    ),
    "address_decisions": f"user_id = {ME}",
    "import_runs": f"user_id = {ME}",
    "party_shares": f"user_id = {ME} OR {CARD}",
    "deputies": (f"absent_id = {ME} OR deputy_id = {ME}", f"absent_id = {ME}"),
    "support_tickets": f"owner_id = ANY({OWNERS}) OR {CARD} OR {_in('contact_id', 'contacts')}",
    # The queue: one's own, a role's (unassigned, for its members), those on
    # one's cards. Whoever sees a request may hand it to anyone (take it,
    # round robin), so the written row is not checked against the reader.
    "inbound_requests": (
        f"owner_id = ANY({OWNERS}) OR {CARD}"
        " OR (owner_id IS NULL AND (role_id IS NULL OR role_id = (SELECT tp_role_id())))",
        "true",
    ),
    "inbound_originals": _in("request_id", "inbound_requests"),
    "scenario_runs": f"started_by = {ME} OR {_in('client_id', 'clients')}",
    "scenario_run_steps": _in("run_id", "scenario_runs"),
}

# Tables every writer group may change besides the client data (the rows a
# job or a use case writes for anyone); the rest only administrators change.
SHARED_WRITES = ("scheduled_jobs", "email_templates")

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tp_me() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT id FROM users WHERE login = session_user AND active
$$;

CREATE OR REPLACE FUNCTION tp_may(permission text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT coalesce(bool_or(r.permissions::jsonb ? permission), false)
  FROM users u JOIN roles r ON r.id = u.role_id
  WHERE u.login = session_user AND u.active
$$;

CREATE OR REPLACE FUNCTION tp_role_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT role_id FROM users WHERE login = session_user AND active
$$;

CREATE OR REPLACE FUNCTION tp_sees_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT tp_may('clients.view_all')
$$;

-- Whose clients this session sees: its own, those of colleagues it stands
-- in for (until the deputy's end), and its department's for a head.
CREATE OR REPLACE FUNCTION tp_owners() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  WITH me AS (SELECT id, department FROM users WHERE login = session_user AND active)
  SELECT coalesce(array_agg(DISTINCT owner), '{{}}') FROM (
    SELECT id AS owner FROM me
    UNION ALL
    SELECT d.absent_id FROM deputies d JOIN me ON d.deputy_id = me.id
      WHERE d.until > now()
    UNION ALL
    SELECT u.id FROM users u JOIN me ON u.department = me.department
      WHERE me.department IS NOT NULL AND tp_may('clients.view_department')
  ) owners
$$;

CREATE OR REPLACE FUNCTION tp_shared(kind text) RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT coalesce(array_agg(CASE WHEN kind = 'client' THEN client_id ELSE lead_id END), '{{}}')
  FROM party_shares
  WHERE user_id = tp_me() AND (CASE WHEN kind = 'client' THEN client_id ELSE lead_id END) IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION tp_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  ids integer[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM old_rows LIMIT {NOTIFY_MAX_IDS} + 1) t;
  ELSE
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM new_rows LIMIT {NOTIFY_MAX_IDS} + 1) t;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('touchpoint', json_build_object(
    'kind', TG_ARGV[0], 'op', lower(TG_OP),
    'ids', CASE WHEN cardinality(ids) > {NOTIFY_MAX_IDS} THEN NULL ELSE to_json(ids) END)::text);
  RETURN NULL;
END
$$;
"""

KINDS = {
    "clients": "client",
    "leads": "lead",
    "contacts": "contact",
    "deals": "deal",
    "interactions": "interaction",
    "notes": "note",
    "tasks": "task",
    "inbound_requests": "inbound_request",
}


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("department", sa.String(length=100), nullable=True))
    op.create_table(
        "deputies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absent_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["absent_id"], ["users.id"], name=op.f("fk_deputies_absent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deputy_id"], ["users.id"], name=op.f("fk_deputies_deputy_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deputies")),
    )
    op.create_index(op.f("ix_deputies_absent_id"), "deputies", ["absent_id"])
    op.create_index(op.f("ix_deputies_deputy_id"), "deputies", ["deputy_id"])
    op.create_table(
        "party_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN client_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN lead_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_party_shares_one_party"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_party_shares_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_party_shares_lead_id_leads")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_party_shares_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_shares")),
        sa.UniqueConstraint("client_id", "lead_id", "user_id", name="uq_party_shares_party_user"),
    )
    op.create_index(op.f("ix_party_shares_client_id"), "party_shares", ["client_id"])
    op.create_index(op.f("ix_party_shares_lead_id"), "party_shares", ["lead_id"])
    op.create_index(op.f("ix_party_shares_user_id"), "party_shares", ["user_id"])
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()


def _postgres_upgrade() -> None:
    for group in GROUPS:
        # Cluster-wide; creating one needs CREATEROLE, so a missing group is
        # created only where the migrating login may (``admin init`` checks).
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            "AND (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
    for statement in FUNCTIONS.split("\n\n"):
        op.execute(statement)
    for table, rule in POLICIES.items():
        seen, write = rule if isinstance(rule, tuple) else (rule, rule)
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({ALL} OR {seen})")
        op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({ALL} OR {write})")
        op.execute(
            f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({ALL} OR {seen}) "
            f"WITH CHECK ({ALL} OR {write})"
        )
        op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({ALL} OR {write})")
    for table, kind in KINDS.items():
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER tp_notify_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS {rows.lower()}_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION tp_notify('{kind}')"
            )
    grant_groups()


# The grants of the four groups (those that exist) on every table there is
# now: all read; administrators write everything; heads and managers write
# the tables with row-level security (guarded by their policies) and the
# shared ones. ``touchpoint admin init`` and ``admin migrate`` run it again,
# so a later table with a policy is writable without a grant of its own.
GRANTS = """
DO $$
DECLARE t record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tp_admin') THEN
    RETURN;
  END IF;
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  GRANT USAGE ON SCHEMA public TO tp_admin, tp_head, tp_manager, tp_readonly;
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO tp_admin, tp_head, tp_manager, tp_readonly;
  GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tp_admin;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tp_admin, tp_head, tp_manager;
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND (c.relrowsecurity OR c.relname IN ({shared}))
  LOOP
    EXECUTE 'GRANT INSERT, UPDATE, DELETE ON ' || quote_ident(t.relname)
      || ' TO tp_head, tp_manager';
  END LOOP;
END
$$
""".format(shared=", ".join(f"'{name}'" for name in SHARED_WRITES))


def grant_groups() -> None:
    op.execute(GRANTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, kind in KINDS.items():
            del kind
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS tp_notify_{event} ON {table}")
        for table in POLICIES:
            for name in ("tp_select", "tp_insert", "tp_update", "tp_delete"):
                op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for function in (
            "tp_notify()",
            "tp_shared(text)",
            "tp_owners()",
            "tp_sees_all()",
            "tp_role_id()",
            "tp_may(text)",
            "tp_me()",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table("party_shares")
    op.drop_table("deputies")
    # Plain ALTER (SQLite 3.35+, PostgreSQL): a batch copy of users drops and
    # recreates a table that most others point at, which foreign keys refuse.
    op.execute("ALTER TABLE users DROP COLUMN department")
