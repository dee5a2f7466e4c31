"""Reaching the person on a card: the softphone command line, the mailto:
link and the compose dialog filled in from what the card shows.

Apart from the card so that these rules (which contact persons a letter
to an address is about, the deal it goes with) read as plain functions of
the card's data; the card only opens what they build.
"""

from __future__ import annotations

import shlex
from typing import Any

from PySide6.QtCore import QUrl, QUrlQuery

from services.feed.card import CardData
from ui.context import UiContext
from ui.dialogs.compose_dialog import ComposeDialog


def dial_parts(command: str, number: str) -> list[str]:
    """The softphone command line with ``{number}`` filled in (empty: none)."""
    return [part.replace("{number}", number) for part in shlex.split(command)]


def mailto_url(address: str, subject: str = "", body: str = "") -> QUrl:
    query = QUrlQuery()
    if subject:
        query.addQueryItem("subject", subject)
    if body:
        query.addQueryItem("body", body)
    url = QUrl(f"mailto:{address}")
    url.setQuery(query)
    return url


def compose_dialog(
    ctx: UiContext, data: CardData, address: str, *, subject: str, body: str, parent: Any
) -> ComposeDialog:
    """A letter to ``address`` from this card: about the card's contact
    person, or the ones who have that address; with the card's deal."""
    if data.contact is not None:
        contact_ids: tuple[int, ...] = (data.contact.id,)
    else:
        contact_ids = tuple(
            c.id for c in data.contacts if any(p.normalized == address for p in c.points)
        )
    return ComposeDialog(
        ctx,
        data.accounts,
        to=address,
        deal_id=data.deal.id if data.deal is not None else None,
        contact_ids=contact_ids,
        contacts=data.contacts,
        deals=(data.deal,) if data.deal is not None else (data.deals or ()),
        zone=data.display_zone,
        subject=subject,
        body=body,
        parent=parent,
        **data.party_ids(),
    )
