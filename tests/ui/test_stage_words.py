"""The built-in pipeline and stages in the Russian window everywhere they
are named: the Russian rule dialog of Settings → Sources & rules offered the
pipeline "Sales" (the screenshot at 1366x768), and a card's deals and a deal
card's header showed "Qualification", while the board said "Продажи" and
"Квалификация"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.inbound import setup
from services.inbound.rule_choices import rule_choices
from services.parties import deals
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.inbound.rule_dialog import RuleDialog


def test_the_rule_dialog_names_the_built_in_pipeline_in_russian(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    ctx = make_ctx(sqlite_db)
    source = setup.add_source(sqlite_db, ctx.actor, "telegram", "Бот «Северторг»").value.id
    with sqlite_db.reader() as uow:
        choices = rule_choices(uow)
    dialog = RuleDialog(ctx, source, [], choices)
    qtbot.addWidget(dialog)
    assert dialog.pipeline.itemText(0) == "Продажи"
    stages = [dialog.stage.itemText(i) for i in range(dialog.stage.count())]
    assert stages[1:] == ["Квалификация", "Предложение", "Переговоры", "Успешно", "Провал"]


def test_a_card_names_the_deals_stage_in_russian(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»")
        deal = deals.add_deal(uow, actor, "Поставка бумаги", client_id=client.id).id
        uow.commit()
    ctx = make_ctx(sqlite_db)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    card = CardWidget(ctx, "client", client.id, settings=settings)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitUntil(lambda: card.data is not None)
    deals_tab = card.tabs.deals_tab
    assert deals_tab.tree.topLevelItem(0).text(1) == "Квалификация"
    deal_card = CardWidget(ctx, "deal", deal, settings=settings)
    qtbot.addWidget(deal_card)
    deal_card.show()
    qtbot.waitUntil(lambda: deal_card.data is not None)
    subtitle = deal_card.header.subtitle.text()
    assert "Квалификация" in subtitle
    assert "Qualification" not in subtitle
