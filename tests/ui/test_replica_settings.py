"""Settings → Database → "Work offline on this laptop" (issue #20) against
the real team PostgreSQL: the copy is made off the GUI thread with the
login's password kept in the keyring only, the app opens it from the next
start, and "Stop working offline" never drops unsent changes unasked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from desktop.lanes import Lane
from models import Client, SyncLog
from services.core import bootstrap, server, team
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.parties import use_cases as creating
from services.sync import use_cases
from tests.conftest import _fresh_pg
from tests.ui.helpers import make_ctx
from ui.settings.database_page import DatabasePage
from ui.shell.preferences import Preferences

pytestmark = pytest.mark.postgres
PASSWORD = "Полевой сезон 2026"


@dataclasses.dataclass
class Server:
    url: str  # as the manager's own login, no password
    owner: Database
    manager: Actor


@pytest.fixture(scope="module")
def password_login(pg_admin_url: str) -> Iterator[None]:
    """The login pw_irina must give its password (the rest stay on trust)."""
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        hba = str(conn.execute(text("SHOW hba_file")).scalar_one())
        with open(hba, encoding="utf-8") as f:
            original = f.read()
        with open(hba, "w", encoding="utf-8") as f:
            f.write("host all pw_irina 127.0.0.1/32 scram-sha-256\n" + original)
        conn.execute(text("SELECT pg_reload_conf()"))
    yield
    with admin.connect() as conn:
        with open(hba, "w", encoding="utf-8") as f:
            f.write(original)
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()


@pytest.fixture(scope="module")
def team_server(pg_admin_url: str, pg_template: str, password_login: None) -> Iterator[Server]:
    owner_url = _fresh_pg(pg_admin_url, pg_template)
    owner = open_database(owner_url, upgrade=False)
    team.init(owner)
    with owner.reader() as uow:
        admin = bootstrap.actor_for(uow, "postgres")
    team.add_user(owner, admin, "pw_irina", "manager", full_name="Ирина Полевая", password=PASSWORD)
    with owner.reader() as uow:
        irina = bootstrap.actor_for(uow, "pw_irina")
    creating.add_client(owner, irina, "ООО «Полевая»")
    creating.add_client(owner, admin, "ООО «Чужая»")  # not hers: RLS keeps it on the server
    url = make_url(owner_url).set(username="pw_irina").render_as_string(False)
    yield Server(url, owner, irina)
    owner.dispose()


@pytest.fixture
def english(qapp: Any) -> Iterator[None]:
    """The English plural forms ("1 change", "2 changes")."""
    from PySide6.QtCore import QLocale

    from ui.shell import i18n

    before = QLocale()
    installed = i18n.install(qapp, "en")
    yield
    i18n.uninstall(qapp, installed)
    QLocale.setDefault(before)


class ReplicaLane(QObject):
    """What the section uses of the replica driver: its lane."""

    status_changed = Signal(object)

    def __init__(self, lane: Lane) -> None:
        super().__init__()
        self.lane = lane


def _page(qtbot: QtBot, ctx: Any, tmp_path: Path) -> tuple[DatabasePage, Preferences]:
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    page = DatabasePage(ctx, prefs)
    qtbot.addWidget(page)
    return page, prefs


def test_work_offline_makes_the_replica_off_the_gui_thread(
    qtbot: QtBot, team_server: Server, tmp_path: Path
) -> None:
    lane = Lane("test-replica")
    ctx = make_ctx(team_server.owner, login="postgres")
    ctx.replica = ReplicaLane(lane)
    page, prefs = _page(qtbot, ctx, tmp_path)
    section = page.replica
    assert not section.start_button.isHidden()
    assert section.stop_button.isHidden()
    rig = make_url(team_server.url)
    page.host.setText(str(rig.host))
    page.port.setValue(int(rig.port or 5432))
    page.database.setText(str(rig.database))
    page.login.setText("pw_irina")
    page.tls.setChecked(False)
    page.password.setText(PASSWORD)
    try:
        section.start_button.click()
        assert section.busy  # the click returned; the copy runs on the lane
        assert not section.progress.isHidden()
        assert section.message.text() == (
            "Copying what pw_irina may see from the server… Keep Touchpoint open."
        )
        qtbot.waitUntil(lambda: not section.busy, timeout=120_000)
    finally:
        lane.shutdown()
    assert not ctx.errors  # type: ignore[attr-defined]
    assert section.message.text() == (
        "The offline copy is ready. Restart Touchpoint to work on it."
    )
    assert section.progress.isHidden()
    path = use_cases.default_replica_path()
    assert prefs.replica_url == f"sqlite:///{path}"
    assert not section.stop_button.isHidden()
    assert PASSWORD.encode() not in path.read_bytes()  # the keyring has it, not the file
    assert server.probe(team_server.url).login == "pw_irina"  # ... and it works from there
    replica = open_database(prefs.replica_url)
    try:
        status = use_cases.status(replica)
        assert status.is_replica
        assert status.login == "pw_irina"
        with replica.reader() as uow:
            assert list(uow.session.scalars(select(Client.name))) == ["ООО «Полевая»"]
    finally:
        replica.dispose()


def test_a_refused_login_is_a_message_and_nothing_is_chosen(
    qtbot: QtBot, team_server: Server, tmp_path: Path
) -> None:
    ctx = make_ctx(team_server.owner, login="postgres")
    page, prefs = _page(qtbot, ctx, tmp_path)
    rig = make_url(team_server.url)
    page.host.setText(str(rig.host))
    page.port.setValue(int(rig.port or 5432))
    page.database.setText(str(rig.database))
    page.login.setText("pw_irina")
    page.tls.setChecked(False)
    page.password.setText("не тот пароль")
    page.replica.start_button.click()
    qtbot.waitUntil(lambda: not page.replica.busy)
    assert not ctx.errors, ctx.errors  # type: ignore[attr-defined]
    assert page.replica.message.text().startswith("The server refused the login or password")
    assert prefs.replica_url == ""
    assert not ctx.errors  # type: ignore[attr-defined]


def test_stop_working_offline_asks_before_dropping_unsent_changes(
    qtbot: QtBot, team_server: Server, tmp_path: Path, english: None
) -> None:
    server.save_password(team_server.url, PASSWORD)
    use_cases.init_replica(tmp_path / "replica.sqlite3", team_server.url, "pw_irina")
    replica = open_database(f"sqlite:///{tmp_path / 'replica.sqlite3'}")
    try:
        with replica.uow() as uow:  # an edit made offline, as the change log keeps it
            uow.session.add(
                SyncLog(
                    op_uid="0190aaaa-0000-7000-8000-000000000001",
                    kind="client",
                    uid="0190aaaa-0000-7000-8000-000000000002",
                    field="address",
                    value='"Тверь"',
                    hlc=f"{int(dt.datetime.now(dt.UTC).timestamp() * 1000):012x}:0000:n1",
                )
            )
            uow.commit()
        ctx = make_ctx(replica, login="pw_irina")
        page, prefs = _page(qtbot, ctx, tmp_path)
        prefs.replica_url = replica.url
        section = page.replica
        section.refresh()
        assert section.state.text().startswith("Offline copy of ")
        assert "1 change not yet synced." in section.state.text()
        section.stop_button.click()
        box = section.box
        assert box is not None
        assert box.text() == "1 change on this laptop has not reached the server yet."
        assert section.sync_first is None  # no sync driver in this window
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        assert box.defaultButton() is cancel  # Enter and Escape keep the copy
        assert box.escapeButton() is cancel
        cancel.click()
        assert prefs.replica_url == replica.url  # nothing changed
        section.stop_button.click()
        assert section.box is not None
        section.stop_anyway.click()
        assert prefs.replica_url == ""
        assert section.message.text() == "Touchpoint works on the server from its next start."
    finally:
        replica.dispose()


def test_stop_without_them_hands_back_only_the_runs(
    qtbot: QtBot,
    team_server: Server,
    tmp_path: Path,
    english: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With live scenario runs on the laptop the dialog says they still go
    to the server, and "Stop without them" hands back only what they need
    (services/sync/handover.py, tested against the server in
    tests/integration/test_replica_scenarios.py)."""
    from services.sync import handover

    server.save_password(team_server.url, PASSWORD)
    use_cases.init_replica(tmp_path / "replica.sqlite3", team_server.url, "pw_irina")
    replica = open_database(f"sqlite:///{tmp_path / 'replica.sqlite3'}")
    asked: list[dict[str, Any]] = []
    monkeypatch.setattr(handover, "runs_here", lambda _db: 1)
    monkeypatch.setattr(handover, "hand_back", lambda _db, **kw: asked.append(kw))
    try:
        with replica.uow() as uow:
            uow.session.add(
                SyncLog(
                    op_uid="0190aaaa-0000-7000-8000-000000000003",
                    kind="client",
                    uid="0190aaaa-0000-7000-8000-000000000004",
                    field="address",
                    value='"Тверь"',
                    hlc=f"{int(dt.datetime.now(dt.UTC).timestamp() * 1000):012x}:0000:n1",
                )
            )
            uow.commit()
        ctx = make_ctx(replica, login="pw_irina")
        page, prefs = _page(qtbot, ctx, tmp_path)
        prefs.replica_url = replica.url
        section = page.replica
        section.refresh()
        qtbot.waitUntil(lambda: section.runs == 1)
        section.stop_button.click()
        assert section.box is not None
        assert section.box.informativeText().endswith(
            "The scenario runs this laptop executes still go to the server, "
            "with the records they are on."
        )
        section.stop_anyway.click()
        qtbot.waitUntil(lambda: prefs.replica_url == "")
        assert asked == [{"others": False}]
    finally:
        replica.dispose()


