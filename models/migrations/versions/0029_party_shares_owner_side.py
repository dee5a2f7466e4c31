"""team mode: only the card's owner side writes who it is shared with

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

Revision 0019 let a login insert, change or delete a ``party_shares`` row
when the row named that login (``user_id = tp_me()``) or a card it sees.
The first half let a manager share any colleague's client with themselves
from raw SQL, and then see it through ``tp_shared``; the second let a
colleague a card is shared with pass it on to a third. The service layer
refuses both (``parties.shares``: only the owner's side shares); now the
database does too: a share is written only for a client or lead whose
owner the login sees as its own (``tp_owners``: itself, whom it heads or
stands in for; an administrator any). Reading is unchanged: one's own
shares and those on the cards one sees.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL = "(SELECT tp_sees_all())"
OWNERS = "((SELECT tp_owners())::integer[])"
SEEN = (
    "user_id = (SELECT tp_me()) OR client_id IN (SELECT id FROM clients)"
    " OR lead_id IN (SELECT id FROM leads)"
)
OWNER_SIDE = (
    f"client_id IN (SELECT id FROM clients WHERE owner_id = ANY({OWNERS}))"
    f" OR lead_id IN (SELECT id FROM leads WHERE owner_id = ANY({OWNERS}))"
)


def _replace(seen: str, write: str) -> None:
    for name in ("tp_insert", "tp_update", "tp_delete"):
        op.execute(f"DROP POLICY IF EXISTS {name} ON party_shares")
    op.execute(f"CREATE POLICY tp_insert ON party_shares FOR INSERT WITH CHECK ({ALL} OR {write})")
    op.execute(
        f"CREATE POLICY tp_update ON party_shares FOR UPDATE USING ({ALL} OR {seen}) "
        f"WITH CHECK ({ALL} OR {write})"
    )
    op.execute(f"CREATE POLICY tp_delete ON party_shares FOR DELETE USING ({ALL} OR {write})")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _replace(SEEN, OWNER_SIDE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _replace(SEEN, SEEN)
