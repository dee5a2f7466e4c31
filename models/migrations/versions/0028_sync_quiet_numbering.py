"""replica sync: numbering a row at commit announces nothing

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

Revision 0025 numbers each written row at COMMIT with an ``UPDATE … SET
sync_seq`` run by a deferred trigger, one row at a time. That UPDATE fired
the change announcements of 0019 (``tp_notify``) again: a bulk insert of 150
notes, announced once as "note insert" without ids, was followed by 150
"note update" notices of one id each, and every ordinary save was announced
twice. The numbering function now marks its own UPDATE with a
transaction-local setting, and ``tp_notify`` stays quiet while it is set:
the numbering is bookkeeping of a change already announced.
PostgreSQL only.
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAG = "touchpoint.sync_numbering"


def _module(name: str) -> object:
    return importlib.import_module(f"models.migrations.versions.{name}")


def _functions(quiet: bool) -> str:
    """Both functions; ``quiet=False`` is how revisions 0019 and 0025 wrote them."""
    lock_key = _module("0025_sync").LOCK_KEY  # type: ignore[attr-defined]
    max_ids = _module("0019_team_row_level_security").NOTIFY_MAX_IDS  # type: ignore[attr-defined]
    mark, unmark = (
        (
            f"  PERFORM set_config('{FLAG}', 'on', true);\n",
            f"  PERFORM set_config('{FLAG}', 'off', true);\n",
        )
        if quiet
        else ("", "")
    )
    skip = (
        f"  IF current_setting('{FLAG}', true) = 'on' THEN\n    RETURN NULL;\n  END IF;\n"
        if quiet
        else ""
    )
    return f"""
CREATE OR REPLACE FUNCTION tp_sync_number() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({lock_key});
{mark}  EXECUTE format('UPDATE %I SET sync_seq = nextval(''public.sync_seq'') WHERE %s',
                 TG_TABLE_NAME, TG_ARGV[0]) USING NEW;
{unmark}  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION tp_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  ids integer[];
BEGIN
{skip}  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM old_rows LIMIT {max_ids} + 1) t;
  ELSE
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM new_rows LIMIT {max_ids} + 1) t;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('touchpoint', json_build_object(
    'kind', TG_ARGV[0], 'op', lower(TG_OP),
    'ids', CASE WHEN cardinality(ids) > {max_ids} THEN NULL ELSE to_json(ids) END)::text);
  RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_functions(quiet=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_functions(quiet=False))
