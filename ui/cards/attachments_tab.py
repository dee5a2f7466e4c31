"""The Attachments tab of a card: files of letters with this client and
files added by hand with "+" (read bounded by the attachments service, a
FIFO or a huge file refused before anything is stored)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QTreeWidgetItem

from services.core.errors import UserError
from services.interactions import attachments
from services.interactions import use_cases as interaction_cases
from services.interactions.attachments import AttachmentView
from ui.cards.tabs import ListTab
from ui.context import UiContext
from ui.widgets import timefmt
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import tooltip
from ui.widgets.work import Work


class AttachmentsTab(ListTab):
    def __init__(self, ctx: UiContext, kind: str, object_id: int, parent: Any = None) -> None:
        super().__init__(
            [self.tr("File"), self.tr("Size"), self.tr("Added")],
            EmptyHint(
                self.tr("No attachments"),
                self.tr("Files from letters with this client, and files you add, are listed here."),
            ),
            self.tr("Add a file"),
            parent,
        )
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.kind = kind
        self.object_id = object_id
        self.zone: str | None = None
        self.dialog: QFileDialog | None = None
        self.wanted = False  # read once the tab was shown, then on every refresh
        self.add_requested.connect(self.choose_file)

    def show_files(self) -> None:
        """The tab came to the front: read its list (the card does not read
        it for a user who never looks)."""
        if not self.wanted:
            self.wanted = True
            self.reload()

    def refresh(self) -> None:
        if self.wanted:
            self.reload()

    def reload(self) -> None:
        kind, object_id = self.kind, self.object_id
        self._work.read(
            lambda uow, actor: attachments.list_for(uow, actor, kind, object_id),
            self.set_attachments,
            self._on_load_failed,
        )

    def set_attachments(self, found: Sequence[AttachmentView]) -> None:
        self.tree.clear()
        for a in found:
            added = timefmt.when(a.created_at, self.zone)
            item = QTreeWidgetItem([a.filename, _size(a.size), added])
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(0, tooltip(a.filename))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self._show(bool(found))

    def _on_load_failed(self, exc: BaseException) -> None:
        self.set_attachments(())
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)

    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Add a file to the card"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.add_file)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_file(self, path: str) -> None:
        """Store the file on this card; the bus reloads the card and this list."""
        kind, object_id = self.kind, self.object_id
        self._work.run(
            lambda db, actor: interaction_cases.add_attachment(db, actor, kind, object_id, path),
            lambda _view: None,
        )


def _size(size: int) -> str:
    if size < 1024:
        return QCoreApplication.translate("AttachmentsTab", "%1 B").replace("%1", str(size))
    if size < 1024 * 1024:
        return QCoreApplication.translate("AttachmentsTab", "%1 KB").replace(
            "%1", str(round(size / 1024))
        )
    return QCoreApplication.translate("AttachmentsTab", "%1 MB").replace(
        "%1", f"{size / 1024 / 1024:.1f}"
    )
