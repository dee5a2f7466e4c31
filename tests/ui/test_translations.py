"""Russian and English interface: every string translated, the shipped
.qm files compiled from the current .ts, and the translator really used."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from pytestqt.qtbot import QtBot

from ui.shell import i18n
from ui.shell.navigation import NavigationBar

ROOT = Path(__file__).resolve().parents[2]


def messages(name: str) -> list[tuple[str, ET.Element]]:
    tree = ET.parse(i18n.I18N / name)
    return [
        (context.findtext("name") or "", message)
        for context in tree.getroot().iter("context")
        for message in context.iter("message")
    ]


def untranslated(name: str, forms: int) -> list[str]:
    missing = []
    for context, message in messages(name):
        translation = message.find("translation")
        source = f"{context}: {message.findtext('source')}"
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            missing.append(source)
        elif message.get("numerus") == "yes":
            texts = [f.text for f in translation.iter("numerusform")]
            if len(texts) != forms or not all(texts):
                missing.append(source)
        elif not (translation.text or "").strip():
            missing.append(source)
    return missing


def test_every_string_has_a_russian_translation() -> None:
    assert len(messages("touchpoint_ru.ts")) > 100
    assert untranslated("touchpoint_ru.ts", forms=3) == []


def test_english_plurals_have_both_forms() -> None:
    assert untranslated("touchpoint_en.ts", forms=2) == []


def test_the_translations_cover_the_code_and_the_qm_files_are_compiled() -> None:
    """Fails when a UI string changed without ``scripts/translations.py``."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("choice", "system", "expected"),
    [
        ("ru", "en_US", "ru"),
        ("en", "ru_RU", "en"),
        ("system", "ru_RU", "ru"),
        ("system", "de_DE", "en"),
    ],
)
def test_the_language_follows_the_setting_then_the_system(
    choice: str, system: str, expected: str
) -> None:
    assert i18n.resolve(choice, QLocale(system)) == expected


def test_the_russian_translator_changes_what_the_window_says(qtbot: QtBot) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    before = QLocale()
    installed = i18n.install(app, "ru")
    try:
        bar = NavigationBar()
        qtbot.addWidget(bar)
        assert [bar.item(i).text() for i in range(3)] == ["Клиенты", "Лиды", "Контактные лица"]
        assert QCoreApplication.translate("MailPanel", "Waiting") == "Ожидает отправки"
    finally:
        i18n.uninstall(app, installed)
        QLocale.setDefault(before)
    assert NavigationBar().item(0).text() == "Clients"


def test_english_plurals_come_from_the_english_translator(qapp: object) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    before = QLocale()
    installed = i18n.install(app, "en")
    try:
        one = QCoreApplication.translate(
            "StatusBar", "Offline — %n letter(s) wait in the outbox", "", 1
        )
        two = QCoreApplication.translate(
            "StatusBar", "Offline — %n letter(s) wait in the outbox", "", 2
        )
    finally:
        i18n.uninstall(app, installed)
        QLocale.setDefault(before)
    assert one == "Offline — 1 letter waits in the outbox"
    assert two == "Offline — 2 letters wait in the outbox"
