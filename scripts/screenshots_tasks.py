"""My agenda with a task selected, its context menu and the task's edit dialog at 1366×768
in English and Russian, on a small demo database (the window, X server and
database of scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_tasks.py     # into screenshots/
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig


def _tasks(url: str) -> None:
    """Two tasks of the administrator's today on a demo client, one of them
    on a colleague's desk soon."""
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
    soon = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    for hours, title in (
        (2, "Подготовить коммерческое предложение по поставке труб"),
        (5, "Сверить акт с бухгалтерией клиента"),
    ):
        interactions.add_task(
            db, admin, "client", client, title, deadline=soon + dt.timedelta(hours=hours)
        )
    db.dispose()


def _select_task(panel: Any) -> None:
    tree = panel.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            child = group.child(j)
            if child.data(0, 256).kind == "task":
                tree.setCurrentItem(child)
                tree.scrollToItem(child)
                tree.setFocus()
                return
    raise SystemExit("no task in the agenda")


def take(url: str, out: Path, language: str) -> None:
    with rig.window(url, language) as (window, _parts):
        window.navigation.select("agenda")
        panel = window.panels["agenda"]
        rig.until(lambda: panel.loaded_once, "the agenda")
        rig.wait(800)
        _select_task(panel)
        rig.shoot(out / f"agenda-task{rig.suffix(language)}.png")
        panel._on_menu_key()  # the task's context menu, as the Menu key opens it
        rig.until(lambda: panel.context_menu.isVisible(), "the context menu")
        rig.shoot(out / f"agenda-menu{rig.suffix(language)}.png")
        panel.context_menu.close()
        panel.edit_selected()
        rig.until(lambda: panel.tasks.dialog.form is not None, "the task dialog")
        rig.shoot(out / f"task-edit{rig.suffix(language)}.png")
        panel.tasks.dialog.reject()


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    _tasks(url)
    for language in rig.LANGUAGES:
        take(url, out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
