"""Service errors in the user's language: every error code the services
raise is in the window's catalogue with a Russian sentence, every raise a
widget can meet carries a code, and a real refusal reads in Russian."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from services.core.errors import UserError
from services.core.storage import Database
from services.parties import edit_cases
from services.parties import use_cases as creating
from tests.conftest import Team, make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import make_ctx
from ui.dialogs.party_dialog import PartyDialog
from ui.inbound.rule_dialog import RuleDialog
from ui.inbound.source_dialogs import SourceDialog, TokenDialog
from ui.settings.inbound_page import InboundPage
from ui.settings.settings_panel import SettingsPanel
from ui.shell import error_text
from ui.shell.error_catalogue import words

SERVICES = Path(__file__).resolve().parents[2] / "services"
# Errors with a code of their class (NotFoundError, DatabaseBusy ...) or
# built by a helper that sets the code.
CODED_CLASSES = {
    "NotFoundError",
    "DatabaseBusy",
    "UntrustedCertificate",
    "PasswordMissing",
    "TelegramRefused",
    "JobRunningElsewhere",
    "MessageTooLargeError",
    "UnparseableMessageError",
}
USER_ERRORS = {
    "UserError",
    "ValidationError",
    "ConflictError",
    "EnvironmentFault",
    "PermissionDenied",
    "TemporaryFailure",
    "PermanentFailure",
    "AiUnavailable",
}


def _sources() -> Iterator[tuple[Path, ast.Module, str]]:
    for path in sorted(SERVICES.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        yield path, ast.parse(text), text


def _raised_codes() -> dict[str, set[str]]:
    """Every literal ``code="..."`` in services/ with the params it passes
    (None: not a literal dict), and every class-level ``code = "..."``."""
    found: dict[str, set[str]] = {}
    for _path, tree, _text in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                kw = {k.arg: k.value for k in node.keywords}
                code = kw.get("code")
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    params = kw.get("params")
                    keys = (
                        {k.value for k in params.keys if isinstance(k, ast.Constant)}
                        if isinstance(params, ast.Dict)
                        else {"*"}
                    )
                    found.setdefault(code.value, set()).update(keys)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if (
                        isinstance(item, ast.Assign)
                        and [getattr(t, "id", "") for t in item.targets] == ["code"]
                        and isinstance(item.value, ast.Constant)
                        and item.value.value
                    ):
                        found.setdefault(str(item.value.value), set()).add("*")
    return found


def test_every_code_the_services_raise_is_in_the_catalogue_with_its_params() -> None:
    raised = _raised_codes()
    assert len(raised) > 200
    missing = sorted(set(raised) - set(error_text.CATALOGUE))
    assert not missing, (
        "codes raised in services/ but not in ui/shell/error_catalogue (add the English "
        f"sentence there and its Russian translation): {missing}"
    )
    short = {
        code: sorted(set(error_text.PARAMS.get(code, ())) - keys)
        for code, keys in raised.items()
        if "*" not in keys and set(error_text.PARAMS.get(code, ())) - keys
    }
    assert not short, f"raise sites that do not pass every param the sentence shows: {short}"
    for code, source in error_text.CATALOGUE.items():
        numbers = {int(n) for n in re.findall(r"%(\d)", str(source))}
        assert numbers == set(range(1, len(error_text.PARAMS[code]) + 1)), code


def test_every_user_error_a_widget_can_meet_has_a_code() -> None:
    uncoded = []
    for path, tree, text in _sources():
        where = path.relative_to(SERVICES)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in USER_ERRORS
                and not any(k.arg == "code" for k in node.keywords)
            ):
                segment = ast.get_source_segment(text, node)
                uncoded.append(f"{where}:{node.lineno} {segment}"[:160])
    assert not uncoded, "give these a code= and params= (and a catalogue line):\n" + "\n".join(
        uncoded
    )


def test_every_code_and_word_has_a_russian_translation(russian: None) -> None:
    untranslated = []
    for code, source in error_text.CATALOGUE.items():
        text = QCoreApplication.translate(error_text.CONTEXT, str(source))
        words_in = re.sub(r"%\d", "", str(source))
        if re.search("[A-Za-z]", words_in) and text == str(source):
            untranslated.append(code)
        assert sorted(re.findall(r"%\d", text)) == sorted(re.findall(r"%\d", str(source))), code
    for word in words.WORDS:
        if QCoreApplication.translate(error_text.WORDS_CONTEXT, str(word)) == str(word):
            untranslated.append(str(word))
    assert not untranslated


def _refusal(fn: Any) -> UserError:
    with pytest.raises(UserError) as caught:
        fn()
    return caught.value


def test_real_refusals_read_in_russian_with_their_words_translated(
    russian: None, sqlite_db: Database
) -> None:
    from services.core import bootstrap

    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    empty = _refusal(lambda: creating.add_client(sqlite_db, actor, "   "))
    assert str(empty) == "Client name must not be empty"  # the CLI's words stay
    assert error_text.message(empty) == "Название клиента не может быть пустым"
    phone = _refusal(lambda: creating.add_client(sqlite_db, actor, "ООО «Ок»", phones=["12"]))
    assert error_text.message(phone) == "Неверный номер телефона: «12» (слишком короткий)"
    lead = creating.add_lead(sqlite_db, actor, "Мария").value
    long_company = _refusal(
        lambda: edit_cases.edit_lead(sqlite_db, actor, lead.id, company="x" * 5000)
    )
    assert error_text.message(long_company) == "Компания: длиннее 300 символов"
    # a param that looks like a placeholder stays as typed
    odd = UserError("x", code="core.backup.no_such_file", params={"source": "%2 и %1"})
    assert error_text.message(odd) == "Нет такого файла: %2 и %1"


def test_the_new_client_dialog_says_a_bad_phone_in_russian(
    qtbot: QtBot, russian: None, sqlite_db: Database
) -> None:
    dialog = PartyDialog(make_ctx(sqlite_db), "client")
    qtbot.addWidget(dialog)
    dialog.phone.setText("12")
    assert dialog.phone_hint.text().startswith("Неверный номер телефона")
    dialog._timer.stop()


def _said(ctx: Any) -> list[str]:
    """What the window's error box would say for each refusal so far."""
    return [error_text.message(exc) for exc in ctx.errors]


