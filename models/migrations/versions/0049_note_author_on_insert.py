"""team databases: a note is written in its writer's own name, and its
search text follows its author's words

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-07

0047 made the server keep a colleague's note as its author wrote it, but
only for changes: a login could still INSERT a note "by" a colleague on a
card it sees (0019's policy on ``notes`` asks only whether the card is
seen), and could UPDATE a colleague's ``search_text`` without touching its
text, hiding the note from search (``search_text`` is the folded text the
search reads; the app and the sync recompute it from ``body``).

Now ``tp_note_guard`` also binds:

- ``notes`` BEFORE INSERT: a team login creates notes authored by itself
  (as ``notes.add_note``: ``author_id`` is the actor); an administrator
  (``tp_may('settings')``) any author. Both with ``tp_may('interactions')``.
- ``notes`` BEFORE UPDATE: ``search_text`` joins ``body`` and ``author_id``
  (only when its value changes): only the note's author or an
  administrator, as its text.

Who is bound is 0047's rule: the team's logins; the owner and superusers
pass. The refusal is SQLSTATE 42501, as 0047's.

The downgrade restores 0048's state exactly: 0047's function, its change
trigger, no insert trigger (the definitions are 0047's own, read from it).

SQLite: nothing (one user).
"""

import importlib
from collections.abc import Sequence
from types import ModuleType

from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "('tp_admin', 'tp_head', 'tp_manager', 'tp_readonly')"
REFUSAL = (
    "note % is a colleague''s: only its author or an administrator may change its text,"
    " author or mentions, or remove it"
)
SIGNED = (
    "a new note is signed by its writer: user % may not be its author"
    " (only an administrator writes a note in a colleague''s name)"
)
FUNCTION = f"""
CREATE OR REPLACE FUNCTION tp_note_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  note integer;
  author integer;
  moved_to integer;
  author_changes boolean := false;
  me integer;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_auth_members m
      JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
    WHERE u.rolname = session_user AND g.rolname IN {GROUPS}
  ) THEN
    -- the owner, a superuser: not bound, as the policies do not bind them
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  me := tp_me();
  IF TG_TABLE_NAME = 'notes' AND TG_OP = 'INSERT' THEN
    -- a new note: its writer's own, or any author by an administrator
    IF NOT (
      me IS NOT NULL AND tp_may('interactions')
      AND (tp_may('settings') OR NEW.author_id IS NOT DISTINCT FROM me)
    ) THEN
      RAISE EXCEPTION '{SIGNED}', NEW.author_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME = 'notes' THEN
    note := OLD.id;
    author := OLD.author_id;
    IF TG_OP = 'UPDATE' THEN
      author_changes := NEW.author_id IS DISTINCT FROM OLD.author_id;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      note := NEW.note_id;
    ELSE
      note := OLD.note_id;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.note_id IS DISTINCT FROM OLD.note_id THEN
      moved_to := NEW.note_id;  -- a mention moved to another note: its author decides too
    END IF;
    SELECT n.author_id INTO author FROM notes n WHERE n.id = note;
  END IF;
  LOOP
    -- no note: a mention deleted by its note's removal (checked itself)
    IF author IS NOT NULL AND NOT (
      me IS NOT NULL AND tp_may('interactions')
      AND (tp_may('settings') OR (author = me AND NOT author_changes))
    ) THEN
      RAISE EXCEPTION '{REFUSAL}', note USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXIT WHEN moved_to IS NULL;
    note := moved_to;
    moved_to := NULL;
    SELECT n.author_id INTO author FROM notes n WHERE n.id = note;
  END LOOP;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$"""
CHANGE = (
    "BEFORE UPDATE OF body, author_id, search_text ON notes FOR EACH ROW"
    " WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.author_id IS DISTINCT FROM NEW.author_id"
    " OR OLD.search_text IS DISTINCT FROM NEW.search_text)"
)
CREATE = "BEFORE INSERT ON notes FOR EACH ROW"


def _0047() -> ModuleType:
    return importlib.import_module("models.migrations.versions.0047_note_author_guard")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS tp_note_guard_change ON notes")
    op.execute(f"CREATE TRIGGER tp_note_guard_change {CHANGE} EXECUTE FUNCTION tp_note_guard()")
    op.execute(f"CREATE TRIGGER tp_note_guard_create {CREATE} EXECUTE FUNCTION tp_note_guard()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    before = _0047()
    op.execute("DROP TRIGGER IF EXISTS tp_note_guard_create ON notes")
    op.execute("DROP TRIGGER IF EXISTS tp_note_guard_change ON notes")
    (change,) = (d for name, _t, d in before.TRIGGERS if name == "tp_note_guard_change")
    op.execute(f"CREATE TRIGGER tp_note_guard_change {change} EXECUTE FUNCTION tp_note_guard()")
    op.execute(before.FUNCTION)
