"""Screenshots of the New / Edit / Archive / Convert dialogs at 1366×768, in
English and Russian, on a small demo database (the conventions, X server and
database of scripts/screenshots.py).

    .venv/bin/python scripts/screenshots_records.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import screenshots as base  # noqa: E402 - after the path is set

base.SCREEN = "1366x768x24"
WINDOW = (1366, 768)


def _type(edit: Any, text: str) -> None:
    for char in text:
        edit.insert(char)


def take(url: str, out: Path, language: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import container
    from ui.main_window import MainWindow
    from ui.shell import i18n, style
    from ui.shell.preferences import Preferences

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    store = QSettings(str(out / f".prefs-records-{language}.ini"), QSettings.Format.IniFormat)
    prefs = Preferences(store)
    prefs.language = language
    prefs.section = "clients"
    translators = i18n.install(app, language)
    style.apply(app)
    parts = container.build(url, store)
    window = MainWindow(parts.context(lambda exc: print(f"error: {exc!r}")), prefs)
    window.setGeometry(0, 0, *WINDOW)
    window.show()
    suffix = "" if language == "en" else f"-{language}"
    base.wait(1200)
    records = window.records
    existing = window.clients.model.row_at(0)

    records.new("client")
    dialog = records.dialog
    _type(dialog.name, existing.name)
    dialog.phone.insert("8 916 123-45-67")
    dialog.email.insert("info@romashka")
    base.wait(800)
    base.shoot(window, out / f"new-client{suffix}.png")
    dialog.reject()

    window.open_card("client", existing.id, existing.name)
    base.wait(800)
    records.new("contact", ("client", existing.id))
    dialog = records.dialog
    _type(dialog.name, "Иван Петрович Сидоров")
    _type(dialog.position, "Главный инженер")
    dialog.phone.insert("+7 912 345 67")
    base.wait(600)
    base.shoot(window, out / f"new-contact{suffix}.png")
    dialog.reject()

    records.new("deal", ("client", existing.id))
    dialog = records.dialog
    _type(dialog.title, "Поставка бумаги на 2027 год")
    dialog.amount.setText("1 250 000")
    base.wait(400)
    base.shoot(window, out / f"new-deal{suffix}.png")
    dialog.reject()

    records.edit("client", existing.id)
    base.wait(600)
    base.shoot(window, out / f"edit-client{suffix}.png")
    records.dialog.reject()

    # the card's tabs and fields of #12: attachments with "+", the history
    card = window.workspace.currentWidget()
    offer = out / f".Коммерческое предложение {language}.pdf"
    offer.write_bytes(b"%PDF-1.4 " + b"x" * 180_000)
    card.attachments_tab.add_file(str(offer))
    base.wait(600)
    offer.unlink()
    card.tabs.setCurrentWidget(card.attachments_tab)
    base.shoot(window, out / f"card-attachments{suffix}.png")
    card.tabs.setCurrentWidget(card.history_box)
    base.wait(400)
    base.shoot(window, out / f"card-history{suffix}.png")
    card.tabs.setCurrentIndex(0)

    from ui.settings.fields_page import FieldLabelsDialog

    window.navigation.select("settings")
    settings = window.panels["settings"]
    settings.tabs.setCurrentWidget(settings.fields_page)
    labels = FieldLabelsDialog("Tax ID", "ИНН", window)
    labels.show()
    base.shoot(window, out / f"rename-field{suffix}.png")
    labels.reject()
    settings.tabs.setCurrentIndex(0)

    leads = window.panels["leads"]
    window.navigation.select("leads")
    base.wait(800)
    lead = leads.model.row_at(0)
    window.open_card("lead", lead.id, lead.name)
    base.wait(800)
    records.convert(lead.id)
    base.wait(300)
    base.shoot(window, out / f"convert-lead{suffix}.png")
    records.dialog.reject()
    window.workspace.close_current()

    records.archive("lead", lead.id)
    window.show_section("leads")
    base.wait(800)
    base.shoot(window, out / f"archived-undo{suffix}.png")
    records.archive("lead", lead.id, archived=False)
    base.wait(300)

    window.close()
    window.deleteLater()
    base.wait(100)
    parts.shutdown()
    i18n.uninstall(app, translators)


def _custom_fields(url: str) -> None:
    """Two fields of Settings → Fields, so the card and the page show some."""
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.parties import custom_fields

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    custom_fields.add_field(db, admin, "client", "inn", "Tax ID", label_ru="ИНН")
    custom_fields.add_field(
        db, admin, "client", "tier", "Contract tier", "list", label_ru="Уровень договора",
        options=("Золото", "Серебро"),
    )  # fmt: skip
    db.dispose()


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    _custom_fields(url)
    for language in ("en", "ru"):
        take(url, out, language)


def main() -> int:
    return base.run_shots(__doc__, ".prefs-records-*.ini", shoot_all, clients=60)


if __name__ == "__main__":
    sys.exit(main())
