"""folded names

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Names compare in one case-folded form on both databases (SQLite's
``lower()`` and ``LIKE`` fold ASCII only): ``name_folded`` on clients, leads
and contacts, indexed, filled by the models (``models.folding.fold``) and
backfilled here with the same rule, frozen as of this revision. The feed's
``search_text`` of interactions and notes gets "ё" as "е" too. PostgreSQL
gets ``tp_fold(text)``, the SQL side of the rule for small scoped filters
(SQLite registers it on each connection).
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_COLUMNS = {"clients": "name", "leads": "name", "contacts": "full_name"}
BATCH = 2_000

_CYRILLIC_UPPER = "".join(chr(c) for c in range(0x0410, 0x0430)) + "ЁІЇЄҐЎӘҒҚҢӨҰҮҺ"
PG_FOLD_FROM = _CYRILLIC_UPPER + "ё"
PG_FOLD_TO = _CYRILLIC_UPPER.lower().replace("ё", "е") + "е"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().replace("ё", "е").split())


def _backfill(table: str, column: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table} ORDER BY id")).all()
    update = sa.text(f"UPDATE {table} SET name_folded = :folded WHERE id = :id")
    for start in range(0, len(rows), BATCH):
        params = [{"id": r[0], "folded": _fold(r[1] or "")} for r in rows[start : start + BATCH]]
        bind.execute(update, params)


def upgrade() -> None:
    for table, column in NAME_COLUMNS.items():
        op.add_column(
            table,
            sa.Column("name_folded", sa.String(length=1000), server_default="", nullable=False),
        )
        op.create_index(op.f(f"ix_{table}_name_folded"), table, ["name_folded"], unique=False)
        _backfill(table, column)
    for table in ("interactions", "notes"):
        op.execute(
            f"UPDATE {table} SET search_text = replace(search_text, 'ё', 'е') "
            "WHERE search_text LIKE '%ё%'"
        )
    if op.get_bind().dialect.name == "postgresql":
        source = "'" + PG_FOLD_FROM + "'"
        target = "'" + PG_FOLD_TO + "'"
        op.get_bind().exec_driver_sql(
            "CREATE FUNCTION tp_fold(value text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
            f"SELECT btrim(regexp_replace(translate(lower(value), {source}, {target}), "
            "'\\s+', ' ', 'g')) $$"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.get_bind().exec_driver_sql("DROP FUNCTION IF EXISTS tp_fold(text)")
    for table in NAME_COLUMNS:
        op.drop_index(op.f(f"ix_{table}_name_folded"), table_name=table)
        # Plain ALTER (SQLite 3.35+): a batch copy would drop the search triggers.
        op.execute(f"ALTER TABLE {table} DROP COLUMN name_folded")
