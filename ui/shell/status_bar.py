"""The status bar: which database, how mail sync goes, and whether we are offline.

Mail says what the mailboxes last stored (the error Settings → Mail shows,
or the last sync's time) from the start, then follows the mail driver."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QWidget

from services.core.changes import Changes
from services.mail import accounts
from ui.context import UiContext
from ui.shell import formatting
from ui.shell.icons import icon
from ui.shell.sync_indicator import SyncIndicator
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.work import Work


def database_name(url: str) -> str:
    """``touchpoint.sqlite3`` for a file, ``host/db`` for a server."""
    if url.startswith("sqlite"):
        return PurePath(url.split(":///", 1)[-1]).name or url
    rest = url.split("://", 1)[-1]
    return rest.rsplit("@", 1)[-1]


class _IconLabel(QWidget):
    def __init__(self, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel()
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(16, 16)))
        self.text = plain_label()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.icon)
        layout.addWidget(self.text)

    def set_icon(self, icon_name: str) -> None:
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(16, 16)))


class StatusBar(QStatusBar):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = _IconLabel("database")
        self.database.text.setText(self.tr("Database: %1").replace("%1", database_name(ctx.db.url)))
        self.database.setToolTip(tooltip(ctx.db.url))
        self.sync = _IconLabel("sync")
        self.sync.text.setText(self.tr("Mail: no sync yet"))
        self.offline = _IconLabel("offline")
        self.offline.setVisible(False)
        self.addWidget(self.database)
        self.addPermanentWidget(self.offline)
        self.addPermanentWidget(self.sync)
        self._online = True
        self._waiting = 0
        self._heard = False  # a sync result from the driver since the start
        self._user_id = ctx.actor.id
        mail: Any = ctx.mail
        if mail is not None and hasattr(mail, "sync_progressed"):
            self._online = bool(mail.online)
            mail.sync_progressed.connect(self._on_mail_sync_progressed)
            mail.sync_finished.connect(self._on_mail_sync_finished)
            mail.sync_failed.connect(self._on_mail_sync_failed)
            mail.outbox_changed.connect(self._on_mail_outbox_changed)
            mail.online_changed.connect(self._on_mail_online_changed)
        else:
            self.sync.setVisible(False)
        if ctx.drafts is not None:
            ctx.drafts.ready.connect(self._on_drafts_ready)
        self._mail = mail
        self.replica: SyncIndicator | None = None
        if ctx.replica is not None:
            self._add_replica(ctx)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._show_offline()
        if mail is not None and hasattr(mail, "sync_progressed"):
            self._work = Work(ctx, self)
            self._work.read(accounts.list_accounts, self._on_accounts_read)

    def _add_replica(self, ctx: UiContext) -> None:
        """A laptop replica (issue #20): shown once its status says it is one."""
        self.replica = SyncIndicator(ctx.replica, self)
        self.replica.setVisible(False)
        self.replica.conflicts_requested.connect(self._on_replica_conflicts_requested)
        ctx.replica.status_changed.connect(self._on_replica_status_changed)
        self.addPermanentWidget(self.replica)
        self._ctx = ctx
        if ctx.replica.status is not None:
            self._on_replica_status_changed(ctx.replica.status)

    def _on_replica_status_changed(self, status: Any) -> None:
        if self.replica is not None:
            self.replica.setVisible(bool(status.is_replica))
            self._show_offline()

    def _on_replica_conflicts_requested(self) -> None:
        from ui.dialogs.sync_conflicts import SyncConflictsDialog

        self.conflicts_dialog = SyncConflictsDialog(self._ctx, self.window())
        self.conflicts_dialog.open()

    @property
    def offline_text(self) -> str:
        return self.offline.text.text() if self.offline.isVisible() else ""

    def _on_mail_sync_progressed(
        self, _account: object, folder: str, done: Any, total: Any
    ) -> None:
        self.sync.text.setText(
            self.tr("Syncing %1: %2 of %3")
            .replace("%1", folder)
            .replace("%2", str(done))
            .replace("%3", str(total))
        )

    def _on_accounts_read(self, found: list[accounts.AccountView]) -> None:
        """The state the mailboxes stored (this user's, as the driver syncs
        them): a stored error first, else the latest sync. A sync already
        reported by the driver since the start is newer: it is kept."""
        if self._heard:
            return
        own = [a for a in found if a.user_id == self._user_id and a.enabled]
        failed = [a for a in own if a.last_error]
        if failed:
            self._show_failed("\n".join(f"{a.email}: {a.last_error}" for a in failed))
            return
        synced = [at for a in own if (at := formatting.iso(a.last_sync_at)) is not None]
        if synced:  # stored in UTC; SQLite hands it back without its zone
            self._show_synced(max(at if at.tzinfo else at.replace(tzinfo=dt.UTC) for at in synced))

    def _on_mail_sync_finished(self, _account: object, _result: object) -> None:
        self._heard = True
        self._show_synced(dt.datetime.now(dt.UTC))

    def _on_mail_sync_failed(self, _account: object, reason: str) -> None:
        self._heard = True
        self._show_failed(reason)

    def _show_synced(self, at: dt.datetime) -> None:
        shown = formatting.local(at)
        when = (
            formatting.time(shown)
            if shown.date() == formatting.local(dt.datetime.now(dt.UTC)).date()
            else formatting.date_time(at)
        )
        self.sync.text.setText(self.tr("Mail synced at %1").replace("%1", when))
        self.sync.setToolTip("")

    def _show_failed(self, reason: str) -> None:
        self.sync.text.setText(self.tr("Mail sync failed"))
        self.sync.setToolTip(tooltip(reason))

    def _on_bus_changed(self, changes: Changes) -> None:
        """A letter queued, cancelled or sent, by a dialog, the CLI's use case
        run here or the outbox job: the waiting count is read again (off the
        GUI thread, by the mail driver)."""
        if changes.touches("outbox") and hasattr(self._mail, "refresh_outbox"):
            self._mail.refresh_outbox()
        if self.replica is not None:
            self.replica.on_changes(changes)  # a local edit is one more pending change

    def _on_mail_outbox_changed(self, status: Any) -> None:
        self._waiting = int(getattr(status, "waiting", 0))
        self._show_offline()

    def _on_drafts_ready(self, view: Any) -> None:
        self.showMessage(
            self.tr("The AI draft for %1 is ready: write a letter to the client to use it").replace(
                "%1", view.client_name
            )
        )

    def _on_mail_online_changed(self, online: bool) -> None:
        self._online = online
        self._show_offline()

    def _show_offline(self) -> None:
        if self._online:
            self.offline.setVisible(False)
            return
        if self.replica is not None and self.replica.isVisibleTo(self):
            # beside the replica's own "Offline since 10:42": say whose
            text = self._mail_offline()
        elif self._waiting:
            text = self.tr("Offline — %n letter(s) wait in the outbox", "", self._waiting)
        else:
            text = self.tr("Offline")
        self.offline.text.setText(text)
        self.offline.setVisible(True)

    def _mail_offline(self) -> str:
        if self._waiting:
            return self.tr("Mail offline — %n letter(s) wait in the outbox", "", self._waiting)
        return self.tr("Mail offline")
