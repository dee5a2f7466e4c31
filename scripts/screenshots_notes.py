"""A client's card with a note selected on its feed and the note's edit
dialog at 1366×768 in English and Russian, on a small demo database (the
window, X server and database of scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_notes.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig

NOTE = (
    "Созвонились с главным инженером: поставку труб переносят на март, "
    "нужен новый график отгрузок.\n@{login} подготовь, пожалуйста, КП с учётом скидки 5 %."
)


def _note(url: str) -> tuple[int, int]:
    """A note of the administrator's mentioning a colleague on a demo
    client of his: (client id, note id)."""
    from sqlalchemy import select

    from models import Client, User
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.interactions import use_cases as interactions

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
        client = uow.session.scalar(
            select(Client.id).where(Client.owner_id == admin.id).order_by(Client.id)
        )
        colleague = uow.session.scalar(
            select(User.login).where(User.id != admin.id, User.active.is_(True)).order_by(User.id)
        )
    assert client is not None
    assert colleague is not None
    note = interactions.add_note(db, admin, "client", client, NOTE.format(login=colleague)).value
    db.dispose()
    return client, note


def take(url: str, out: Path, language: str, client: int, note: int) -> None:
    with rig.window(url, language) as (window, _parts):
        window.open_card("client", client)
        rig.wait(1200)
        card = window.workspace.currentWidget()
        feed = card.feed
        rig.until(lambda: feed.select("note", note), "the note on the feed")
        feed.list.setFocus()
        feed.edit_current()
        dialog = feed.note_actions.dialog
        rig.until(lambda: dialog.note is not None, "the note dialog")
        rig.shoot(out / f"note-edit{rig.suffix(language)}.png")
        dialog.reject()


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    client, note = _note(url)
    for language in rig.LANGUAGES:
        take(url, out, language, client, note)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
