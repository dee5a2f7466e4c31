"""Screenshots of Settings → Pipelines at 1366×768 in English and Russian,
on the demo database of scripts/screenshots.py: the stages of a pipeline
with an inline duplicate-name warning.

    .venv/bin/python scripts/screenshots_pipelines.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import screenshots as base  # noqa: E402 - after the path is set

base.SCREEN = "1366x768x24"


def take(url: str, out: Path, language: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import container
    from ui.main_window import MainWindow
    from ui.shell import i18n, style
    from ui.shell.preferences import Preferences

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    store = QSettings(str(out / f".prefs-pipes-{language}.ini"), QSettings.Format.IniFormat)
    prefs = Preferences(store)
    prefs.language = language
    translators = i18n.install(app, language)
    style.apply(app)
    parts = container.build(url, store)
    window = MainWindow(parts.context(lambda exc: print(f"error: {exc!r}")), prefs)
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    base.wait(1000)
    window.navigation.select("settings")
    settings = window.panels["settings"]
    settings.tabs.setCurrentWidget(settings.pipelines_page)
    base.wait(800)
    page = settings.pipelines_page
    page.stages.setCurrentRow(1)
    page.stage_name.setText(page.stages.item(0).text().split(" · ")[0].upper())
    base.wait(300)
    suffix = "" if language == "en" else f"-{language}"
    base.shoot(window, out / f"settings-pipelines{suffix}.png")
    window.close()
    i18n.uninstall(app, translators)


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    for language in ("en", "ru"):
        take(url, out, language)


def main() -> int:
    return base.run_shots(__doc__, ".prefs-pipes-*.ini", shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
