"""The main window. For now: the client list, or an empty state that offers
demo data. Navigation, cards and the feed come with the desktop UI issue."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services import bootstrap, parties
from services.errors import UserError
from services.storage import Database


class LaneLike(Protocol):
    def submit(self, fn: Any, on_done: Any, on_error: Any) -> None: ...


class MainWindow(QMainWindow):
    def __init__(self, db: Database, writes: LaneLike) -> None:
        super().__init__()
        self._db = db
        self._writes = writes
        self.setWindowTitle(self.tr("Touchpoint"))
        self.resize(1000, 680)
        self._stack = QStackedWidget()
        self.setCentralWidget(self._stack)
        self._empty = self._build_empty_state()
        self.client_list = QListWidget()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self.client_list)
        self.statusBar().showMessage(self.tr("Database: %1").replace("%1", db.url))
        self.reload()

    def _build_empty_state(self) -> QWidget:
        box = QWidget()
        column = QWidget()
        column.setFixedWidth(480)
        inner = QVBoxLayout(column)
        title = QLabel(self.tr("No clients yet"))
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Explicit line breaks: a word-wrapped QLabel's height comes out short here.
        hint = QLabel(
            self.tr(
                "Add clients from the command line (touchpoint clients add)\n"
                "or import a vCard file, or look around with realistic demo data."
            )
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_button = QPushButton(self.tr("Load demo data"))
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        inner.addWidget(title)
        inner.addWidget(hint)
        inner.addSpacing(8)
        inner.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        outer = QVBoxLayout(box)
        outer.addStretch()
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch()
        return box

    def reload(self) -> None:
        with self._db.reader() as uow:
            actor = bootstrap.actor_for(uow)
            rows = parties.list_clients(uow, actor, limit=500)
        self.client_list.clear()
        for row in rows:
            self.client_list.addItem(f"{row.name}  —  {row.owner_name}")
        self._stack.setCurrentWidget(self.client_list if rows else self._empty)

    def _on_demo_button_clicked(self) -> None:
        from services import demo

        self.demo_button.setEnabled(False)
        self.demo_button.setText(self.tr("Loading demo data…"))
        self._writes.submit(lambda: demo.generate(self._db), self._on_demo_done, self._on_failed)

    def _on_demo_done(self, _summary: object) -> None:
        self.reload()

    def _on_failed(self, exc: BaseException) -> None:
        self.demo_button.setEnabled(True)
        self.demo_button.setText(self.tr("Load demo data"))
        if isinstance(exc, UserError):
            QMessageBox.warning(self, self.tr("Touchpoint"), str(exc))
        else:
            raise exc