def test_init_with_a_wrong_password_is_refused_and_the_kept_password_stays(
    team_server: Server, tmp_path: Path
) -> None:
    """The headless path (`touchpoint replica init`) tries a given password
    before it keeps it: a typo is a sentence, the keyring keeps the good one,
    and no replica file is made."""
    from services.core.errors import UserError
    from services.sync.use_cases import init_replica

    server.save_password(team_server.url, PASSWORD)
    path = tmp_path / "laptop.sqlite3"
    with pytest.raises(UserError, match="refused the login or password"):
        init_replica(path, team_server.url, "pw_irina", password="не тот пароль")
    assert server.with_keyring_password(make_url(team_server.url)).password == PASSWORD
    assert not path.exists()


def test_the_copy_shows_records_copied_per_kind_and_cancel_leaves_nothing_chosen(
    qtbot: QtBot, team_server: Server, tmp_path: Path, english: None
) -> None:
    import threading

    lane = Lane("test-replica")
    ctx = make_ctx(team_server.owner, login="postgres")
    ctx.replica = ReplicaLane(lane)
    page, prefs = _page(qtbot, ctx, tmp_path)
    section = page.replica
    rig = make_url(team_server.url)
    page.host.setText(str(rig.host))
    page.port.setValue(int(rig.port or 5432))
    page.database.setText(str(rig.database))
    page.login.setText("pw_irina")
    page.tls.setChecked(False)
    page.password.setText(PASSWORD)
    shown: list[str] = []
    section.copy_progressed.connect(lambda _p: shown.append(section.progress_text.text()))
    held = threading.Event()
    try:
        # The lane is busy with something else: the copy waits behind it,
        # and Cancel is pressed before its first batch.
        lane.submit(lambda: held.wait(30), lambda _v: None, lambda _e: None)
        section.start_button.click()
        assert not section.cancel_button.isHidden()
        section.cancel_button.click()
        assert section.message.text() == "Stopping after the current batch…"
        held.set()
        qtbot.waitUntil(lambda: not section.busy, timeout=120_000)
        assert section.message.text().startswith("The copy was stopped.")
        assert prefs.replica_url == ""  # a copy that did not finish is never opened
        assert section.cancel_button.isHidden()
        assert not ctx.errors  # type: ignore[attr-defined]
        replica = open_database(f"sqlite:///{use_cases.default_replica_path()}")
        try:
            with replica.reader() as uow:
                assert list(uow.session.scalars(select(Client.name))) == []
        finally:
            replica.dispose()

        section.start_button.click()  # the next try goes on
        qtbot.waitUntil(lambda: not section.busy, timeout=120_000)
    finally:
        lane.shutdown()
    assert not ctx.errors  # type: ignore[attr-defined]
    assert prefs.replica_url == f"sqlite:///{use_cases.default_replica_path()}"
    assert section.copied is not None
    assert section.copied.copied == section.copied.total
    assert dict(section.copied.total)["client"] == 1  # hers only: RLS decides
    assert shown[0].startswith("0 of ")  # counted before the first batch
    assert shown[-1].startswith(f"{section.copied.total_all} of {section.copied.total_all}")
    assert "Clients 1/1" in shown[-1]


def test_on_a_replica_the_page_offers_only_stopping(
    qtbot: QtBot, team_server: Server, tmp_path: Path, english: None
) -> None:
    """It still offered the server form and "Use the database on this
    computer", which mean nothing on a copy: the page says whose copy this
    is and why the rest is gone, and keeps "Stop working offline"."""
    server.save_password(team_server.url, PASSWORD)
    use_cases.init_replica(tmp_path / "replica.sqlite3", team_server.url, "pw_irina")
    replica = open_database(f"sqlite:///{tmp_path / 'replica.sqlite3'}")
    try:
        page, prefs = _page(qtbot, make_ctx(replica, login="pw_irina"), tmp_path)
        assert prefs.replica_url == ""  # opened with --db: still a copy
        page.show()
        rig = make_url(team_server.url)
        assert page.current.text() == (
            f"This laptop works on its offline copy of {rig.host}/{rig.database}, as pw_irina."
        )
        assert page.replica_note.isVisible()
        assert "stop working offline below" in page.replica_note.text()
        for hidden in (page.host, page.test_button, page.save_button, page.local_button):
            assert not hidden.isVisible()
        assert page.replica.stop_button.isVisible()
        assert not page.replica.start_button.isVisible()
    finally:
        replica.dispose()
