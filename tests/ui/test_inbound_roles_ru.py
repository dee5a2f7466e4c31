"""Seeded role names read in the interface's language in Inbound (the request
list and card, Settings → Sources & rules); a role an administrator named
keeps its name. A real SQLite file, the Russian catalogue installed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from models import Role
from services.core.storage import Database
from services.inbound import use_cases as inbound
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import make_ctx
from ui.inbound import texts
from ui.inbound.inbound_panel import InboundPanel
from ui.settings.inbound_page import InboundPage


def test_seeded_roles_are_named_in_russian_and_a_named_role_as_named(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    team = make_team(sqlite_db)
    with sqlite_db.uow() as uow:
        uow.session.add(Role(name="Отдел продаж Ёлки", permissions=[]))
        uow.commit()
    source = h.source(sqlite_db, team.admin, "Бот продаж")
    h.rule(
        sqlite_db, team.admin, source, name="Счета", keywords="счёт", assign_mode="role",
        role_id=h.role_id(sqlite_db, "Отдел продаж Ёлки"),
    )  # fmt: skip
    h.rule(
        sqlite_db, team.admin, source, name="Остальное", is_default=True, assign_mode="role",
        role_id=h.role_id(sqlite_db, "Manager"),
    )  # fmt: skip
    question = h.deliver(sqlite_db, source, "Хочу купить")
    invoice = h.deliver(sqlite_db, source, "Пришлите счёт")
    inbound.process(sqlite_db, source)

    panel = InboundPanel(make_ctx(sqlite_db))  # the administrator sees every request
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    model = panel.model
    rows = {request_id: model.row_of(request_id) for request_id in (question, invoice)}
    assert None not in rows.values()
    owner = {
        request_id: model.data(model.index(row or 0, model.OWNER))
        for request_id, row in rows.items()
    }
    assert owner == {question: "Роль: Менеджер", invoice: "Роль: Отдел продаж Ёлки"}
    panel.table.selectRow(rows[question] or 0)
    assert panel.card.owner.text() == "Адресовано роли Менеджер"

    page = InboundPage(make_ctx(sqlite_db))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assigned = {
        page.rule_tree.topLevelItem(n).text(0): page.rule_tree.topLevelItem(n).text(2)
        for n in range(page.rule_tree.topLevelItemCount())
    }
    assert assigned["Счета"] == "Роль: Отдел продаж Ёлки"
    assert assigned["Остальное (по умолчанию)"] == "Роль: Менеджер"
    assert [texts.role_label(n) for n in ("Administrator", "Head of department", "Read-only")] == [
        "Администратор",
        "Руководитель отдела",
        "Только чтение",
    ]
