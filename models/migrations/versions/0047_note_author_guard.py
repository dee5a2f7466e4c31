"""team databases: a colleague's note stays as its author wrote it, whatever
client sends the change

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-07

A note is its author's words: its author edits and removes it, or an
administrator (services/interactions/note_edits.py ``may_change``). The
window, the CLI and the server's apply of a laptop's push refuse anyone
else, but 0019's policies only ask whether the note's card is seen, so a
colleague connecting with their own login from psql could still reword,
remove or unmention a note they see. Now the server refuses it itself:

- ``notes``: BEFORE UPDATE of ``body`` or ``author_id`` (only when the value
  changes) and BEFORE DELETE. Every other column stays free, so a note that
  moves with its card (a lead converted into a client, on a desktop or
  pushed from a laptop) and the sync's own numbering go on as before.
- ``note_mentions``: BEFORE INSERT and DELETE, and BEFORE UPDATE of
  ``note_id`` or ``user_id`` when either changes (the mentions follow the
  text). A mention deleted by the cascade of its note's removal finds no note
  any more and passes: the removal itself was checked.

Who may: the note's author or an administrator (``tp_may('settings')``),
each with ``tp_may('interactions')``, as ``may_change``; a change of the
author only an administrator. The trigger binds the team's logins (members
of ``tp_admin``, ``tp_head``, ``tp_manager``, ``tp_readonly``, as
``bootstrap._team_login`` recognises them) and nobody else: the owner (who
runs ``admin init``, ``admin migrate``, the single-user mode and its jobs)
and superusers pass, as they pass the policies. A team login without an
active user (deactivated) is refused. The function is SECURITY DEFINER so it
reads the note's author whatever the policies let the login see;
``tp_me()`` and ``tp_may`` read ``session_user``, which SECURITY DEFINER
does not change.

The refusal is SQLSTATE 42501 (insufficient_privilege), as a policy's: the
app says "The team database refused this change for your login: …"
(``core.storage.refused_by_database``), a push's refusal is classed as a
permission (services/sync/db_refusal.py).

SQLite: nothing (one user).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "('tp_admin', 'tp_head', 'tp_manager', 'tp_readonly')"
REFUSAL = (
    "note % is a colleague''s: only its author or an administrator may change its text,"
    " author or mentions, or remove it"
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
  me := tp_me();
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
# (name, table, when and for what)
TRIGGERS = (
    (
        "tp_note_guard_change",
        "notes",
        "BEFORE UPDATE OF body, author_id ON notes FOR EACH ROW"
        " WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.author_id IS DISTINCT FROM NEW.author_id)",
    ),
    ("tp_note_guard_delete", "notes", "BEFORE DELETE ON notes FOR EACH ROW"),
    (
        "tp_note_guard_write",
        "note_mentions",
        "BEFORE INSERT OR DELETE ON note_mentions FOR EACH ROW",
    ),
    (
        "tp_note_guard_move",
        "note_mentions",
        "BEFORE UPDATE OF note_id, user_id ON note_mentions FOR EACH ROW"
        " WHEN (OLD.note_id IS DISTINCT FROM NEW.note_id"
        " OR OLD.user_id IS DISTINCT FROM NEW.user_id)",
    ),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for name, _table, definition in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {definition} EXECUTE FUNCTION tp_note_guard()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _definition in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS tp_note_guard()")
