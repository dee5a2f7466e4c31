"""Settings → Database → "Work offline on this laptop" (issue #20).

Makes a replica of the team server named above it on the page: the
login's password goes to the keyring first (never into a file), then
``init_replica`` copies what the login may see into a SQLite file in the
data folder, off the GUI thread, showing the records copied of those to
copy, per kind, with a Cancel that stops after the current batch. The app
opens the replica only from its next start and only once the copy
finished: a copy that failed, was cancelled or was left half-way (the app
closed) is never opened, and the next try resumes it. "Stop working offline" goes back to the
server; with changes not yet synced it offers to sync first, and drops
them only when the user says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from services.core import server
from services.core.errors import UserError
from services.sync.copying import CopyCancelled, CopyProgress, Watch
from services.sync.types import ReplicaStatus
from ui.context import UiContext
from ui.settings.replica_words import count as _count
from ui.settings.replica_words import kinds_label, server_name
from ui.shell import error_text, formatting
from ui.shell.preferences import Preferences
from ui.widgets.plain import plain_label
from ui.widgets.questions import destructive_box
from ui.widgets.work import Work


def replica_url() -> str:
    from services.sync import use_cases

    return f"sqlite:///{use_cases.default_replica_path()}"


class ReplicaSection(QGroupBox):
    """``server_url`` reads the server form above (None: not filled in, the
    form says why); ``password`` what was typed there ("" : the keyring's)."""

    # the copy's progress, emitted on the copying lane, shown on the GUI thread
    copy_progressed = Signal(object)
    # this window runs on a replica (its status says so): the page above
    # hides the server form, which means nothing there
    status_shown = Signal(object)  # ReplicaStatus | None

    def __init__(
        self,
        ctx: UiContext,
        prefs: Preferences,
        server_url: Callable[[], str | None],
        password: Callable[[], str],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Work offline"))
        self._ctx, self._prefs = ctx, prefs
        self._server_url, self._password = server_url, password
        self._work = Work(ctx, self)
        self.state = plain_label("")
        self.state.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Work offline on this laptop"))
        self.start_button.setToolTip(
            self.tr(
                "Copy the clients you may see from the server above to this laptop; "
                "work without a network and sync when it is back"
            )
        )
        self.stop_button = QPushButton(self.tr("Stop working offline"))
        # the state line counts conflicts and refusals: here is where to see them
        self.review_button = QPushButton(self.tr("Review conflicts…"))
        self.review_button.clicked.connect(self.review)
        self.review_dialog: Any = None
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the records to copy are counted
        self.progress.setVisible(False)
        self.progress_text = plain_label("")
        self.progress_text.setWordWrap(True)
        self.progress_text.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(
            self.tr("Stop the copy after the current batch; the next try goes on from there")
        )
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self._stop = threading.Event()
        stop = self._stop
        self.destroyed.connect(lambda *_: stop.set())  # a closed window stops its copy
        self.copy_progressed.connect(self._on_copy_progressed)
        self.copied: CopyProgress | None = None
        self.message = plain_label("")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.review_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.state)
        column.addLayout(buttons)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        column.addLayout(bar)
        column.addWidget(self.progress_text)
        column.addWidget(self.message)
        self.status: ReplicaStatus | None = None
        self.runs = 0  # live scenario runs this laptop executes (handed back on stopping)
        self.others = True  # stopping pushes the other pending changes too
        self.busy = False
        self.box: QMessageBox | None = None
        self.made: ReplicaStatus | None = None
        self.sync_first: Any = None
        self.stop_anyway: Any = None
        self._show()
        self.refresh()
        driver = ctx.replica
        if driver is not None:  # counts after a sync ("Sync first")
            driver.status_changed.connect(self._on_status_read)

    def _in_use(self) -> bool:
        """This window runs on the replica (not just chose it for next time)."""
        return self.status is not None and self.status.is_replica

    def refresh(self) -> None:
        """Whether this window runs on a replica, and where it stands (no network)."""
        db = self._ctx.db

        def read() -> tuple[ReplicaStatus, int]:
            from services.sync import handover, use_cases

            status = use_cases.status(db)
            return status, handover.runs_here(db) if status.is_replica else 0

        self._work.submit(self._ctx.reads, read, self._on_read, self._failed)

    def _on_read(self, read: tuple[ReplicaStatus, int]) -> None:
        self.status, self.runs = read
        self._show()

    def _on_status_read(self, status: ReplicaStatus) -> None:
        self.status = status
        self._show()

    def _show(self) -> None:
        # a window running on a copy (opened with --db too) only stops it
        chosen = bool(self._prefs.replica_url) or self._in_use()
        self.start_button.setVisible(not chosen)
        self.stop_button.setVisible(chosen)
        self.start_button.setEnabled(not self.busy)
        self.stop_button.setEnabled(not self.busy)
        status = self.status
        if not chosen:
            text = self.tr(
                "This computer works on the server directly. Working offline keeps a copy "
                "of your clients on this laptop and syncs it with the server."
            )
        elif status is None or not status.is_replica:
            text = self.tr("Touchpoint works offline on this laptop from its next start.")
        else:
            last = (
                formatting.date_time(status.last_sync_at)
                if status.last_sync_at is not None
                else self.tr("never")
            )
            text = (
                self.tr("Offline copy of %1 as %2. Last sync: %3.")
                .replace("%1", server_name(status.server_url or ""))
                .replace("%2", status.login or "")
                .replace("%3", last)
            )
            text += " " + self.tr("%n change(s) not yet synced.", "", status.pending)
            if status.conflicts:
                text += " " + self.tr("%n conflict(s) to review.", "", status.conflicts)
            if status.refused:
                text += " " + self.tr("%n change(s) refused by the server.", "", status.refused)
        self.state.setText(text)
        self.review_button.setVisible(
            chosen and self._in_use() and bool(status and (status.conflicts or status.refused))
        )
        self.status_shown.emit(status)

    def review(self) -> None:
        """The conflict list the status bar opens, from here too."""
        from ui.dialogs.sync_conflicts import SyncConflictsDialog

        self.review_dialog = SyncConflictsDialog(self._ctx, self.window())
        self.review_dialog.open()

    # --- starting ---------------------------------------------------------------------

    def start(self) -> None:
        url = self._server_url()
        if url is None:
            return
        login = server.address_of(url)
        if login is None:
            return
        password, target = self._password(), replica_url()
        self.busy = True
        self._stop.clear()
        self.copied = None
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.progress_text.setText("")
        self.progress_text.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.message.setText(
            self.tr("Copying what %1 may see from the server… Keep Touchpoint open.").replace(
                "%1", login.login
            )
        )
        self._show()
        watch = Watch(self._relay, self._stop.is_set)

        def make() -> ReplicaStatus:
            from services.sync import use_cases

            # the login and password are tried first: a refusal is said in
            # words and a wrong password never replaces the keyring's
            server.probe(url, password or None)
            # the password goes to the keyring, never into the file; a copy
            # an earlier try left half-made is resumed
            return use_cases.init_replica(
                target, url, login.login, password=password or None, watch=watch
            )

        # the replica driver's own lane: a long copy holds up neither the
        # window's reads nor its writes
        lane = getattr(self._ctx.replica, "lane", None) or self._ctx.reads
        self._work.submit(lane, make, self._on_made, self._on_make_failed)

    def _relay(self, progress: CopyProgress) -> None:
        """On the copying lane: hand the progress to the GUI thread."""
        try:
            self.copy_progressed.emit(progress)
        except RuntimeError:  # the window is gone; its copy stops at the next batch
            self._stop.set()

    def _on_copy_progressed(self, progress: CopyProgress) -> None:
        self.copied = progress
        total = max(progress.total_all, 1)
        self.progress.setRange(0, total)
        self.progress.setValue(min(progress.copied_all, total))
        head = (
            self.tr("%1 of %2 records copied")
            .replace("%1", _count(progress.copied_all))
            .replace("%2", _count(progress.total_all))
        )
        total_of = dict(progress.total)
        kinds = " · ".join(
            f"{kinds_label(kind)} {_count(done)}/{_count(total_of.get(kind, done))}"
            for kind, done in progress.copied
        )
        self.progress_text.setText(f"{head}: {kinds}" if kinds else head)

    def cancel(self) -> None:
        """Stop after the current batch: what was copied stays for the next try."""
        self._stop.set()
        self.cancel_button.setEnabled(False)
        self.message.setText(self.tr("Stopping after the current batch…"))

    def _copy_over(self) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self.progress_text.setVisible(False)
        self.cancel_button.setVisible(False)

    def _on_made(self, status: ReplicaStatus) -> None:
        self._copy_over()
        self._prefs.replica_url = replica_url()
        self.made = status  # the new copy's; ``status`` stays this window's database's
        self.message.setText(
            self.tr("The offline copy is ready. Restart Touchpoint to work on it.")
        )
        self._show()

    def _on_make_failed(self, exc: BaseException) -> None:
        self._copy_over()
        self._show()
        if isinstance(exc, CopyCancelled):
            self.message.setText(
                self.tr(
                    "The copy was stopped. Touchpoint keeps working on the server; "
                    "“Work offline on this laptop” goes on from where it stopped."
                )
            )
            return
        self._failed(exc)

    # --- stopping ---------------------------------------------------------------------

    def stop(self) -> None:
        """Asks first; with changes not yet on the server, offers to sync them
        (when this window runs on the replica) and stops without them only
        when told."""
        pending = self.status.pending if self.status is not None and self._in_use() else 0
        driver = self._ctx.replica if self._in_use() else None
        known = getattr(driver, "status", None) or self.status  # the driver's knows online
        offline = known is not None and known.online is False
        self.sync_first = None
        self.others = not pending  # "Stop without them" leaves them on the laptop
        title = self.tr("Stop working offline")
        if pending:
            said = self.tr(
                "Sync them first, or stop without them: the server will not get them, "
                "they stay only in the copy on this laptop."
            )
            if offline and driver is not None:
                said += " " + self.tr(
                    "The server cannot be reached now: to sync first, connect and try again."
                )
            if self.runs:
                said += " " + self.tr(
                    "The scenario runs this laptop executes still go to the server, "
                    "with the records they are on."
                )
            box, self.stop_anyway = destructive_box(
                self,
                title,
                self.tr(
                    "%n change(s) on this laptop have not reached the server yet.", "", pending
                ),
                self.tr("Stop without them"),
                details=said,
            )
            box.setIcon(QMessageBox.Icon.Warning)
            if driver is not None:
                self.sync_first = box.addButton(
                    self.tr("Sync first"), QMessageBox.ButtonRole.AcceptRole
                )
                self.sync_first.setEnabled(not offline)
                if not offline:
                    box.setDefaultButton(self.sync_first)
        else:
            box, self.stop_anyway = destructive_box(
                self,
                title,
                self.tr(
                    "Touchpoint will work on the server again from its next start; "
                    "the copy on this laptop stays in the data folder."
                ),
                self.tr("Stop working offline"),
            )
        box.buttonClicked.connect(self._on_stop_answer)
        self.box = box
        box.open()

    def _on_stop_answer(self, button: Any) -> None:
        if button is self.sync_first and self._ctx.replica is not None:
            self.message.setText(self.tr("Syncing… Stop again once nothing is pending."))
            self._ctx.replica.sync_now()
        elif button is self.stop_anyway:
            if self._in_use():
                self._hand_back_then_stop()
            else:
                self._stopped()

    def _hand_back_then_stop(self) -> None:
        """Scenario runs started on this laptop are run by it alone: before
        it stops, they go back to the server (a sync; services/sync/handover.py).
        Offline that is refused and the laptop keeps working offline. After
        "Stop without them" its syncs push only what the runs need."""
        db, others = self._ctx.db, self.others

        def hand_back() -> object:
            from services.sync import handover

            # "Stop without them": only what the runs need goes up
            return handover.hand_back(db, others=others) if handover.runs_here(db) else None

        self.busy = True
        self.progress.setVisible(True)
        self.message.setText(self.tr("Handing the scenario runs of this laptop to the server…"))
        lane = getattr(self._ctx.replica, "lane", None) or self._ctx.reads
        self._work.submit(lane, hand_back, self._on_handed_back, self._on_hand_back_failed)

    def _on_handed_back(self, _done: object) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self._stopped()

    def _on_hand_back_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self._show()
        self._failed(exc)

    def _stopped(self) -> None:
        self._prefs.replica_url = ""
        self.status = None
        self.message.setText(self.tr("Touchpoint works on the server from its next start."))
        self._show()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.message.setText(error_text.message(exc))
        else:
            self._ctx.report_error(exc)
