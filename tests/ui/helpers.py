"""Test doubles for the UI: a lane that runs tasks at once, and a context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from ui.context import UiContext
from ui.shell.navigation import NavigationBar


class InlineLane:
    """Runs a task at once on the calling (GUI) thread, like Picard's
    FakeThreadPool; ``calls`` counts the submissions for lazy-loading checks."""

    def __init__(self) -> None:
        self.calls = 0

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.calls += 1
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - handed to the caller like a real lane does
            on_error(exc)
            return
        on_done(result)


class HeldLane(InlineLane):
    """Keeps tasks until ``run_all``: for "what shows while it loads"."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[tuple[Callable[[], Any], Any, Any]] = []

    def submit(self, fn: Any, on_done: Any, on_error: Any) -> None:
        self.calls += 1
        self.pending.append((fn, on_done, on_error))

    def run_all(self) -> None:
        while self.pending:
            fn, on_done, on_error = self.pending.pop(0)
            InlineLane.submit(self, fn, on_done, on_error)


def make_ctx(
    db: Database, *, reads: Any = None, writes: Any = None, login: str | None = None
) -> UiContext:
    """A context on ``db`` for the first user (or ``login``), with inline
    lanes; errors are collected in ``ctx.errors`` instead of a dialog."""
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow, login)
    errors: list[BaseException] = []
    ctx = UiContext(
        db=db,
        actor=actor,
        writes=writes or InlineLane(),
        reads=reads or InlineLane(),
        report_error=errors.append,
    )
    ctx.errors = errors  # type: ignore[attr-defined]
    return ctx


LAPTOP = (1366, 768)


def beside_the_sections(qtbot: QtBot, panel: QWidget) -> QWidget:
    """The panel where the window puts it: right of the section bar, the
    window as wide as the laptop's screen."""
    window = QWidget()
    row = QHBoxLayout(window)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    row.addWidget(NavigationBar())
    row.addWidget(panel, 1)
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    return window


def answer(box: QMessageBox | None, *, yes: bool) -> None:
    """Answer a destructive question, after checking what a user relies on:
    Enter and Escape both keep things, the text is shown as plain text."""
    assert box is not None
    assert box.isVisible()
    keep = box.defaultButton()
    assert keep is not None
    assert box.escapeButton() is keep
    assert box.buttonRole(keep) == QMessageBox.ButtonRole.RejectRole
    assert box.textFormat() == Qt.TextFormat.PlainText
    if not yes:
        keep.click()
        return
    act = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    act.click()
