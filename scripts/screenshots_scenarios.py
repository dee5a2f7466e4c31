"""Screenshots of scenarios at 1366×768, in English and Russian: Settings →
Scenarios with a chain and its dates for a client, applying it from a card,
the card with the running scenario, and Settings → Working calendar (the
conventions, X server and database of scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_scenarios.py     # into screenshots/
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig


def add_scenario(url: str) -> tuple[int, str, int]:
    """A five-step chain, applied to a demo client with a contact person;
    returns (client, its name, scenario)."""
    from sqlalchemy import select

    from models import Client, Contact
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.scenarios import use_cases as scenarios
    from services.scenarios.store import StepSpec

    db = open_database(url)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        contacts = uow.session.execute(
            select(Contact.client_id, Contact.id)
            .where(Contact.client_id.is_not(None))
            .order_by(Contact.id)
        ).all()
        client_id, contact_id = contacts[1]
        name = uow.session.get(Client, client_id).name  # type: ignore[union-attr]
    chain = [
        StepSpec(
            "email",
            0,
            10 * 60,
            "Знакомство: {{ client.name }}",
            prompt="Здравствуйте, {{ contact.first_name }}! Мы поставляем бумагу и картон.",
            auto_send=True,
        ),
        StepSpec("call", 2, 11 * 60, "Звонок {{ contact.full_name }}"),
        StepSpec(
            "email",
            2,
            10 * 60,
            "Напоминание о предложении",
            prompt="Напиши короткое напоминание для {{ contact.first_name }} о предложении.",
            ai=True,
            auto_send=True,
        ),
        StepSpec("meeting", 3, 15 * 60 + 30, "Встреча в офисе {{ client.name }}"),
        StepSpec("email", 2, 9 * 60, "Итоги встречи", prompt="Спасибо за встречу!"),
    ]
    made = scenarios.add_scenario(
        db,
        actor,
        "Новый клиент: от письма до встречи",
        chain,
        description="Знакомство, звонок, напоминание, встреча и итоги",
    ).value
    scenarios.add_scenario(
        db,
        actor,
        "Возврат ушедшего клиента",
        [StepSpec("call", 0, 11 * 60, "Звонок")],
        description="Один звонок",
        active=False,
    )
    scenarios.apply_scenario(db, actor, made.id, client_id, contact_id)
    db.dispose()
    return client_id, name, made.id


def take(url: str, client: tuple[int, str, int], out: Path, language: str) -> None:
    client_id, client_name, scenario_id = client
    suffix = rig.suffix(language)
    with rig.window(url, language) as (window, _parts):
        window.navigation.select("settings")
        settings: Any = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.scenarios_page)
        rig.wait(800)
        page = settings.scenarios_page
        for _ in range(50):  # the page reads its scenarios on a lane
            if page.shown():
                break
            rig.wait(100)
        page.list.selectRow([v.id for v in page.shown()].index(scenario_id))
        editor = page.editor
        editor.table.selectRow(2)
        editor.preview.show_for(client_id, client_name)
        rig.wait(600)
        rig.shoot(out / f"settings-scenarios{suffix}.png")
        settings.tabs.setCurrentWidget(settings.calendar_page)
        settings.calendar_page.year.setValue(dt.date.today().year)
        rig.wait(600)
        rig.shoot(out / f"settings-calendar{suffix}.png")
        settings.tabs.setCurrentIndex(0)

        window.open_card("client", client_id)
        rig.wait(1200)
        rig.shoot(out / f"card-scenario-run{suffix}.png")
        card: Any = window.workspace._cards[("client", client_id)]
        dialog = card.runs.open_apply()
        rig.wait(800)
        rig.shoot(out / f"scenario-apply{suffix}.png")
        dialog.reject()


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    client = add_scenario(url)
    for language in rig.LANGUAGES:
        take(url, client, out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=60)


if __name__ == "__main__":
    sys.exit(main())
