"""Settings → Deputies at 1366×768 in Russian and English, on a small demo
database with two colleagues' periods (the window, X server and database of
scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_deputies.py     # into screenshots/
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig


def _periods(url: str) -> None:
    """Three colleagues, two of them away with a deputy."""
    from services.core import bootstrap, users
    from services.core.storage import open_database
    from services.parties import transfers

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    for login, name in (
        ("anna", "Анна Смирнова"),
        ("boris", "Борис Петров"),
        ("vera", "Вера Козлова"),
    ):
        users.add_user(db, admin, login, name, "Manager")
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    transfers.set_deputy(db, admin, "boris", now + dt.timedelta(days=6, hours=3), absent="anna")
    transfers.set_deputy(db, admin, "anna", now + dt.timedelta(days=15), absent="vera")
    db.dispose()


def take(url: str, out: Path, language: str) -> None:
    with rig.window(url, language) as (window, _parts):
        window.navigation.select("settings")
        settings = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.deputies_page)
        rig.wait(800)
        rig.shoot(out / f"settings-deputies{rig.suffix(language)}.png")


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    _periods(url)
    for language in rig.LANGUAGES:
        take(url, out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
