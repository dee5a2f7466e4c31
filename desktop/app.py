"""``main()`` of the desktop app: settings, database, QApplication, qasync loop."""

from __future__ import annotations

import asyncio
import logging
import sys

log = logging.getLogger(__name__)


def run_gui(db_url: str | None = None) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.lanes import Lane
    from services import bootstrap
    from services.errors import UserError
    from services.storage import open_database
    from ui.main_window import MainWindow

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Touchpoint")
    app.setOrganizationName("Touchpoint")
    try:
        db = open_database(db_url)
        bootstrap.ensure_initial_data(db)
    except UserError as exc:
        QMessageBox.critical(None, "Touchpoint", str(exc))
        return 2
    writes = Lane("db-writes")
    window = MainWindow(db, writes)
    window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    writes.shutdown()
    db.dispose()
    return 0
