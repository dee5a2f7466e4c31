"""Screenshots of the main views on the demo database, taken from a real X
screen (a private Xvfb) at a laptop's 1366x768, in English and Russian, for
the README and for reviewing the look: the client list, a client card with
its feed (and why a letter sits there), an imported call opened, the
composer with an AI template, Settings, the agenda, the deals board, Mail
(offline, a letter in the outbox), the unlinked letters and the search.

    .venv/bin/python scripts/screenshots.py            # into screenshots/
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --clients 3000

The window, the X server and the demo database: scripts/screenshot_rig.py
and scripts/screenshot_demo.py.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig
from screenshot_demo import LINKED_SUBJECT


def take(url: str, big_client: int, out: Path, language: str) -> None:
    """Run the real window (container, lanes, mail driver) and photograph it."""
    from PySide6.QtWidgets import QToolTip

    end = rig.suffix(language)
    with rig.window(url, language) as (window, parts):
        parts.ticker.start()  # the mail jobs are due at once: the closed port, offline
        rig.shoot(out / f"clients{end}.png")
        window.open_card("client", big_client)  # the key account: a long feed
        rig.wait(800)
        rig.shoot(out / f"client-card{end}.png")
        card = window.workspace.currentWidget()
        for item in card.feed.model.items():
            if item.title == LINKED_SUBJECT:
                card.feed.select(item.kind, item.id)
                card.feed.explain(item)
        rig.wait(300)  # the list lays out its rows before it can scroll to one
        card.feed.list.scrollTo(
            card.feed.list.currentIndex(), card.feed.list.ScrollHint.PositionAtCenter
        )
        rig.shoot(out / f"feed-why{end}.png")
        call = next(i for i in card.feed.model.items() if i.source == "call" and i.text)
        card.edit_interaction(call.id)  # its stored summary worded in the window's language
        rig.shoot(out / f"interaction-dialog{end}.png")
        card.dialog.reject()
        email = next(p for p in reversed(card.data.points) if p.kind == "email")
        card.write_to(email.normalized)  # a letter with an AI template
        rig.wait(500)
        panel = card.dialog.templates
        panel.contact.setCurrentIndex(1)
        panel.deal.setCurrentIndex(1)
        panel.template.setCurrentIndex(
            next(
                i
                for i in range(panel.template.count())
                if panel.template.itemText(i).startswith("Ответ на письмо клиента")
            )
        )
        panel.template.activated.emit(panel.template.currentIndex())
        rig.wait(500)
        rig.shoot(out / f"compose-template{end}.png")
        card.dialog.reject()
        window.workspace.close_current()
        window.navigation.select("settings")
        settings = window.panels["settings"]
        rig.shoot(out / f"settings{end}.png")
        for page in ("types", "fields", "users", "templates", "ai"):
            settings.tabs.setCurrentWidget(getattr(settings, f"{page}_page"))
            rig.shoot(out / f"settings-{page}{end}.png")
        settings.tabs.setCurrentIndex(0)
        # a slow read ahead of the agenda's first one: what it shows meanwhile
        gate = threading.Event()
        parts.reads.submit(lambda: gate.wait(20), lambda _r: None, lambda _e: None)
        window.navigation.select("agenda")
        rig.shoot(out / f"agenda-loading{end}.png", settle_ms=400)
        gate.set()
        rig.shoot(out / f"agenda{end}.png", settle_ms=1500)  # it reads on first show
        window.navigation.select("deals")
        rig.shoot(out / f"deals{end}.png", settle_ms=1500)
        window.navigation.select("mail")
        rig.wait(1500)  # the driver tries the closed port and goes offline
        rig.shoot(out / f"mail{end}.png")
        sync = window.mail.sync_button  # its key, named in the tooltip
        QToolTip.showText(sync.mapToGlobal(sync.rect().bottomLeft()), sync.toolTip(), sync)
        rig.shoot(out / f"mail-keys{end}.png", settle_ms=300)
        QToolTip.hideText()
        window.mail.show_unlinked()
        rig.shoot(out / f"unlinked-mail{end}.png")
        rig.search(window, out / f"search{end}.png")


def main() -> int:
    def shoot_all(url: str, big_client: int, out: Path) -> None:
        for language in rig.LANGUAGES:
            take(url, big_client, out, language)

    return rig.run_shots(__doc__, shoot_all, clients=1500)


if __name__ == "__main__":
    sys.exit(main())
