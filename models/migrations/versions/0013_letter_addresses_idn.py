"""letters' addresses stored before IDN normalization take the cards' form

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

Addresses of letters were case folded only, so ``ivan@xn--80a1acny.xn--p1ai``
never matched a card's ``ivan@почта.рф``. Import now stores the Unicode
domain (IDNA 2008); this brings the letters already stored into that form.
The logic is written out here, not imported, so the migration stays as it
is when the application code changes.
"""

from collections.abc import Sequence

import idna
import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _unicode(address: str) -> str:
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    labels = []
    for label in domain.split("."):
        if label[:4].lower() == "xn--":
            try:
                label = idna.decode(label.lower(), uts46=True)
            except (idna.IDNAError, UnicodeError):
                return address
        labels.append(label)
    return f"{local}@{'.'.join(labels)}"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT message_id, role, address FROM mail_addresses WHERE address LIKE '%xn--%'")
    ).all()
    for message_id, role, address in rows:
        new = _unicode(address)
        if new == address or len(new) > 320:
            continue
        key = {"m": message_id, "r": role, "a": address, "n": new}
        taken = bind.execute(
            sa.text(
                "SELECT 1 FROM mail_addresses WHERE message_id = :m AND role = :r AND address = :n"
            ),
            key,
        ).first()
        if taken:
            bind.execute(
                sa.text(
                    "DELETE FROM mail_addresses WHERE message_id = :m AND role = :r AND address = :a"
                ),
                key,
            )
        else:
            bind.execute(
                sa.text(
                    "UPDATE mail_addresses SET address = :n "
                    "WHERE message_id = :m AND role = :r AND address = :a"
                ),
                key,
            )
    for message_id, sender in bind.execute(
        sa.text("SELECT id, from_addr FROM mail_messages WHERE from_addr LIKE '%xn--%'")
    ).all():
        new = _unicode(sender)
        if new != sender and len(new) <= 320:
            bind.execute(
                sa.text("UPDATE mail_messages SET from_addr = :n WHERE id = :i"),
                {"n": new, "i": message_id},
            )


def downgrade() -> None:
    """The Unicode form matches as well as the old one: nothing to undo."""
