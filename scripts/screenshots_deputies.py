"""Settings → Deputies at 1366×768 in Russian and English, on a small demo
database with two colleagues' periods (the conventions, X server and
database of scripts/screenshots.py).

    .venv/bin/python scripts/screenshots_deputies.py     # into screenshots/
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import screenshots as base  # noqa: E402 - after the path is set

base.SCREEN = "1366x768x24"
WINDOW = (1366, 768)


def _periods(url: str) -> None:
    """Three colleagues, two of them away with a deputy."""
    from services.core import bootstrap, users
    from services.core.storage import open_database
    from services.parties import transfers

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    for login, name in (
        ("anna", "Анна Смирнова"),
        ("boris", "Борис Петров"),
        ("vera", "Вера Козлова"),
    ):
        users.add_user(db, admin, login, name, "Manager")
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    transfers.set_deputy(db, admin, "boris", now + dt.timedelta(days=6, hours=3), absent="anna")
    transfers.set_deputy(db, admin, "anna", now + dt.timedelta(days=15), absent="vera")
    db.dispose()


def take(url: str, out: Path, language: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import container
    from ui.main_window import MainWindow
    from ui.shell import i18n, style
    from ui.shell.preferences import Preferences

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    store = QSettings(str(out / f".prefs-deputies-{language}.ini"), QSettings.Format.IniFormat)
    prefs = Preferences(store)
    prefs.language = language
    prefs.section = "clients"
    translators = i18n.install(app, language)
    style.apply(app)
    parts = container.build(url, store)
    window = MainWindow(parts.context(lambda exc: print(f"error: {exc!r}")), prefs)
    window.setGeometry(0, 0, *WINDOW)
    window.show()
    base.wait(1200)
    window.navigation.select("settings")
    settings = window.panels["settings"]
    settings.tabs.setCurrentWidget(settings.deputies_page)
    base.wait(800)
    suffix = "" if language == "en" else f"-{language}"
    base.shoot(window, out / f"settings-deputies{suffix}.png")
    window.close()
    parts.shutdown()
    del translators


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    _periods(url)
    for language in ("en", "ru"):
        take(url, out, language)


def main() -> int:
    return base.run_shots(__doc__, ".prefs-deputies-*.ini", shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
