"""The Attachments tab of a card: files of letters with this client and
files added by hand with "+" (read bounded by the attachments service, a
FIFO or a huge file refused before anything is stored). "Open" (double-click
or Enter) hands the desktop a private read-only copy, after asking for a type
that runs when opened; "Save as…" writes a copy where the user chooses. The
copies are made on the read lane: a 25 MB file must not freeze the window.
"Remove" (the button, Del, the context menu) takes a file off the card after
a question, with an Undo in the tab's bar (services/interactions/
attachment_removal.py says what happens to the file's bytes)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QTreeWidgetItem,
)

from services.core.errors import UserError
from services.interactions import attachment_fetch, attachment_files, attachments
from services.interactions import use_cases as interaction_cases
from services.interactions.attachment_removal import RemovedAttachment
from services.interactions.attachments import AttachmentView
from ui.cards.tabs import ListTab
from ui.context import UiContext
from ui.widgets import claimed_keys, timefmt
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import plain, quoted, tooltip
from ui.widgets.questions import ask_destructive
from ui.widgets.undo_bar import UndoBar
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
        self.question: QMessageBox | None = None
        self.wanted = False  # read once the tab was shown, then on every refresh
        self.temp_root: str | None = None  # where the copies to open go (tests: tmp_path)
        self._views: dict[int, AttachmentView] = {}
        self.note = QLabel()  # "no program to open …", "saved to …": plain text
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.open_button = self._bar_button(self.tr("Open"), self.open_current)
        self.save_button = self._bar_button(self.tr("Save as…"), self.save_current)
        self.remove_button = self._bar_button(self.tr("Remove"), self.remove_current)
        self.remove_button.setToolTip(self.tr("Remove the file from the card (Del)"))
        self.bar.insertWidget(1, self.note, 1)
        self.undo_bar = UndoBar(self)
        self.column.addWidget(self.undo_bar)
        self.menu: QMenu | None = None
        claimed_keys.claim(
            self.tree, QKeySequence(QKeySequence.StandardKey.Delete), self.remove_current
        )
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.add_requested.connect(self.choose_file)
        self.tree.itemActivated.connect(lambda item, _column: self.open_item(item))
        self.tree.currentItemChanged.connect(lambda *_: self._enable_buttons())
        self._enable_buttons()

    def _bar_button(self, text: str, slot: Any) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        return button

    def _enable_buttons(self) -> None:
        chosen = self.current() is not None
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def current(self) -> AttachmentView | None:
        item = self.tree.currentItem()
        return self._views.get(int(item.data(0, Qt.ItemDataRole.UserRole))) if item else None

    def shows_any(self, ids: Sequence[int] | frozenset[int]) -> bool:
        """Whether one of these attachments is in the list (a colleague's
        removal names only the row, not its card)."""
        return any(i in self._views for i in ids)

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
        self._views = {a.id: a for a in found}
        for a in found:
            added = timefmt.when(a.created_at, self.zone)
            item = QTreeWidgetItem([a.filename, _size(a.size), added])
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(0, tooltip(a.filename))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self._show(bool(found))
        self._enable_buttons()

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

    def open_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.open_item(item)

    def open_item(self, item: QTreeWidgetItem) -> None:
        """Open the file with the desktop's program; a type that runs when
        opened (".exe", ".js", ".lnk" …) only after the user says yes."""
        view = self._views.get(int(item.data(0, Qt.ItemDataRole.UserRole)))
        if view is None:
            return
        self.note.clear()
        if not attachment_files.is_executable(view.filename):
            self._copy_and_open(view)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Open a program?"),
            self.tr(
                "%1 is a program or a script: opening it runs it on this computer. "
                "Open it only if you trust the sender."
            ).replace("%1", view.filename),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            self,
        )
        plain(box)  # the name came from a letter
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda answer: (
                self._copy_and_open(view) if answer == QMessageBox.StandardButton.Open else None
            )
        )
        box.finished.connect(box.deleteLater)
        self.question = box
        box.open()

    def _copy_and_open(self, view: AttachmentView) -> None:
        root, db = self.temp_root, self._ctx.db
        # A colleague's file not on this computer yet comes from the team server first.
        self._work.submit(
            self._ctx.reads,
            lambda: attachment_fetch.copy_for_opening(db, view, root),
            self._on_copied,
            None,
        )

    def _on_copied(self, path: Path) -> None:
        # a detached start of the desktop's opener: does not wait for it
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.note.setText(self.tr("No program to open %1 was found").replace("%1", path.name))

    def save_current(self) -> QFileDialog | None:
        view = self.current()
        if view is None:
            return None
        dialog = QFileDialog(self, self.tr("Save the attachment"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.selectFile(attachments.clean_filename(view.filename))
        dialog.fileSelected.connect(lambda path: self.save_to(view, path))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save_to(self, view: AttachmentView, path: str) -> None:
        self.note.clear()
        db = self._ctx.db
        self._work.submit(
            self._ctx.reads,
            lambda: attachment_fetch.save_copy(db, view, path),
            lambda saved: self.note.setText(self.tr("Saved to %1").replace("%1", str(saved))),
            None,
        )

    # --- remove, with an Undo ----------------------------------------------------------

    def _on_tree_context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is not None:
            self.context_menu(item).popup(self.tree.viewport().mapToGlobal(pos))

    def context_menu(self, item: QTreeWidgetItem) -> QMenu:
        """Open, Save as… and Remove for the file under the pointer."""
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), self.open_current)
        menu.addAction(self.tr("Save as…"), self.save_current)
        menu.addSeparator()
        menu.addAction(self.tr("Remove"), self.remove_current)
        menu.aboutToHide.connect(menu.deleteLater)
        self.menu = menu
        return menu

    def remove_current(self) -> QMessageBox | None:
        """Ask, then take the chosen file off the card (for everyone who sees it)."""
        view = self.current()
        if view is None:
            return None
        self.note.clear()
        self.question = ask_destructive(
            self,
            self.tr("Remove attachment"),
            self.tr(
                "Remove %1 from the card? It is removed for everyone who sees the card."
            ).replace("%1", quoted(view.filename)),
            self.tr("Remove"),
            lambda: self.remove(view.id),
        )
        return self.question

    def remove(self, attachment_id: int) -> None:
        self._work.run(
            lambda db, actor: interaction_cases.remove_attachment(db, actor, attachment_id),
            self._on_removed,
        )

    def _on_removed(self, gone: RemovedAttachment) -> None:
        """The bus reloads the list; the bar offers the Undo."""
        self.undo_bar.show_message(
            self.tr("Attachment %1 removed").replace("%1", quoted(gone.filename)),
            lambda: self.undo_remove(gone),
        )

    def undo_remove(self, gone: RemovedAttachment) -> None:
        self._work.run(
            lambda db, actor: interaction_cases.undo_remove_attachment(db, actor, gone),
            lambda _id: None,
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
