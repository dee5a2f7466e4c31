"""replica sync: a tombstone that names a colleague's records is theirs

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06

Issue #20 (docs/offline-sync.md, "Who reads the clocks"). Since 0025 every
team login reads and writes every ``sync_tombstones`` row. Three kinds of
tombstone name other records in their uid, so a colleague's login learnt
how records it may not see hang together, and could write one:

- ``custom_value`` ``<field uid>:<record uid>``: which client, lead or
  contact person exists and had a field cleared;
- ``interaction_contact`` ``<interaction uid>:<contact uid>``: which
  contact person was on which call or meeting;
- ``note_mention`` ``<note uid>:<user uid>``: who was mentioned on which note.

These are now read, written and deleted only where the record they hang on
is visible, by the rule of that record's own table (0019): the card or
contact person of a custom value, the interaction of a contact person's
link, the note of a mention or the mentioned user themself (their own
mentions are visible to them, as in ``note_mentions``). A login that sees
everything reads all, as before.

A tombstone of a record itself (a removed contact detail, an unlinked
letter's interaction) still names only its own uid and stays readable by
every login: its record is gone, so no policy can ask whether the login saw
it, and hiding it from one who did would leave the deleted record on their
laptop for good. What it says: that a record with that uid was removed, and
when.

SQLite: nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL = "(SELECT tp_sees_all())"
TABLE = "sync_tombstones"
NAMING = ("custom_value", "interaction_contact", "note_mention")


def _part(n: int) -> str:
    return f"split_part({TABLE}.uid, ':', {n})"


def _visible() -> str:
    owners = " UNION ALL ".join(
        f"SELECT x.uid FROM {name} x" for name in ("clients", "leads", "contacts")
    )
    me = "(SELECT u.uid FROM users u WHERE u.id = (SELECT tp_me()))"
    naming = ", ".join(f"'{k}'" for k in NAMING)
    return (
        f"{TABLE}.kind NOT IN ({naming})"
        f" OR ({TABLE}.kind = 'custom_value' AND {_part(2)} IN ({owners}))"
        f" OR ({TABLE}.kind = 'interaction_contact'"
        f" AND {_part(1)} IN (SELECT x.uid FROM interactions x))"
        f" OR ({TABLE}.kind = 'note_mention'"
        f" AND ({_part(1)} IN (SELECT x.uid FROM notes x) OR {_part(2)} = {me}))"
    )


def _replace(rule: str) -> None:
    for command in ("select", "insert", "update", "delete"):
        op.execute(f"DROP POLICY IF EXISTS tp_{command} ON {TABLE}")
    op.execute(f"CREATE POLICY tp_select ON {TABLE} FOR SELECT USING ({ALL} OR {rule})")
    op.execute(f"CREATE POLICY tp_insert ON {TABLE} FOR INSERT WITH CHECK ({ALL} OR {rule})")
    op.execute(
        f"CREATE POLICY tp_update ON {TABLE} FOR UPDATE USING ({ALL} OR {rule}) "
        f"WITH CHECK ({ALL} OR {rule})"
    )
    op.execute(f"CREATE POLICY tp_delete ON {TABLE} FOR DELETE USING ({ALL} OR {rule})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _replace(_visible())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _replace("true")  # 0025
