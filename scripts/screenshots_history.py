"""A manager's client card at 1366×768 in English and Russian: the context
menu of a colleague's note (History… only, no Edit or Remove) and the
history of the manager's own note, reworded by her and by the administrator
(who, when, old → new, the chosen change in full), on a small demo database
(the window, X server and database of scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_history.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig

FIRST = "Созвонились с главным инженером: поставку труб переносят на март."
SECOND = (
    "Созвонились с главным инженером: поставку труб переносят на март, нужен новый график отгрузок."
)
THIRD = SECOND + "\nКП со скидкой 5 % отправлено 3 декабря, ждём ответа до пятницы."
ADMINS = "Проверить договор поставки перед продлением (юристы просили до 15-го)."


def _world(url: str) -> tuple[str, int, int, int]:
    """A manager's demo client with her note (edited by her, then by the
    administrator) and one of the administrator's: (her login, client,
    her note, his note)."""
    from sqlalchemy import select

    from models import Client, User
    from services.core import bootstrap
    from services.core.access import Permission
    from services.core.storage import open_database
    from services.interactions import use_cases as interactions

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
        rows = uow.session.execute(
            select(User.login, Client.id)
            .join(Client, Client.owner_id == User.id)
            .where(User.id != admin.id, User.active.is_(True))
            .order_by(User.id, Client.id)
        ).all()
        manager = next(
            bootstrap.actor_for(uow, r.login)
            for r in rows
            if not bootstrap.actor_for(uow, r.login).can(Permission.SETTINGS)
        )
        client = next(r.id for r in rows if r.login == manager.login)
    mine = interactions.add_note(db, manager, "client", client, FIRST).value
    interactions.edit_note(db, manager, mine, SECOND)
    interactions.edit_note(db, admin, mine, THIRD)
    theirs = interactions.add_note(db, admin, "client", client, ADMINS).value
    db.dispose()
    return manager.login, client, mine, theirs


def take(url: str, out: Path, language: str, world: tuple[str, int, int, int]) -> None:
    login, client, mine, theirs = world
    with rig.window(url, language, user=login) as (window, _parts):
        window.open_card("client", client)
        rig.wait(1200)
        feed = window.workspace.currentWidget().feed
        rig.until(lambda: feed.select("note", theirs), "the colleague's note on the feed")
        feed.list.setFocus()
        item = feed.current_item()
        rect = feed.list.visualRect(feed.list.currentIndex())
        menu = feed.menu_for(item)
        menu.popup(feed.list.viewport().mapToGlobal(rect.center()))
        rig.until(menu.isVisible, "the note's menu")
        rig.shoot(out / f"feed-note-menu{rig.suffix(language)}.png")
        menu.close()
        rig.until(lambda: feed.select("note", mine), "her note on the feed")
        feed.history_current()
        dialog = feed.history_dialog
        rig.until(lambda: bool(dialog.entries), "the note's history")
        rig.shoot(out / f"note-history{rig.suffix(language)}.png")
        dialog.reject()


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    world = _world(url)
    for language in rig.LANGUAGES:
        take(url, out, language, world)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
