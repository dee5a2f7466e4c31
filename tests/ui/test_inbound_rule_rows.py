"""A rule's row in Settings → Sources & rules, worded apart from the page
(ui/settings/inbound_rule_rows.py, split out of inbound_page.py): in Russian
from the page's own translations, a seeded role by its Russian name, users
named as they are, Cyrillic kept; English as written."""

from __future__ import annotations

import dataclasses

from services.inbound.rule_choices import Choice, RuleChoices
from services.inbound.views import RuleView
from ui.settings import inbound_rule_rows

RULE = RuleView(
    id=1, source_id=1, name="Счета", position=0, active=True, is_default=False,
    keywords="счёт, оплата", whole_word=False, known_to_owner=False,
    assign_mode="round_robin", role_id=None, user_id=None, queue_user_ids=(7, 8),
    action="deal", pipeline_id=None, stage_id=None, deal_owner_id=None,
    rejection_reason_id=None, queue_position=0,
)  # fmt: skip
CHOICES = RuleChoices(
    users=(Choice(7, "Анна Смирнова"), Choice(8, "Борис Ёлкин")),
    roles=(Choice(3, "Manager"),),
    pipelines=(),
    reasons=(),
)


def test_a_rule_row_in_russian(russian: None) -> None:
    assert inbound_rule_rows.row(RULE, CHOICES) == [
        "Счета",
        "счёт, оплата",
        "Очередь: Анна Смирнова, Борис Ёлкин",
        "Создать сделку",
    ]
    off_default = dataclasses.replace(
        RULE, is_default=True, active=False, assign_mode="role", role_id=3, action="ticket"
    )
    name, _keywords, assign, action = inbound_rule_rows.row(off_default, CHOICES)
    assert (name, assign) == ("Счета (по умолчанию) (выключено)", "Роль: Менеджер")
    assert action == "Создать обращение в поддержку"


def test_a_rule_row_in_english(english: None) -> None:
    gone = dataclasses.replace(RULE, assign_mode="user", user_id=99, action="reject")
    assert inbound_rule_rows.row(gone, CHOICES)[2:] == ["?", "Decline"]
    owner = dataclasses.replace(RULE, assign_mode="client_owner", action="none")
    assert inbound_rule_rows.row(owner, None)[2:] == ["The client's owner", "Only assign"]
