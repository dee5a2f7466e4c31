"""The main views at a laptop's 1366x768, in English and Russian, on the
demo database of scripts/screenshot_demo.py, named by the screen size: the
client list, a client card (its feed, side column and contact persons), a
deal's card, My agenda, Settings → Database and the search. ``--size
1920x1080`` names them by that size instead.

    .venv/bin/python scripts/screenshots_laptop.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig


def take(url: str, big_client: int, out: Path, language: str) -> None:
    name = f"-{rig.SIZE[0]}x{rig.SIZE[1]}-{language}.png"
    with rig.window(url, language, settle_ms=1500) as (window, parts):
        parts.ticker.start()
        rig.shoot(out / f"main{name}")
        window.open_card("client", big_client)
        rig.wait(1000)
        rig.shoot(out / f"card{name}")
        card = window.workspace.currentWidget()
        card.tabs.setCurrentWidget(card.tabs.contacts_tab)
        rig.shoot(out / f"card-contacts{name}")
        deal = card.data.deals[0]  # the key account's first deal, its own card
        window.workspace.close_current()
        window.open_card("deal", deal.id)
        rig.wait(1000)
        rig.shoot(out / f"deal{name}")
        window.workspace.close_current()
        window.navigation.select("agenda")
        rig.shoot(out / f"agenda{name}", settle_ms=1500)  # it reads on first show
        window.navigation.select("settings")
        settings = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.database_page)
        rig.shoot(out / f"settings-database{name}")
        settings.tabs.setCurrentIndex(0)
        rig.search(window, out / f"search{name}")


def main() -> int:
    def shoot_all(url: str, big_client: int, out: Path) -> None:
        for language in rig.LANGUAGES:
            take(url, big_client, out, language)

    return rig.run_shots(__doc__, shoot_all, clients=1500)


if __name__ == "__main__":
    sys.exit(main())