def test_refusals_on_the_inbound_page_read_in_russian(
    qtbot: QtBot, russian: None, sqlite_db: Database
) -> None:
    team = make_team(sqlite_db)
    h.source(sqlite_db, team.admin, "Бот продаж")
    ctx = make_ctx(sqlite_db)
    page = InboundPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()

    page.edit_rule(new=True)
    rule = page.dialog
    assert isinstance(rule, RuleDialog)
    rule.name.setText("Счета по кругу")
    rule.assign_mode.setCurrentIndex(rule.assign_mode.findData("round_robin"))
    for row in range(rule.queue.count()):
        rule.queue.item(row).setCheckState(Qt.CheckState.Unchecked)
    rule.save()
    rule.keywords.setText("счёт; прайс")
    rule.save()
    assert _said(ctx) == [
        "Правилу нужны ключевые слова (через «;») или отметка «правило по умолчанию»",
        "В очереди по кругу должен быть хотя бы один пользователь",
    ]
    assert str(ctx.errors[1]) == "A round-robin queue needs at least one user"  # the CLI's
    assert rule.isVisible()  # nothing saved: the dialog stays for a fix
    assert page.rule_tree.topLevelItemCount() == 0
    rule.reject()

    page.add_source()
    source = page.dialog
    assert isinstance(source, SourceDialog)
    source.kind.setCurrentIndex(source.kind.findData("telegram"))
    source.name.setText("Бот продаж")
    source.save()
    assert _said(ctx)[-1] == "Источник «Бот продаж» уже есть"
    assert page.source_list.count() == 1
    source.reject()

    current = page.current_source()
    assert current is not None
    token = TokenDialog(ctx, current)
    qtbot.addWidget(token)
    token.token.setText("не токен")
    token.save()
    assert token.status.text() == (
        "Это не токен бота Telegram: он выглядит как 123456789:AAE… — так, как его "
        "выдаёт @BotFather"
    )


def test_refusals_on_the_working_calendar_page_read_in_russian(
    qtbot: QtBot, russian: None, sqlite_db: Database, sqlite_team: Team
) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.show()
    panel.tabs.setCurrentWidget(panel.calendar_page)
    page = panel.calendar_page
    page.year.setValue(2025)
    before = page.table.rowCount()
    page.set_country("XX")
    page.remove_day(dt.date(2025, 3, 3))  # an ordinary Monday
    page.add_day(dt.date(2025, 12, 27), True, "ж" * 201)
    assert _said(panel._ctx) == [
        "Нет календаря праздников для «XX»: укажите двухбуквенный код страны",
        "2025-03-03 — не перенесённый день в календаре RU",
        "Примечание длиннее 200 символов",
    ]
    assert page.table.rowCount() == before  # nothing changed
