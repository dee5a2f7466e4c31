"""replica sync: a tombstone's visibility is one index probe of what it names

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07

Issue #16 (bench/README.md, "replica.py"). 0038 made the three kinds of
tombstone whose uid names other records (a custom value, a contact
person's link to an interaction, a note's mention) visible where that
record is, as ``split_part(uid, ...) IN (SELECT uid FROM <table>)``: the
same rule 0042 took out of ``sync_clock``, for the same reason. PostgreSQL
runs it as a hash of every uid the login sees in clients, leads and
contacts (or interactions, or notes), built per statement with each of
those rows' own policies: a seq scan of the team's data for every read or
write of one tombstone. Moving a cleared custom value's tombstone (a
pushed removal) evaluated it three times (the update's USING and WITH
CHECK): ~80 ms at 1,000 clients and 2,000 contact persons, growing with
the team's data, not with the rows written; reading one ~13 ms.

Now the same rule, per row: ``EXISTS (SELECT FROM <table> x WHERE x.uid =
<the part of the row's uid> OFFSET 0)``, an index probe of the table's
unique uid index under that table's own policy (0019) on that one row, as
0042 does for the clocks. ``a IN (SELECT uid FROM t)`` and ``EXISTS (...
WHERE uid = a)`` hold for the same rows (a policy takes a NULL as false),
so what a login sees and may write is unchanged; 0039's conditions on
writes (no reference data, no tombstone of a live record) stay as they are.

SQLite: nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "sync_tombstones"
ALL = "(SELECT tp_sees_all())"
NAMING = ("custom_value", "interaction_contact", "note_mention")
CUSTOM_VALUE_OWNERS = ("clients", "leads", "contacts")


def _module(name: str) -> object:
    import importlib

    return importlib.import_module(f"models.migrations.versions.{name}")


def _part(n: int) -> str:
    return f"split_part({TABLE}.uid, ':', {n})"


def _probe(table: str, uid: str) -> str:
    """The login sees the row of ``table`` whose uid is ``uid`` (0042's probe)."""
    return f"EXISTS (SELECT FROM {table} x WHERE x.uid = {uid} OFFSET 0)"


def visible() -> str:
    """0038's rule with a probe per row in place of each uid hash."""
    me = "(SELECT u.uid FROM users u WHERE u.id = (SELECT tp_me()))"
    naming = ", ".join(f"'{k}'" for k in NAMING)
    owners = " OR ".join(_probe(name, _part(2)) for name in CUSTOM_VALUE_OWNERS)
    return (
        f"{TABLE}.kind NOT IN ({naming})"
        f" OR ({TABLE}.kind = 'custom_value' AND ({owners}))"
        f" OR ({TABLE}.kind = 'interaction_contact' AND {_probe('interactions', _part(1))})"
        f" OR ({TABLE}.kind = 'note_mention'"
        f" AND ({_probe('notes', _part(1))} OR {_part(2)} = {me}))"
    )


def _policies(rule: str) -> None:
    """The four policies as 0038 and 0039 left them, on ``rule``."""
    kinds = ", ".join(f"'{k}'" for k in _module("0037_sync_clock_visibility").REFERENCE_KINDS)  # type: ignore[attr-defined]
    write = (
        f"{ALL} OR (({rule}) AND {TABLE}.kind NOT IN ({kinds})"
        f" AND NOT tp_sync_live({TABLE}.kind, {TABLE}.uid))"
    )
    for command in ("select", "insert", "update", "delete"):
        op.execute(f"DROP POLICY IF EXISTS tp_{command} ON {TABLE}")
    op.execute(f"CREATE POLICY tp_select ON {TABLE} FOR SELECT USING ({ALL} OR {rule})")
    op.execute(f"CREATE POLICY tp_insert ON {TABLE} FOR INSERT WITH CHECK ({write})")
    op.execute(
        f"CREATE POLICY tp_update ON {TABLE} FOR UPDATE USING ({ALL} OR {rule}) "
        f"WITH CHECK ({write})"
    )
    op.execute(f"CREATE POLICY tp_delete ON {TABLE} FOR DELETE USING ({ALL} OR {rule})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _policies(visible())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _policies(_module("0038_sync_tombstone_visibility")._visible())  # type: ignore[attr-defined]
