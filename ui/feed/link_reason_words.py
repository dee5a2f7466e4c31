"""Why a letter or call sits on a card, in the window's language.

The linking job stores its reason as one English sentence
(services.linking.rule.Decision.reason and its SQL twin in rule_sql.py:
"ivan@x.ru is on client 12 (contact > client > lead)", with the tie's
"; 2 clients have it, the oldest was chosen: review"), linking by hand
"linked by hand by anna"; services.linking.manual.explain puts the card's
name (in “…”) in place of its id, requoted here in the window's quotes
(``ui.widgets.plain.quoted``: «Ромашка», and АО «Вектор» not “АО «Вектор»”).
The CLI prints that sentence; the Russian window
showed it in English, so the window words these few fixed shapes itself
and shows anything else as stored.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from ui.widgets.plain import quoted

_ON_CARD = re.compile(
    r"^(?P<value>.+?) is on (?P<kind>contact|client|lead) (?:“(?P<name>.*)”|(?P<card>\d+))"
    r" \(contact > client > lead\)"
    r"(?:; (?P<cards>\d+) (?:contact|client|lead)s have it, the oldest was chosen: review)?$"
)
_BY_HAND = re.compile(r"^(?P<what>linked|unlinked) by hand by (?P<login>.+)$")
_DEFAULT = "imported with mail sync: the address was on the card"


def _fill(template: str, *args: str) -> str:
    """%1, %2 in one pass: an address's own "%2" stays as it is."""
    return re.sub(r"%([1-9])", lambda m: args[int(m[1]) - 1], template)


def worded(reason: str) -> str:
    """The stored reason in the UI's language (as stored if unknown)."""
    if reason == _DEFAULT:
        return QCoreApplication.translate(
            "LinkReason", "Imported by mail sync: the address was on the card."
        )
    hand = _BY_HAND.match(reason)
    if hand is not None:
        template = (
            QCoreApplication.translate("LinkReason", "Linked by hand by %1")
            if hand["what"] == "linked"
            else QCoreApplication.translate("LinkReason", "Unlinked by hand by %1")
        )
        return _fill(template, hand["login"])
    found = _ON_CARD.match(reason)
    if found is None:
        return reason
    template = {
        "contact": QCoreApplication.translate(
            "LinkReason", "%1 is on contact person %2 (contact > client > lead)"
        ),
        "client": QCoreApplication.translate(
            "LinkReason", "%1 is on client %2 (contact > client > lead)"
        ),
        "lead": QCoreApplication.translate(
            "LinkReason", "%1 is on lead %2 (contact > client > lead)"
        ),
    }[found["kind"]]
    card = found["card"] if found["name"] is None else quoted(found["name"])
    text = _fill(template, found["value"], card)
    if found["cards"]:
        text += _fill(
            QCoreApplication.translate(
                "LinkReason", "; %1 cards have it, the oldest was chosen: review"
            ),
            found["cards"],
        )
    return text
