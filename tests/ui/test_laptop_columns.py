"""Columns cut beside a side panel on a 1366x768 laptop (the screenshots
showed "Вопрос по д…", "Telegram · Бот «…" in Inbound and "Коммерческое
предложен…" in My agenda): the subject and the source now fit, in English
and Russian; a longer text is cut with "…" and its tooltip holds all of it
as plain text."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from services.core import bootstrap, settings
from services.core.storage import Database
from services.inbound import use_cases as inbound
from services.interactions import actions as interactions
from services.parties import records as parties
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import LAPTOP, beside_the_sections, make_ctx
from ui.agenda.agenda_panel import AgendaPanel
from ui.inbound.inbound_panel import InboundPanel
from ui.inbound.request_model import RequestModel

SUBJECT = "Коммерческое предложение на поставку"
MARGIN = 12  # a cell's padding on both sides


def _fits(table: QTableView, column: int, text: str) -> bool:
    return table.fontMetrics().horizontalAdvance(text) + MARGIN <= table.columnWidth(column)


def test_the_agenda_subject_fits_beside_the_mentions(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        # in Almaty: the time shows in both zones, "08.12.2026 05:15 (10:15 Алматы)"
        client = parties.add_client(uow, actor, "ТОО «Алатау Трейд»").id
        interactions.create(
            uow,
            actor,
            interactions.NewInteraction(
                type="meeting",
                planned=True,
                start=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
                subject=SUBJECT,
                client_id=client,
                tz="Asia/Almaty",
            ),
        )
        uow.commit()
    with sqlite_db.uow() as uow:
        settings.put(uow, "default_timezone", "Europe/Moscow")
        uow.commit()
    panel = AgendaPanel(make_ctx(sqlite_db))
    window = beside_the_sections(qtbot, panel)
    panel.refresh()
    tree = panel.tree
    row = tree.topLevelItem(0).child(0)  # type: ignore[union-attr]
    assert row.text(2) == SUBJECT
    assert "(" in row.text(0), row.text(0)
    assert tree.fontMetrics().horizontalAdvance(SUBJECT) + MARGIN <= tree.columnWidth(2)
    assert row.toolTip(2) == SUBJECT
    assert window.width() == LAPTOP[0]


def test_inbound_subject_and_source_fit_beside_the_request(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    team = make_team(sqlite_db)
    source = h.source(sqlite_db, team.admin, "Бот «Северторг»")
    h.rule(
        sqlite_db, team.admin, source, name="Роль", is_default=True, assign_mode="role",
        role_id=h.role_id(sqlite_db, "Manager"),
    )  # fmt: skip
    subject = "Заявка с сайта: счёт на картон"
    h.deliver(
        sqlite_db, source, subject, "Нужен счёт", name="Игорь Ёлкин", email="i.elkin@mail.example"
    )
    inbound.process(sqlite_db, source)
    panel = InboundPanel(make_ctx(sqlite_db, login="anna"))
    window = beside_the_sections(qtbot, panel)
    panel.refresh()
    table, model = panel.table, panel.model
    assert model.rowCount() == 1
    shown = model.data(model.index(0, RequestModel.SOURCE))
    widths = [table.columnWidth(c) for c in range(5)]
    assert _fits(table, RequestModel.SUBJECT, subject), widths
    assert _fits(table, RequestModel.SOURCE, shown), widths
    sender = model.data(model.index(0, RequestModel.SENDER))
    assert _fits(table, RequestModel.SENDER, sender), widths
    tip = model.data(model.index(0, RequestModel.SENDER), Qt.ItemDataRole.ToolTipRole)
    assert "i.elkin@mail.example" in tip
    assert window.width() == LAPTOP[0]
