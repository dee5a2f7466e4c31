"""Settings → Sources & rules against a real SQLite file: the sources with
their "Process requests" flag, rules in order, and the dry run before a rule
is saved, which shows who would get each request and changes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models import InboundRequest, InboundRoundRobin, InboundRule, InboundSource
from services.core.storage import Database
from services.inbound import use_cases as inbound
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import answer, make_ctx
from ui.inbound.dry_run_dialog import DryRunDialog
from ui.inbound.rule_dialog import RuleDialog
from ui.inbound.source_dialogs import SourceDialog
from ui.settings.inbound_page import InboundPage
from ui.widgets.two_line_delegate import SUBTITLE_ROLE


def _page(qtbot: QtBot, db: Database, login: str | None = None) -> InboundPage:
    page = InboundPage(make_ctx(db, login=login))
    qtbot.addWidget(page)
    page.resize(1100, 650)
    page.show()
    page.refresh()
    return page


def _snapshot(db: Database) -> tuple[object, ...]:
    with db.reader() as uow:
        requests = uow.session.execute(
            select(InboundRequest.id, InboundRequest.owner_id, InboundRequest.state)
        ).all()
        queues = uow.session.execute(
            select(InboundRoundRobin.rule_id, InboundRoundRobin.position)
        ).all()
        rules = uow.session.execute(select(InboundRule.id, InboundRule.name)).all()
        return tuple(requests), tuple(queues), tuple(rules)


def test_sources_rules_and_a_dry_run_that_changes_nothing(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    team = make_team(sqlite_db)
    source = h.source(sqlite_db, team.admin, "Бот продаж")
    h.rule(
        sqlite_db,
        team.admin,
        source,
        name="Всё Анне",
        is_default=True,
        queue_user_ids=(team.anna.id,),
    )
    for n in range(4):
        h.deliver(sqlite_db, source, f"Нужен СЧЁТ {n}" if n % 2 else f"Вопрос {n}")
    inbound.process(sqlite_db, source)
    page = _page(qtbot, sqlite_db)
    assert page.source_list.count() == 1
    assert page.source_list.item(0).text().startswith("Бот продаж")
    assert page.process.isChecked()
    assert page.rule_tree.topLevelItemCount() == 1

    page.edit_rule(new=True)
    dialog = page.dialog
    assert isinstance(dialog, RuleDialog)
    dialog.name.setText("Счета Борису")
    dialog.keywords.setText("счет; invoice")
    dialog.assign_mode.setCurrentIndex(dialog.assign_mode.findData("user"))
    dialog.user.setCurrentIndex(dialog.user.findText("Борис Петров"))
    dialog.action.setCurrentIndex(dialog.action.findData("none"))
    before = _snapshot(sqlite_db)
    dialog.last.setValue(10)
    dialog.try_rule()
    trial = dialog.dry_run
    assert isinstance(trial, DryRunDialog)
    rows = {row.subject: row for row in trial.rows}
    assert len(rows) == 4
    assert rows["Нужен СЧЁТ 1"].would_owner == "Борис Петров"  # ё = е, any case
    assert rows["Нужен СЧЁТ 1"].did_owner == "Анна Смирнова"
    assert not rows["Нужен СЧЁТ 1"].same
    assert rows["Вопрос 0"].would_owner == "Анна Смирнова"
    assert trial.summary.text() == "2 of 4 requests would go differently."
    assert trial.tree.topLevelItemCount() == 4
    assert _snapshot(sqlite_db) == before  # nothing saved, assigned or counted

    dialog.save()
    assert page.rule_tree.topLevelItemCount() == 2
    names = [page.rule_tree.topLevelItem(r).text(0) for r in range(2)]
    assert names == ["Всё Анне (default)", "Счета Борису"]

    page.rule_tree.setCurrentItem(page.rule_tree.topLevelItem(1))
    page.move_rule(-1)
    names = [page.rule_tree.topLevelItem(r).text(0) for r in range(2)]
    assert names == ["Счета Борису", "Всё Анне (default)"]

    page.process.click()
    with sqlite_db.reader() as uow:
        assert uow.session.get(InboundSource, source).process_requests is False  # type: ignore[union-attr]
    assert "not processed" in page.source_list.item(0).data(SUBTITLE_ROLE)


def test_a_new_source_from_the_dialog(qtbot: QtBot, sqlite_db: Database) -> None:
    make_team(sqlite_db)
    page = _page(qtbot, sqlite_db)
    assert page.no_sources.isVisible()
    page.add_source()
    dialog = page.dialog
    assert isinstance(dialog, SourceDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("telegram"))
    assert dialog.token.isVisible()
    assert not dialog.account.isVisible()
    assert dialog.api_base.isVisible()
    assert dialog.api_base.text() == "https://api.telegram.org"
    dialog.name.setText("Телеграм-бот")
    dialog.save()
    assert page.source_list.count() == 1
    assert page.token_button.isVisible()
    assert not page.mapping_button.isVisible()
    page.add_source()
    dialog = page.dialog
    assert isinstance(dialog, SourceDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("telegram"))
    dialog.name.setText("Бот через прокси")
    dialog.api_base.setText("https://tg-proxy.example.ru/")
    dialog.save()
    with sqlite_db.reader() as uow:
        bases = dict(uow.session.execute(select(InboundSource.name, InboundSource.api_base)).all())
    assert bases == {"Телеграм-бот": None, "Бот через прокси": "https://tg-proxy.example.ru"}


def test_a_source_is_removed_after_a_confirmation_and_its_requests_stay(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    team = make_team(sqlite_db)
    kept = h.source(sqlite_db, team.admin, "Бот поддержки")
    gone = h.source(sqlite_db, team.admin, "Старый бот")
    asked = h.deliver(sqlite_db, gone, "Где мой заказ?")
    page = _page(qtbot, sqlite_db)
    page.source_list.setCurrentRow(1)
    assert page.source_box.title() == "Старый бот"
    page.remove_source()
    box = page.dialog
    assert isinstance(box, QMessageBox)
    assert "Старый бот" in box.text()
    answer(box, yes=False)
    assert page.source_list.count() == 2  # cancelled: nothing removed
    page.remove_source()
    box = page.dialog
    assert isinstance(box, QMessageBox)
    answer(box, yes=True)
    qtbot.waitUntil(lambda: page.source_list.count() == 1)
    assert page.source_list.item(0).text().startswith("Бот поддержки")
    with sqlite_db.reader() as uow:
        row = uow.session.get(InboundSource, gone)
        assert row is not None
        assert (row.process_requests, row.archived_at is not None) == (False, True)
        request = uow.session.get(InboundRequest, asked)
        assert request is not None
        assert request.source_id == gone
        assert uow.session.get(InboundSource, kept).archived_at is None  # type: ignore[union-attr]


def test_a_manager_sees_the_page_read_only(qtbot: QtBot, sqlite_db: Database) -> None:
    team = make_team(sqlite_db)
    h.source(sqlite_db, team.admin, "Бот")
    page = _page(qtbot, sqlite_db, "anna")
    assert page.read_only_note.isVisible()
    assert not page.add_source_button.isEnabled()
    assert not page.add_rule_button.isEnabled()
    assert not page.process.isEnabled()
    assert not page.remove_source_button.isEnabled()
    assert not page.removed_button.isEnabled()
