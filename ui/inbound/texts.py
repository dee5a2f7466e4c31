"""Words for inbound requests in the interface language: states, channels,
effects, and "what the rule did and why" built from the stored ``why``
(data, not English sentences, so it reads in Russian too)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.widgets.plain import quoted

STATES = ("new", "assigned", "converted", "rejected")


def state_tab(state: str) -> str:
    """A state as the tab of its list says it (Russian: plural, "Новые")."""
    return {
        "new": QCoreApplication.translate("InboundTabs", "New"),
        "assigned": QCoreApplication.translate("InboundTabs", "Assigned"),
        "converted": QCoreApplication.translate("InboundTabs", "Converted"),
        "rejected": QCoreApplication.translate("InboundTabs", "Rejected"),
    }.get(state, state)


def state_label(state: str) -> str:
    """The state of one request (Russian: singular, "Новое")."""
    return {
        "new": QCoreApplication.translate("Inbound", "New"),
        "assigned": QCoreApplication.translate("Inbound", "Assigned"),
        "converted": QCoreApplication.translate("Inbound", "Converted"),
        "rejected": QCoreApplication.translate("Inbound", "Rejected"),
    }.get(state, state)


def channel_label(channel: str) -> str:
    return {
        "mail": QCoreApplication.translate("Inbound", "Email"),
        "mail_account": QCoreApplication.translate("Inbound", "Email"),
        "web_form": QCoreApplication.translate("Inbound", "Web form"),
        "telegram": QCoreApplication.translate("Inbound", "Telegram"),
    }.get(channel, channel)


def ticket_state_label(state: str) -> str:
    return {
        "open": QCoreApplication.translate("Inbound", "Open"),
        "in_progress": QCoreApplication.translate("Inbound", "In progress"),
        "closed": QCoreApplication.translate("Inbound", "Closed"),
    }.get(state, state)


def mark_label(mark: str | None) -> str:
    return {
        "auto_reply": QCoreApplication.translate("Inbound", "Automatic reply"),
        "bounce": QCoreApplication.translate("Inbound", "Delivery report"),
        "list": QCoreApplication.translate("Inbound", "Mailing list"),
    }.get(mark or "", mark or "")


def effect_label(effect: str | None) -> str:
    return {
        "deal_created": QCoreApplication.translate("Inbound", "a new deal"),
        "deal_attached": QCoreApplication.translate("Inbound", "attached to an open deal"),
        "deal_linked": QCoreApplication.translate("Inbound", "attached to a deal by hand"),
        "ticket_created": QCoreApplication.translate("Inbound", "a new support ticket"),
        "rejected": QCoreApplication.translate("Inbound", "declined"),
        "waiting": QCoreApplication.translate("Inbound", "waits for someone to take it"),
        "none": QCoreApplication.translate("Inbound", "nothing created"),
        "marked": QCoreApplication.translate("Inbound", "kept, nothing created"),
        "failed": QCoreApplication.translate(
            "Inbound", "processing failed; a person has to decide"
        ),
    }.get(effect or "none", effect or "")


def assigned_label(how: str | None) -> str:
    return {
        "client_owner": QCoreApplication.translate("Inbound", "to the owner of the sender's card"),
        "role": QCoreApplication.translate(
            "Inbound", "to a role: the first member to take it owns it"
        ),
        "round_robin": QCoreApplication.translate(
            "Inbound", "to the next person in the round-robin queue"
        ),
        "user": QCoreApplication.translate("Inbound", "to the rule's person"),
        "none": QCoreApplication.translate("Inbound", "to nobody: anyone may take it"),
    }.get(how or "none", how or "")


_PARTY = re.compile(r"^(client|lead|contact) \d+ \((.*)\)$", re.DOTALL)


def role_label(name: str) -> str:
    """A role's name in the interface's language when it is one of the seeded
    roles (bootstrap and team setup); a role an administrator named stays as named."""
    seeded = {
        "Administrator": QCoreApplication.translate("Inbound", "Administrator"),
        "Head of department": QCoreApplication.translate("Inbound", "Head of department"),
        "Manager": QCoreApplication.translate("Inbound", "Manager"),
        "Read-only": QCoreApplication.translate("Inbound", "Read-only"),
    }
    return seeded.get(name, name)


def party_label(label: str) -> str:
    """The rules' "client 5 (ООО Ромашка)" as the interface says it."""
    found = _PARTY.match(label)
    if found is None:
        return label
    kind = {
        "client": QCoreApplication.translate("Inbound", "the client %1"),
        "lead": QCoreApplication.translate("Inbound", "the lead %1"),
        "contact": QCoreApplication.translate("Inbound", "the contact person %1"),
    }[found.group(1)]
    return kind.replace("%1", quoted(found.group(2)))


def why_lines(why: Mapping[str, Any] | None) -> list[str]:
    """The rule's story of one request, a line per step."""
    if not why:
        return [QCoreApplication.translate("Inbound", "No rule has looked at this request yet.")]
    if why.get("mark"):
        return [
            QCoreApplication.translate(
                "Inbound", "%1: kept for the record, no rule runs on it."
            ).replace("%1", mark_label(str(why["mark"])))
        ]
    lines: list[str] = []
    rule = why.get("rule")
    matched = [str(word) for word in why.get("matched") or ()]
    if rule and matched:
        lines.append(
            QCoreApplication.translate("Inbound", "Rule %1 applied: the text contains %2.")
            .replace("%1", quoted(str(rule)))
            .replace("%2", ", ".join(quoted(w) for w in matched))
        )
    elif rule:
        lines.append(
            QCoreApplication.translate(
                "Inbound", "No keyword matched; the default rule %1 applied."
            ).replace("%1", quoted(str(rule)))
        )
    else:
        lines.append(QCoreApplication.translate("Inbound", "No rule of this source applied."))
    if why.get("party"):
        lines.append(
            QCoreApplication.translate("Inbound", "The sender was found on %1.").replace(
                "%1", party_label(str(why["party"]))
            )
        )
    elif why.get("new_lead"):
        lines.append(
            QCoreApplication.translate(
                "Inbound", "The sender is not on any card: a new lead was made."
            )
        )
    else:
        lines.append(QCoreApplication.translate("Inbound", "The sender is not on any card."))
    lines.append(
        QCoreApplication.translate("Inbound", "Assigned %1.").replace(
            "%1", assigned_label(why.get("assigned"))
        )
    )
    lines.append(
        QCoreApplication.translate("Inbound", "Result: %1.").replace(
            "%1", effect_label(why.get("effect"))
        )
    )
    if why.get("error"):
        lines.append(
            QCoreApplication.translate("Inbound", "Processing failed: %1").replace(
                "%1", str(why["error"])
            )
        )
    return lines
