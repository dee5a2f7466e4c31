"""What a row of Settings → Sources & rules says about a rule: its name
(marked default or off), whom it assigns to and what it does. Plain
functions of the rule and the choices read with it; the words stay in the
page's translation context ("InboundPage"), where they were written."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from services.inbound.rule_choices import RuleChoices
from services.inbound.views import RuleView
from ui.inbound import texts


def name_text(rule: RuleView) -> str:
    name = rule.name
    if rule.is_default:
        name = QCoreApplication.translate("InboundPage", "%1 (default)").replace("%1", name)
    if not rule.active:
        name = QCoreApplication.translate("InboundPage", "%1 (off)").replace("%1", name)
    return name


def assign_text(rule: RuleView, choices: RuleChoices | None) -> str:
    names = {u.id: u.name for u in choices.users} if choices else {}
    if rule.assign_mode == "round_robin":
        people = ", ".join(names.get(u, "?") for u in rule.queue_user_ids)
        return QCoreApplication.translate("InboundPage", "Queue: %1").replace("%1", people)
    if rule.assign_mode == "role":
        roles = {r.id: texts.role_label(r.name) for r in choices.roles} if choices else {}
        role = roles.get(rule.role_id or 0, "?")
        return QCoreApplication.translate("InboundPage", "Role: %1").replace("%1", role)
    if rule.assign_mode == "user":
        return names.get(rule.user_id or 0, "?")
    return QCoreApplication.translate("InboundPage", "The client's owner")


def action_text(rule: RuleView) -> str:
    return {
        "deal": QCoreApplication.translate("InboundPage", "Create a deal"),
        "ticket": QCoreApplication.translate("InboundPage", "Create a support ticket"),
        "reject": QCoreApplication.translate("InboundPage", "Decline"),
        "none": QCoreApplication.translate("InboundPage", "Only assign"),
    }.get(rule.action, rule.action)


def row(rule: RuleView, choices: RuleChoices | None) -> list[str]:
    """The rule's row: Rule, Keywords, Assign to, Action."""
    return [name_text(rule), rule.keywords, assign_text(rule, choices), action_text(rule)]
