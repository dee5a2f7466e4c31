"""Interface language: English source strings, Russian from
``resources/i18n/touchpoint_ru.qm``; Qt's own dialogs from Qt's translations.

The compiled ``.qm`` files ship in ``resources/i18n`` next to their ``.ts``
sources (a packaged app has no Linguist tools to compile them at start);
``tests/ui/test_translations.py`` fails when a ``.qm`` is stale.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import resources

I18N = Path(resources.__file__).resolve().parent / "i18n"
LANGUAGES = ("system", "en", "ru")
SUPPORTED = ("en", "ru")
LOCALES = {"en": "en_US", "ru": "ru_RU"}


def language_names() -> list[tuple[str, str]]:
    """(code, label) for the settings combo; language names in their own language."""
    return [
        ("system", QCoreApplication.translate("Languages", "System language")),
        ("en", "English"),
        ("ru", "Русский"),
    ]


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language to show for a setting: ``system`` follows the computer
    and falls back to English when it speaks neither."""
    if choice in SUPPORTED:
        return choice
    locale = system or QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in SUPPORTED:
            return code
    return "en"


def install(app: QCoreApplication, choice: str) -> list[QTranslator]:
    """Install the translators for ``choice``; keep the returned list alive."""
    language = resolve(choice)
    system = QLocale.system()
    if resolve("system", system) == language:
        QLocale.setDefault(system)  # the computer's date and number formats
    else:
        QLocale.setDefault(QLocale(LOCALES[language]))
    installed: list[QTranslator] = []
    own = QTranslator(app)
    if own.load(str(I18N / f"touchpoint_{language}.qm")):
        app.installTranslator(own)
        installed.append(own)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language != "en" and qt.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def uninstall(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
    translators.clear()
