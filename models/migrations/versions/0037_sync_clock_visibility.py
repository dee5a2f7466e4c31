"""replica sync: a field clock or conflict is readable only where its record is

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06

Issue #20 (docs/offline-sync.md, "Who reads the clocks"). Revision 0027
opened ``sync_clock`` to every team login: a clock row holds no value, but
its kind, uid, field, time and writer told a manager which records of
colleagues exist, who edits them and when. 0027 did it because the first
policy (0025: an EXISTS per kind, correlated with the clock row) made every
``(kind, uid) IN (...)`` read of the sync scan and filter the whole table.

Now every policy on ``sync_clock`` and ``sync_conflicts`` (0025's, 0027's
open read, 0032's and 0035's per-kind additions) is replaced by one set
built from one kind list:

- a row is readable where its record is: ``uid IN (SELECT uid FROM <the
  kind's table>)``, so the record table's own policy (0019) decides, as the
  login. The subquery is not correlated: PostgreSQL hashes the uids the
  login sees once per statement and probes it per row; the correlated
  EXISTS of 0025 was rebuilt per row when hashed (seconds for 300 records).
  A custom value's row is readable where its card or contact person is
  (its uid is ``<field uid>:<record uid>``); reference data's (users,
  roles, pipelines, stages, custom fields, interaction types, scenarios and
  their steps) by everyone;
- inserting, moving or deleting one needs the record to be visible (not
  reference data: that stays the administrators', as in 0025);
- a login that sees everything (``tp_sees_all``) reads and writes all.

The sync's reads name their rows as ``kind = :kind AND uid = ANY(:uids)``
(services/sync/clock_reads.py): equality is leakproof, so the condition is
an index scan below the policy and the policy runs on the named rows only.

SQLite: nothing (a replica holds one login's rows).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL = "(SELECT tp_sees_all())"
TABLES = ("sync_clock", "sync_conflicts")

# Record kind -> its table (every "both" kind of services/sync/tables.py).
RECORDS: dict[str, str] = {
    "email_template": "email_templates",
    "client": "clients",
    "lead": "leads",
    "contact": "contacts",
    "contact_point": "contact_points",
    "deal": "deals",
    "interaction": "interactions",
    "note": "notes",
    "task": "tasks",
    "attachment": "attachments",
    "memo": "memos",
    "scenario_run": "scenario_runs",
    "scenario_run_step": "scenario_run_steps",
}
CUSTOM_VALUE_OWNERS = ("clients", "leads", "contacts")
REFERENCE_KINDS = (
    "user",
    "role",
    "pipeline",
    "stage",
    "custom_field",
    "interaction_type",
    "scenario",
    "scenario_step",
)


def visible(table: str) -> str:
    """The record ``table``'s row names (kind, uid) is one this login sees."""
    parts = [
        f"({table}.kind = '{kind}' AND {table}.uid IN (SELECT x.uid FROM {name} x))"
        for kind, name in RECORDS.items()
    ]
    owners = " UNION ALL ".join(f"SELECT x.uid FROM {name} x" for name in CUSTOM_VALUE_OWNERS)
    parts.append(
        f"({table}.kind = 'custom_value' AND split_part({table}.uid, ':', 2) IN ({owners}))"
    )
    return " OR ".join(parts)


def reference(table: str) -> str:
    kinds = ", ".join(f"'{k}'" for k in REFERENCE_KINDS)
    return f"{table}.kind IN ({kinds})"


def _drop_all(table: str) -> None:
    op.execute(
        "DO $$ DECLARE p record; BEGIN "
        f"FOR p IN SELECT policyname FROM pg_policies WHERE tablename = '{table}' "
        "AND schemaname = current_schema() LOOP "
        f"EXECUTE format('DROP POLICY %I ON {table}', p.policyname); END LOOP; END $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        _drop_all(table)
        seen = f"{ALL} OR {reference(table)} OR {visible(table)}"
        write = f"{ALL} OR {visible(table)}"
        op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({seen})")
        op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({write})")
        op.execute(
            f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({seen}) WITH CHECK ({write})"
        )
        op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({write})")


def _module(name: str) -> object:
    import importlib

    return importlib.import_module(f"models.migrations.versions.{name}")


def downgrade() -> None:
    """Back to the policies as 0025, 0027, 0032 and 0035 left them."""
    if op.get_bind().dialect.name != "postgresql":
        return
    sync = _module("0025_sync")
    files = _module("0032_attachment_files")
    scenarios = _module("0035_scenario_sync")
    for table in TABLES:
        _drop_all(table)
        seen, write = sync.POLICIES[table]  # type: ignore[attr-defined]
        if table == "sync_clock":
            seen = "true"  # 0027
        op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({ALL} OR {seen})")
        op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({ALL} OR {write})")
        op.execute(
            f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({ALL} OR {seen}) "
            f"WITH CHECK ({ALL} OR {write})"
        )
        op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({ALL} OR {write})")
        for visible_rule, name, update_using in (
            (files._sync_visible(table), "tp_{}_attachment", None),  # type: ignore[attr-defined]
            (scenarios._visible(table), "tp_scenario_sync_{}", "true"),  # type: ignore[attr-defined]
        ):
            rule = visible_rule
            if table == "sync_conflicts":
                op.execute(
                    f"CREATE POLICY {name.format('select')} ON {table} FOR SELECT USING ({rule})"
                )
            op.execute(
                f"CREATE POLICY {name.format('insert')} ON {table} FOR INSERT WITH CHECK ({rule})"
            )
            using = update_using if table == "sync_clock" and update_using else rule
            op.execute(
                f"CREATE POLICY {name.format('update')} ON {table} FOR UPDATE "
                f"USING ({using}) WITH CHECK ({rule})"
            )
            op.execute(
                f"CREATE POLICY {name.format('delete')} ON {table} FOR DELETE USING ({rule})"
            )
