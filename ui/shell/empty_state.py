"""Placeholders for a section with nothing to show yet, and the demo-data offer."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.widgets.work import Work

DEMO_CLIENTS = 1000
MAX_TIP_LINES = 40  # of skipped values and refused cards shown after an import


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.45)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class EmptyState(QWidget):
    """A centred title and hint; ``column`` takes extra widgets (buttons)."""

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = QWidget()
        # A fixed width: a word-wrapped label in a centring layout otherwise
        # gets a sliver of width and a clipped height.
        self.column.setFixedWidth(520)
        inner = self.column_layout = QVBoxLayout(self.column)
        self.title = _title(title)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setMinimumHeight(self.hint.heightForWidth(500))
        inner.addWidget(self.title)
        inner.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addWidget(self.column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(3)


class _ProgressRelay(QObject):
    # emitted on the writes lane's thread, delivered on the GUI thread
    progressed = Signal(str, object, object)


class DemoOffer(EmptyState):
    """Shown while the database has no clients: offers realistic demo data,
    generated on the writes lane with a progress bar."""

    loaded = Signal(object)  # DemoSummary
    new_client_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("DemoOffer", "No clients yet"),
            QCoreApplication.translate(
                "DemoOffer",
                "Start with your own contacts (a vCard or CSV file), link your mailbox so "
                "the mail with clients lands on their cards — or look around with "
                "realistic demo data.",
            ),
            parent,
        )
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.demo_button = QPushButton(self.tr("Load demo data"))
        self.demo_button.setDefault(True)
        self.demo_button.setAutoDefault(True)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self._relay = _ProgressRelay()
        self._relay.progressed.connect(self._on_relay_progressed)
        # The other two ways to start: your own contacts, or your mailbox.
        self.import_button = QPushButton(self.tr("Import contacts…"))
        self.import_button.setToolTip(
            self.tr("vCard (.vcf) or CSV from Google, Outlook or a table")
        )
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.mailbox_button = QPushButton(self.tr("Link a mailbox…"))
        self.mailbox_button.clicked.connect(self._on_mailbox_button_clicked)
        self.new_client_button = QPushButton(self.tr("New client…"))
        self.new_client_button.setToolTip(self.tr("Type in your first client (Ctrl+Shift+N)"))
        self.new_client_button.clicked.connect(self.new_client_requested)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.setProperty("role", "muted")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        layout = self.column_layout
        layout.addSpacing(12)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        others = QHBoxLayout()
        others.addStretch()
        others.addWidget(self.new_client_button)
        others.addWidget(self.import_button)
        others.addWidget(self.mailbox_button)
        others.addStretch()
        layout.addLayout(others)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        # the three buttons side by side in Russian need more than the column's
        # 520 px: "Подключить почтовый ящик…" was cut at both ends
        margins = layout.contentsMargins()
        needed = others.sizeHint().width() + margins.left() + margins.right()
        self.column.setFixedWidth(max(self.column.width(), needed))

    def _on_demo_button_clicked(self) -> None:
        from services.demo import use_cases as demo

        self.demo_button.setEnabled(False)
        self.demo_button.setText(self.tr("Loading demo data…"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        emit = self._relay.progressed.emit
        self._work.run(
            lambda db, actor: demo.load_demo(db, actor, clients=DEMO_CLIENTS, progress=emit),
            self._on_demo_done,
            self._on_demo_failed,
        )

    def _on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import contacts"),
            "",
            self.tr("Contacts (*.vcf *.vcard *.csv);;All files (*)"),
        )
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Import a vCard/CSV file on the writes lane; refresh when done."""
        from pathlib import Path

        from services.exchange import use_cases as exchange

        self.import_button.setEnabled(False)
        # the import commits its own batches: it gets the database
        self._work.run(
            lambda db, actor: exchange.import_contacts(db, actor, Path(path)),
            self._on_import_done,
            self._on_import_failed,
        )

    def _on_import_done(self, summary: object) -> None:
        self.import_button.setEnabled(True)
        created = getattr(summary, "created", 0)
        updated = getattr(summary, "updated", 0)
        rejected = getattr(summary, "rejected", ())
        warned = getattr(summary, "warnings", ())
        text = (
            self.tr("Imported: %1 new, %2 updated, %3 refused.")
            .replace("%1", str(created))
            .replace("%2", str(updated))
            .replace("%3", str(len(rejected)))
        )
        if warned:
            text += " " + self.tr(
                "%1 of them without values that were not valid (point here for the list)."
            ).replace("%1", str(len(warned)))
        self.result.setText(text)
        # What was left out and why: text from the file, so escaped, never markup.
        lines = [f"{r.source}: {r.reason}" for r in rejected]
        lines += [f"{c.source} ({c.name}): {w}" for c in warned for w in c.warnings]
        shown = lines[:MAX_TIP_LINES] + (["…"] if len(lines) > MAX_TIP_LINES else [])
        self.result.setToolTip("<br>".join(html.escape(line) for line in shown))
        self.loaded.emit(summary)

    def _on_import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        self._ctx.report_error(exc)

    def _on_mailbox_button_clicked(self) -> None:
        from ui.mail.account_dialog import AccountDialog

        dialog = AccountDialog(self._ctx, parent=self)
        dialog.added.connect(self._on_mailbox_added)
        dialog.open()
        self._dialog = dialog

    def _on_mailbox_added(self, view: object) -> None:
        self.result.setText(
            self.tr("%1 is linked: its mail arrives for the clients you add or import.").replace(
                "%1", str(getattr(view, "email", ""))
            )
        )
        if self._ctx.mail is not None:
            self._ctx.mail.sync_now(int(getattr(view, "id", 0)))

    def _on_relay_progressed(self, stage: str, done: object, total: object) -> None:
        if isinstance(done, int) and isinstance(total, int) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            what = self.tr("Clients") if stage == "clients" else self.tr("Leads")
            self.progress.setFormat(f"{what}: %v / %m")

    def _reset(self) -> None:
        self.demo_button.setEnabled(True)
        self.demo_button.setText(self.tr("Load demo data"))
        self.progress.setVisible(False)

    def _on_demo_done(self, summary: object) -> None:
        self._reset()
        self.loaded.emit(summary)

    def _on_demo_failed(self, exc: BaseException) -> None:
        self._reset()
        self._ctx.report_error(exc)
