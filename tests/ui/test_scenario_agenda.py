"""My agenda names the scenario run and step of a planned item, in the
user's language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QLocale
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.scenarios import use_cases as scenario_cases
from tests.integration.scenario_helpers import CHAIN, make_card, make_chain
from tests.ui.helpers import make_ctx
from ui.agenda.agenda_panel import AgendaPanel
from ui.shell import i18n


def _subjects(panel: AgendaPanel) -> list[str]:
    tree = panel.tree
    found = []
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        assert group is not None
        found += [group.child(i).text(2) for i in range(group.childCount())]
    return found


def test_the_agenda_names_the_run_and_step_in_english_and_russian(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.uow() as uow:
        admin = bootstrap.actor_for(uow)
    card = make_card(sqlite_db, admin)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    scenario_cases.apply_scenario(
        sqlite_db, admin, make_chain(sqlite_db, admin), card.client_id, card.contact_id, now
    )
    panel = AgendaPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    subjects = _subjects(panel)
    assert len(subjects) == len(CHAIN)
    assert sum(f"«Новый клиент», step 2 of {len(CHAIN)}" in s for s in subjects) == 1
    app = QCoreApplication.instance()
    assert app is not None
    before = QLocale()
    installed = i18n.install(app, "ru")
    try:
        panel.refresh()
        russian = _subjects(panel)
    finally:
        i18n.uninstall(app, installed)
        QLocale.setDefault(before)
    assert sum(f"«Новый клиент», шаг 2 из {len(CHAIN)}" in s for s in russian) == 1
