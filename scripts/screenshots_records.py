"""Screenshots of the New / Edit / Archive / Convert dialogs at 1366×768, in
English and Russian, on a small demo database (the conventions, X server and
database of scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_records.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig


def _type(edit: Any, text: str) -> None:
    for char in text:
        edit.insert(char)


def take(url: str, out: Path, language: str) -> None:
    suffix = rig.suffix(language)
    with rig.window(url, language) as (window, _parts):
        records = window.records
        existing = window.clients.model.row_at(0)

        records.new("client")
        dialog = records.dialog
        _type(dialog.name, existing.name)
        dialog.phone.insert("8 916 123-45-67")
        dialog.email.insert("info@romashka")
        rig.wait(800)
        rig.shoot(out / f"new-client{suffix}.png")
        dialog.reject()

        window.open_card("client", existing.id, existing.name)
        rig.wait(800)
        records.new("contact", ("client", existing.id))
        dialog = records.dialog
        _type(dialog.name, "Иван Петрович Сидоров")
        _type(dialog.position, "Главный инженер")
        dialog.phone.insert("+7 912 345 67")
        rig.wait(600)
        rig.shoot(out / f"new-contact{suffix}.png")
        dialog.reject()

        records.new("deal", ("client", existing.id))
        dialog = records.dialog
        _type(dialog.title, "Поставка бумаги на 2027 год")
        dialog.amount.setText("1 250 000")
        rig.wait(400)
        rig.shoot(out / f"new-deal{suffix}.png")
        dialog.reject()

        records.edit("client", existing.id)
        rig.wait(600)
        rig.shoot(out / f"edit-client{suffix}.png")
        records.dialog.reject()

        # the card's tabs and fields of #12: attachments with "+", the history
        card = window.workspace.currentWidget()
        offer = out / f".Коммерческое предложение {language}.pdf"
        offer.write_bytes(b"%PDF-1.4 " + b"x" * 180_000)
        card.attachments_tab.add_file(str(offer))
        rig.wait(600)
        offer.unlink()
        card.tabs.setCurrentWidget(card.attachments_tab)
        rig.shoot(out / f"card-attachments{suffix}.png")
        card.tabs.setCurrentWidget(card.history_box)
        rig.wait(400)
        rig.shoot(out / f"card-history{suffix}.png")
        card.tabs.setCurrentIndex(0)

        from ui.settings.fields_page import FieldLabelsDialog

        window.navigation.select("settings")
        settings = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.fields_page)
        labels = FieldLabelsDialog("Tax ID", "ИНН", window)
        labels.show()
        rig.shoot(out / f"rename-field{suffix}.png")
        labels.reject()
        settings.tabs.setCurrentIndex(0)

        leads = window.panels["leads"]
        window.navigation.select("leads")
        rig.wait(800)
        lead = leads.model.row_at(0)
        window.open_card("lead", lead.id, lead.name)
        rig.wait(800)
        records.convert(lead.id)
        rig.wait(300)
        rig.shoot(out / f"convert-lead{suffix}.png")
        records.dialog.reject()
        window.workspace.close_current()

        records.archive("lead", lead.id)
        window.show_section("leads")
        rig.wait(800)
        rig.shoot(out / f"archived-undo{suffix}.png")
        records.archive("lead", lead.id, archived=False)
        rig.wait(300)


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
    for language in rig.LANGUAGES:
        take(url, out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=60)


if __name__ == "__main__":
    sys.exit(main())
