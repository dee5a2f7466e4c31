"""The clean-up on a team PostgreSQL: a blob no attachment names is deleted
by a sweep only after the grace period, whoever's rows the sweeping login
sees; a blob an add of the same content is relying on survives a sweep that
runs while the add's transaction is open; a desktop's own file that only a
colleague's row names is kept; a removal is announced to a colleague's
listener."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import Attachment
from models.notes import AttachmentBlob, AttachmentBlobPart
from services.core import live
from services.core.storage import Database
from services.interactions import attachment_cleanup as cleanup
from services.interactions import attachment_fetch, attachments
from services.interactions import use_cases as interactions
from services.parties import shares
from services.parties import use_cases as parties
from tests.integration.team_fixtures import logins_fixture, team_fixture  # noqa: F401 - fixtures
from tests.integration.team_rls_helpers import TeamDb
from tests.integration.test_live_updates import Listener

pytestmark = pytest.mark.postgres

NAME = "Паспорт — Ёжиков.pdf"
DATA = "Паспорт серии 1234".encode() * 40
DIGEST = hashlib.sha256(DATA).hexdigest()


def _attach(team: TeamDb, db: Database, who: str, tmp_path: Path) -> tuple[int, int]:
    me = team.actor(who)
    client = parties.add_client(db, me, f"ООО «Ландыш» {who}", region="RU").value
    source = tmp_path / f"disk-{who}" / NAME
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(DATA)
    view = interactions.add_attachment(db, me, "client", client.id, str(source)).value
    return client.id, view.id


class _Blob:
    def __init__(self, orphaned_at: object) -> None:
        self.orphaned_at = orphaned_at


def _blob(team: TeamDb) -> _Blob | None:
    """The blob as the owner (who sees every row) reads it, or None."""
    with team.db.reader() as uow:
        row = uow.session.get(AttachmentBlob, DIGEST)
        return None if row is None else _Blob(row.orphaned_at)


def _parts(team: TeamDb) -> int:
    with team.db.reader() as uow:
        return len(uow.session.scalars(select(AttachmentBlobPart.part)).all())


def _long_ago(team: TeamDb) -> None:
    """The grace period passes (the sweep reads the server's clock)."""
    with team.db.uow() as uow:
        uow.session.execute(
            text(
                "UPDATE attachment_blobs SET orphaned_at = orphaned_at - interval '2 days' "
                "WHERE orphaned_at IS NOT NULL"
            )
        )
        uow.commit()


def test_a_blob_goes_after_the_grace_period_only_when_no_row_names_it(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "annas-pc"))
    _, anna_file = _attach(team, logins["anna"], "anna", tmp_path)
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "boris-pc"))
    _, boris_file = _attach(team, logins["boris"], "boris", tmp_path)
    interactions.remove_attachment(logins["anna"], team.actor("anna"), anna_file)

    # Anna cannot see Boris's row; her sweep still keeps the blob his row names.
    for _ in range(2):
        assert cleanup.sweep_server(logins["anna"]) == 0
        _long_ago(team)
    blob = _blob(team)
    assert blob is not None
    assert blob.orphaned_at is None

    interactions.remove_attachment(logins["boris"], team.actor("boris"), boris_file)
    assert cleanup.sweep_server(logins["anna"]) == 0  # marked now, not deleted
    blob = _blob(team)
    assert blob is not None
    assert blob.orphaned_at is not None
    assert cleanup.sweep_server(logins["anna"]) == 0  # still within the grace period
    _long_ago(team)
    assert cleanup.sweep_server(logins["anna"]) == 1
    assert _blob(team) is None
    assert _parts(team) == 0


def test_a_sweep_during_an_add_of_the_same_content_keeps_the_blob(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "annas-pc"))
    client, first = _attach(team, logins["anna"], "anna", tmp_path)
    interactions.remove_attachment(logins["anna"], team.actor("anna"), first)
    cleanup.sweep_server(logins["admin"])
    _long_ago(team)  # the next sweep would delete it

    anna = team.actor("anna")
    swept: list[int] = []
    with logins["anna"].uow(anna.id) as uow:
        # the add relies on the stored blob (it claims it) and has not committed
        view = attachments.add(uow, anna, "client", client, "Копия.pdf", DATA)
        sweeper = threading.Thread(
            target=lambda: swept.append(cleanup.sweep_server(logins["admin"]))
        )
        sweeper.start()
        deadline = time.monotonic() + 15
        while not _waiting_on_a_lock(team) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_a_lock(team), "the sweep should wait for the add"
        uow.commit()
    sweeper.join(15)
    assert swept == [0]
    blob = _blob(team)
    assert blob is not None
    assert blob.orphaned_at is None

    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "allas-pc"))  # never had it
    (tmp_path / "open").mkdir()
    with logins["admin"].reader() as uow:
        (seen,) = [
            a
            for a in attachments.list_for(uow, team.actor("admin"), "client", client)
            if a.id == view.id
        ]
    assert (
        attachment_fetch.copy_for_opening(logins["admin"], seen, tmp_path / "open").read_bytes()
        == DATA
    )


def _waiting_on_a_lock(team: TeamDb) -> bool:
    with team.db.reader() as uow:
        return bool(
            uow.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE '%tp_attachment_sweep%'"
                )
            )
        )


def test_a_file_only_a_colleagues_row_names_stays_on_this_computer(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    import os

    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "shared-pc"))
    _, anna_file = _attach(team, logins["anna"], "anna", tmp_path)
    _, boris_file = _attach(team, logins["boris"], "boris", tmp_path)  # the same computer
    interactions.remove_attachment(logins["anna"], team.actor("anna"), anna_file)
    with logins["anna"].reader() as uow:
        stored = uow.session.get(Attachment, anna_file)
    assert stored is None
    path = tmp_path / "shared-pc" / "attachments" / DIGEST[:2] / DIGEST
    old = time.time() - cleanup.FILE_GRACE.total_seconds() - 86400
    os.utime(path, (old, old))
    now = dt.datetime.now(dt.UTC)
    assert cleanup.sweep_files(logins["anna"], now) == (1, 0)  # Boris's row names it
    interactions.remove_attachment(logins["boris"], team.actor("boris"), boris_file)
    assert cleanup.sweep_files(logins["anna"], now) == (1, 1)
    assert not path.exists()


def test_a_removal_reaches_a_colleagues_listener(
    team: TeamDb, logins: dict[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "annas-pc"))
    client, file_id = _attach(team, logins["anna"], "anna", tmp_path)
    anna = team.actor("anna")
    shares.set_shared(logins["anna"], anna, "client", client, team.logins["boris"], shared=True)
    listener = Listener(logins["boris"])
    try:
        interactions.remove_attachment(logins["anna"], anna, file_id)
        notices = [n for n in listener.next() if n.kind == "attachment"]
        assert notices == [live.Notice("attachment", "delete", (file_id,))]
        changes = live.changes_for(logins["boris"], team.actor("boris"), notices)
        assert changes.removed["attachment"] == {file_id}
    finally:
        listener.close()
