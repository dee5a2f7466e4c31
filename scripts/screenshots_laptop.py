"""The main views at a laptop's 1366x768, in English and Russian, on the
demo database of scripts/screenshots.py: the client list, a client card
(its feed, side column and contact persons), Settings → Database, the
agenda, deals and the search.

    .venv/bin/python scripts/screenshots_laptop.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots as shots

shots.SCREEN = "1366x768x24"
SIZE = "1366x768"


def take(url: str, big_client: int, out: Path, language: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import container
    from ui.main_window import MainWindow
    from ui.shell import i18n, style
    from ui.shell.preferences import Preferences

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setApplicationName("Touchpoint")
    app.setOrganizationName("Touchpoint")
    store = QSettings(str(out / f".laptop-{language}.ini"), QSettings.Format.IniFormat)
    prefs = Preferences(store)
    prefs.language = language
    prefs.section = "clients"
    translators = i18n.install(app, language)
    style.apply(app)
    parts = container.build(url, store)
    window = MainWindow(parts.context(lambda exc: print(f"error: {exc!r}")), prefs)
    window.setGeometry(0, 0, 1366, 768)  # no window manager here to maximize it
    window.show()
    parts.ticker.start()
    name = f"-{SIZE}-{language}.png"
    shots.wait(1500)
    shots.shoot(window, out / f"main{name}")
    window.open_card("client", big_client)
    shots.wait(1000)
    shots.shoot(window, out / f"card{name}")
    card = window.workspace.currentWidget()
    card.tabs.setCurrentWidget(card.tabs.contacts_tab)
    shots.shoot(window, out / f"card-contacts{name}")
    window.workspace.close_current()
    window.navigation.select("settings")
    settings = window.panels["settings"]
    settings.tabs.setCurrentWidget(settings.database_page)
    shots.shoot(window, out / f"settings-database{name}")
    settings.tabs.setCurrentIndex(0)
    window.navigation.select("clients")
    window.search.popup()
    window.search.edit.setText("Сев")
    shots.wait(600)
    shots.shoot(window, out / f"search{name}")
    window.search.hide()
    window.close()
    window.deleteLater()
    shots.wait(100)
    parts.shutdown()
    i18n.uninstall(app, translators)


def main() -> int:
    def shoot_all(url: str, big_client: int, out: Path) -> None:
        for language in ("en", "ru"):
            take(url, big_client, out, language)

    return shots.run_shots(__doc__, ".laptop-*.ini", shoot_all, clients=1500)


if __name__ == "__main__":
    sys.exit(main())
