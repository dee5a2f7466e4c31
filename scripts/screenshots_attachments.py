"""A client's Attachments tab with the question before removing a file, and
the tab after the removal with its Undo, at 1366×768 in English and Russian,
on a small demo database (the window, X server and database of
scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_attachments.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig

FILES = (
    ("Договор поставки №17-2026.pdf", 184_000),
    ("Скан паспорта — Ёжиков.jpg", 1_450_000),
    ("Коммерческое предложение.docx", 52_000),
)


def _client(url: str) -> int:
    """A demo client of the administrator's with three files added by hand."""
    from sqlalchemy import select

    from models import Client
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.interactions import use_cases as interactions

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
        client = uow.session.scalar(
            select(Client.id).where(Client.owner_id == admin.id).order_by(Client.id)
        )
    assert client is not None
    folder = Path(db.engine.url.database or ".").parent / "files"
    folder.mkdir(exist_ok=True)
    for name, size in FILES:
        source = folder / name
        source.write_bytes(name.encode() * (size // len(name.encode()) + 1))
        interactions.add_attachment(db, admin, "client", client, str(source))
    db.dispose()
    return client


def take(url: str, out: Path, language: str, client: int) -> None:
    with rig.window(url, language) as (window, _parts):
        window.open_card("client", client)
        rig.wait(1200)
        card = window.workspace.currentWidget()
        tab = card.attachments_tab
        card.tabs.setCurrentWidget(tab)
        rig.until(lambda: tab.row_count() == len(FILES), "the attachments")
        tree = tab.tree
        item = next(
            tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())
            if tree.topLevelItem(i).text(0) == FILES[1][0]
        )
        tree.setCurrentItem(item)
        tree.setFocus()
        box = tab.remove_current()
        assert box is not None
        rig.shoot(out / f"attachment-remove{rig.suffix(language)}.png")
        act = next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole)
        act.click()
        rig.until(lambda: tab.row_count() == len(FILES) - 1, "the removal")
        rig.shoot(out / f"attachment-removed{rig.suffix(language)}.png")
        tab.undo_bar.undo_button.click()  # the next language finds all three again
        rig.until(lambda: tab.row_count() == len(FILES), "the undo")


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    client = _client(url)
    for language in rig.LANGUAGES:
        take(url, out, language, client)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
