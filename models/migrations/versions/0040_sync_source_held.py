"""replica sync: which letters and calls the server holds on any card

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06

Issue #20 (docs/offline-sync.md, "A letter held on a card you cannot
see"). ``(source_kind, source_key)`` is unique on ``interactions``: one
interaction per letter (its Message-ID) or call (its PBX key). When the
office imported the same mailbox and its linking job put a letter on a
colleague's card, the laptop user's login cannot see that interaction
(row-level security), so the push cannot tell the letter is held, inserts
a second interaction, and the unique key refused the whole action: for the
linking job, a chunk of up to 5,000 innocent interactions.

``tp_sync_held(kinds, keys)`` answers, run as the schema owner, which of
these (kind, key) pairs an interaction holds at all, visible or not. It
returns the pairs it was given back, and nothing else: no uid, card,
owner, time or text of the colleague's interaction. The caller already
holds the letter or call itself (it pushes an interaction of it), so what
it learns is only that the team has it on some card, which the unique key
told it already by refusing. Only the two imported kinds (``email``,
``call``) are answered, and at most 1,000 pairs a call (the push asks per
300). The sync compares the answer with what the login sees: a pair held
but not visible is "held on a card you cannot see".

SQLite: nothing (no row-level security; the single-user path never asks).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE OR REPLACE FUNCTION tp_sync_held(kinds text[], keys text[])
RETURNS TABLE (held_kind text, held_key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF coalesce(cardinality(kinds), 0) > 1000 OR coalesce(cardinality(keys), 0) > 1000 THEN
    RAISE EXCEPTION 'tp_sync_held: at most 1000 sources a call';
  END IF;
  RETURN QUERY
    SELECT DISTINCT w.k, w.s
    FROM unnest(kinds, keys) AS w(k, s)
    WHERE w.k IN ('email', 'call')
      AND EXISTS (
        SELECT 1 FROM interactions i WHERE i.source_kind = w.k AND i.source_key = w.s
      );
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS tp_sync_held(text[], text[])")
