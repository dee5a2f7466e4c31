"""A push the team database itself refuses as not allowed for the login
(SQLSTATE 42501 from a trigger or a row-level policy) reaches the laptop as
``sync.apply.db_permission``, a sentence a person reads, not the bare
``sync.apply.database`` nor the database's own text. Real PostgreSQL under
each login, SQLite replicas."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Note
from services.sync import apply_writes, db_refusal
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig
from tests.integration.test_replica_note_author import _forged_note

pytestmark = pytest.mark.postgres


def test_a_push_the_databases_trigger_refuses_says_the_login_may_not(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the apply's own author check (an older server build), the
    note guard trigger (0049) refuses Gleb's note signed "by" Anna with
    insufficient_privilege. Fails on the old code (checked: the refusal came
    back as sync.apply.database: SQLAlchemy re-raises the storage hook's
    RefusedByDatabase from the driver's error, which has no ``orig``)."""
    monkeypatch.setattr(apply_writes, "check_signed", lambda *_args, **_kw: None)
    uid = _forged_note(rig, "head")

    report = sync(rig.laptop["head"], rig.server["head"])

    [refusal] = report.refused
    assert refusal.code == db_refusal.PERMISSION == "sync.apply.db_permission", refusal
    assert refusal.reason == db_refusal.SENTENCES[db_refusal.PERMISSION]
    assert "your login is not allowed" in refusal.reason
    for sql_word in ("tp_note_guard", "PL/pgSQL", "RAISE", "user "):
        assert sql_word not in refusal.reason
    assert refusal.params == {}
    with rig.server["admin"].reader() as uow:
        assert uow.session.scalar(select(Note.id).where(Note.uid == uid)) is None
    # Anna's own push still goes through
    assert not sync(rig.laptop["anna"], rig.server["anna"]).refused


def test_a_refusal_stored_with_the_databases_words_is_classed_as_not_allowed() -> None:
    """A refusal a laptop kept before (code sync.apply.database, the hook's
    English sentence as its detail) is worded as not allowed for the login."""
    stored = "The team database refused this change for your login: a new note is signed"
    assert db_refusal.classify(None, stored) == db_refusal.PERMISSION
    assert db_refusal.classify(None, "something else broke") == db_refusal.OTHER
