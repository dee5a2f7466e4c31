"""``run_gui()``: the desktop app. QApplication first (it needs no database),
then preferences and translations, then the container (database, lanes,
mail driver), the main window, and the qasync loop until the last window
closes; then a clean shutdown that never cuts a database write."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def install_error_hooks(report: Callable[[BaseException], None]) -> None:
    """Exceptions nobody caught (in slots, on the loop) reach the user: a
    UserError as its message, anything else logged and in the crash dialog."""

    def excepthook(
        kind: type[BaseException], exc: BaseException, tb: types.TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        try:
            report(exc)
        except Exception:
            log.critical("uncaught error", exc_info=(kind, exc, tb))
            log.exception("the error dialog failed")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error(
            "uncaught error in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=args.exc_value or True,
        )

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def load_core() -> None:
    """Import the app's biggest parts without Qt before PySide6.

    Once PySide6 is loaded it reads the source of every module imported
    after it (its ``__feature__`` check: ``inspect.getsource`` per module).
    SQLAlchemy's ORM, the mapped models and phonenumbers are most of those
    bytes and every start loads them before the first paint: importing them
    first saved ~0.13 s of CPU of a start (issue #16). Later calls cost nothing.
    """
    import phonenumbers  # noqa: F401
    import sqlalchemy.orm  # noqa: F401

    import models

    models.load_all()


def run_gui(db_url: str | None = None, user: str | None = None) -> int:
    load_core()
    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop import container
    from services.core import paths
    from services.core.errors import UserError
    from ui.main_window import MainWindow
    from ui.shell import i18n, style
    from ui.shell.preferences import Preferences

    log_path = container.setup_logging(paths.data_dir())
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    from desktop.gc_on_gui import GuiThreadCollector

    collector = GuiThreadCollector(app)  # never free a QObject on a worker lane
    app.setApplicationName("Touchpoint")
    app.setOrganizationName("Touchpoint")
    app.setApplicationDisplayName("Touchpoint")
    prefs = QSettings()
    translators = i18n.install(app, Preferences(prefs).language)
    style.apply(app)

    def report(exc: BaseException) -> None:
        from ui.crash import show_error  # its dialogs' Qt types on the first error only

        show_error(exc, QApplication.activeWindow(), str(log_path))

    install_error_hooks(report)
    if db_url is None and not os.environ.get("TOUCHPOINT_DB"):
        chosen = Preferences(prefs)  # Settings → Database: working offline, a server
        db_url = chosen.replica_url or chosen.database_url or None
    try:
        parts = container.build(db_url, prefs, user)
    except UserError as exc:
        QMessageBox.critical(None, "Touchpoint", str(exc))
        return 2
    window = MainWindow(parts.context(report), Preferences(prefs))
    window.show()
    from desktop import heap

    heap.freeze_startup_heap()  # the collector's full collections on the GUI thread skip it
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from ui.widgets import event_loop

    event_loop.use(loop)  # AI drafts stream on it

    def start_background() -> None:
        # Mail sync, linking (SPEC D1), the outbox, queued AI drafts (SPEC E3):
        # one ticker asks what is due, off the GUI thread, first once at start.
        parts.ticker.start()
        if parts.replica is not None:
            parts.replica.check_online()  # a laptop replica: is its server there?
        if parts.live is not None:
            parts.live.start()  # colleagues' changes on a team database

    # Once the window has its sections (after the client list's first read,
    # which would otherwise queue behind the ticker's on the read lane, #16).
    window.sections_built.connect(start_background)

    def on_loop_error(_loop: Any, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            report(exc)
        else:
            log.error("event loop: %s", context.get("message"))

    loop.set_exception_handler(on_loop_error)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    parts.shutdown()
    collector.stop()
    del translators
    return 0
