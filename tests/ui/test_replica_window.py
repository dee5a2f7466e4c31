"""The replica in the window (issue #20), against a real team PostgreSQL and
a real SQLite replica made by ``init_replica``: the sync job runs on its
lane and the indicator updates when it finishes; an offline server is a
status with a backoff, not an error; a conflict shows on the card and is
resolved from the list (Settings → Database: test_replica_settings.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import make_url

from desktop.lanes import Lane
from desktop.replica import ReplicaDriver
from services.core import bootstrap, scheduler, team
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.jobs.registry import Scope
from services.parties import edit_cases
from services.parties import use_cases as creating
from services.sync import scheduled, use_cases
from tests.conftest import _fresh_pg
from tests.tcp_proxy import TcpProxy
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.context import UiContext
from ui.dialogs.sync_conflicts import SyncConflictsDialog
from ui.shell import i18n
from ui.shell.status_bar import StatusBar

pytestmark = pytest.mark.postgres


@dataclasses.dataclass
class Server:
    url: str  # as the manager's own login
    db: Database  # the same, for the colleague's edits
    irina: Actor
    client_id: int


_logins = itertools.count()


@pytest.fixture(autouse=True)
def english(qapp: Any) -> Iterator[None]:
    """The English plural forms ("1 field conflicts", "2 fields conflict")."""
    before = QLocale()
    installed = i18n.install(qapp, "en")
    yield
    i18n.uninstall(qapp, installed)
    QLocale.setDefault(before)


@pytest.fixture
def server(pg_admin_url: str, pg_template: str) -> Iterator[Server]:
    owner_url = _fresh_pg(pg_admin_url, pg_template)
    owner_db = open_database(owner_url, upgrade=False)
    team.init(owner_db)
    with owner_db.reader() as uow:
        owner = bootstrap.actor_for(uow, "postgres")
    login = f"irina_{os.getpid()}_{next(_logins)}"  # logins are the cluster's, not a db's
    team.add_user(owner_db, owner, login, "manager", full_name="Ирина Полевая")
    owner_db.dispose()
    url = make_url(owner_url).set(username=login).render_as_string(False)
    db = open_database(url, upgrade=False)
    with db.reader() as uow:
        irina = bootstrap.actor_for(uow, login)
    client = creating.add_client(db, irina, "ООО «Полевая»").value
    yield Server(url, db, irina, client.id)
    db.dispose()


def make_replica(tmp_path: Path, server_url: str) -> Database:
    path = tmp_path / "replica.sqlite3"
    use_cases.init_replica(path, server_url, str(make_url(server_url).username))
    return open_database(f"sqlite:///{path}")


def local_id(replica: Database, server: Server) -> int:
    from models import Client

    with server.db.reader() as uow:
        uid = uow.session.get(Client, server.client_id).uid  # type: ignore[union-attr]
    with replica.reader() as uow:
        found = uow.session.scalar(select(Client.id).where(Client.uid == uid))
    assert found is not None
    return int(found)


def window_parts(replica: Database, qtbot: QtBot) -> tuple[UiContext, ReplicaDriver, Lane]:
    """The desktop's wiring on real lanes: reads and the replica's own."""
    reads, lane = Lane("test-reads"), Lane("test-replica")
    ctx = make_ctx(replica, reads=reads, login=use_cases.status(replica).login)
    scope = Scope(actor=ctx.actor, user_id=ctx.actor.id)
    driver = ReplicaDriver(replica, lane, reads, scope, bus=ctx.bus)
    ctx.replica = driver
    return ctx, driver, lane


def test_a_sync_runs_on_its_lane_and_the_indicator_follows(
    qtbot: QtBot, server: Server, tmp_path: Path
) -> None:
    replica = make_replica(tmp_path, server.url)
    ctx, driver, lane = window_parts(replica, qtbot)
    try:
        bar = StatusBar(ctx)
        qtbot.addWidget(bar)
        with qtbot.waitSignal(driver.status_changed):
            driver.check_online()
        assert bar.replica is not None
        assert not bar.replica.isHidden()  # a replica: the indicator is on
        assert bar.replica.text.text() == "Online · synced just now"
        client_id = local_id(replica, server)
        edit_cases.edit_client(replica, ctx.actor, client_id, address="Тверь, ул. Полевая, 1")
        with qtbot.waitSignal(driver.status_changed):
            driver.refresh_status()
        assert bar.replica.text.text() == "Online · synced just now · 1 pending"

        with qtbot.waitSignal(driver.sync_finished, timeout=60_000) as finished:
            driver.sync_now()
            # sync_now returned before the lane did the work: the GUI thread is free
            assert bar.replica.text.text().startswith("Syncing…")
        assert finished.args[0].pushed >= 1
        qtbot.waitUntil(lambda: bar.replica.text.text() == "Online · synced just now")
        with server.db.reader() as uow:
            from models import Client

            row = uow.session.get(Client, server.client_id)
            assert row is not None
            assert row.address == "Тверь, ул. Полевая, 1"
        assert not ctx.errors  # type: ignore[attr-defined]
    finally:
        lane.shutdown()
        replica.dispose()


def test_an_unanswering_server_is_offline_with_a_backoff_and_no_error(
    qtbot: QtBot, server: Server, tmp_path: Path
) -> None:
    rig = make_url(server.url)
    proxy = TcpProxy((str(rig.host), int(rig.port or 5432))).start()
    via_proxy = rig.set(host=proxy.host, port=proxy.port).render_as_string(False)
    replica = make_replica(tmp_path, via_proxy)
    proxy.close()  # the laptop leaves the office
    ctx, driver, lane = window_parts(replica, qtbot)
    try:
        bar = StatusBar(ctx)
        qtbot.addWidget(bar)
        with qtbot.waitSignal(driver.status_changed, timeout=30_000):
            driver.check_online()  # the app starts without the server
        seeded = use_cases.status(replica).last_sync_at
        assert seeded is not None
        assert driver.offline_since == seeded  # offline since the last sync, not since start
        edit_cases.edit_client(replica, ctx.actor, local_id(replica, server), region="RU")
        with qtbot.waitSignal(driver.sync_finished, timeout=30_000) as finished:
            driver.sync_now()
        assert finished.args == [None]
        assert driver.online is False
        assert driver.offline_since == seeded
        qtbot.waitUntil(lambda: bar.replica.text.text().endswith("· 1 pending"))
        assert bar.replica.text.text().startswith("Offline since ")
        assert not ctx.errors  # type: ignore[attr-defined]
        with replica.reader() as uow:
            state = scheduler.states(uow, [scheduled.KEY])[scheduled.KEY]
        assert state.failures == 1
        assert state.next_run_at is not None
        assert state.last_run_at is not None
        assert state.next_run_at - state.last_run_at == dt.timedelta(minutes=1)
    finally:
        lane.shutdown()
        replica.dispose()


def test_a_conflict_shows_on_the_card_and_keep_mine_changes_it(
    qtbot: QtBot, server: Server, tmp_path: Path
) -> None:
    replica = make_replica(tmp_path, server.url)
    ctx = make_ctx(replica, login=server.irina.login)
    ctx.replica = object()  # the banner reads conflicts on any replica window
    client_id = local_id(replica, server)
    edit_cases.edit_client(replica, ctx.actor, client_id, name="ООО «Полевая» (ноутбук)")
    edit_cases.edit_client(server.db, server.irina, server.client_id, name="ООО «Полевая» (офис)")
    report = use_cases.sync(replica, server.db)
    assert report.conflicts == 1

    card = CardWidget(ctx, "client", client_id)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitUntil(lambda: card.conflicts.isVisible())
    assert card.conflicts.text.text() == "1 field conflicts after sync"
    assert card.data is not None
    assert card.data.title == "ООО «Полевая» (офис)"

    card.conflicts.review.click()
    dialog: SyncConflictsDialog = card.conflicts.dialog
    qtbot.addWidget(dialog)
    assert len(dialog.rows) == 1
    row = dialog.rows[0]
    assert row.mine.text() == "ООО «Полевая» (ноутбук)"
    assert row.theirs.text() == "ООО «Полевая» (офис)"
    row.keep_mine.click()
    qtbot.waitUntil(lambda: not card.conflicts.isVisible())
    qtbot.waitUntil(lambda: card.data is not None and "ноутбук" in card.data.title)
    assert dialog.stack.currentWidget() is dialog.empty
    assert "No conflicts" in dialog.empty.text()
    assert use_cases.status(replica).conflicts == 0
    assert use_cases.status(replica).pending >= 1  # the choice is an edit to push
    replica.dispose()


def test_the_app_syncs_a_replica_on_the_ticker_and_never_on_the_gui_thread(
    qtbot: QtBot, server: Server, tmp_path: Path
) -> None:
    """The desktop's own wiring (desktop/container.py): the ticker finds the
    replica's job due and hands it to the driver; no statement of it runs on
    the GUI thread."""
    import threading

    from sqlalchemy import event

    from desktop import container
    from models import SyncState

    replica = make_replica(tmp_path, server.url)
    with replica.uow() as uow:  # the last sync was ten minutes ago: due now
        state = uow.session.get(SyncState, "last_pull_at")
        assert state is not None
        state.value = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat()
        uow.commit()
    edit_cases.edit_client(
        replica, server.irina, local_id(replica, server), address="Тверь, ул. Полевая, 2"
    )
    url = str(replica.engine.url)
    replica.dispose()
    prefs = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    parts = container.build(url, prefs, server.irina.login)
    assert parts.replica is not None
    assert parts.ticker.executor(scheduled.KEY) is parts.replica
    statements_on: set[str] = set()

    def on_execute(*_args: object) -> None:
        statements_on.add(threading.current_thread().name)

    event.listen(parts.db.engine, "before_cursor_execute", on_execute)
    try:
        with qtbot.waitSignal(parts.replica.sync_finished, timeout=60_000) as finished:
            parts.ticker.start()
        assert finished.args[0].pushed == 1
    finally:
        parts.shutdown()
    assert threading.main_thread().name not in statements_on
    with server.db.reader() as uow:
        from models import Client

        row = uow.session.get(Client, server.client_id)
        assert row is not None
        assert row.address == "Тверь, ул. Полевая, 2"


def test_stop_working_offline_offers_to_sync_first_and_then_nothing_is_pending(
    qtbot: QtBot, server: Server, tmp_path: Path
) -> None:
    from ui.settings.database_page import DatabasePage
    from ui.shell.preferences import Preferences

    replica = make_replica(tmp_path, server.url)
    ctx, driver, lane = window_parts(replica, qtbot)
    try:
        edit_cases.edit_client(
            replica, ctx.actor, local_id(replica, server), address="Тверь, ул. Полевая, 3"
        )
        prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
        prefs.replica_url = replica.url
        page = DatabasePage(ctx, prefs)
        qtbot.addWidget(page)
        section = page.replica
        qtbot.waitUntil(lambda: section.status is not None and section.status.pending == 1)
        section.stop_button.click()
        assert section.box is not None
        assert section.box.text() == "1 change on this laptop has not reached the server yet."
        assert section.sync_first is not None
        with qtbot.waitSignal(driver.sync_finished, timeout=60_000):
            section.sync_first.click()
        qtbot.waitUntil(lambda: section.status is not None and section.status.pending == 0)
        assert prefs.replica_url == replica.url  # still offline: the user stops when ready
        section.stop_button.click()
        assert section.box.text().startswith("Touchpoint will work on the server again")
        section.stop_anyway.click()
        # Stopping first asks (on a lane) whether scenario runs must go back to the server.
        qtbot.waitUntil(lambda: prefs.replica_url == "", timeout=30_000)
        assert section.message.text() == "Touchpoint works on the server from its next start."
        with server.db.reader() as uow:
            from models import Client

            row = uow.session.get(Client, server.client_id)
            assert row is not None
            assert row.address == "Тверь, ул. Полевая, 3"
        assert not ctx.errors  # type: ignore[attr-defined]
    finally:
        lane.shutdown()
        replica.dispose()
