"""Search hits from ``services.feed.search``, with what each one opens and,
for a client or lead, what tells it apart from a namesake
(``services.feed.search_known``: city, tax id, company, owner)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication

from services.core.access import Actor
from services.core.views import SearchHit
from services.feed import search
from services.feed.search_known import KnownBy, known_by
from ui.shell import formatting
from ui.widgets.work import Uow

LIMIT = 30


@dataclasses.dataclass(frozen=True)
class Hit:
    kind: str  # what was found
    id: int
    title: str
    detail: str
    open_kind: str  # the card that shows it
    open_id: int
    open_title: str
    known: KnownBy | None = None


def _card_of(hit: SearchHit) -> tuple[str, int, str] | None:
    if hit.kind in ("client", "lead", "contact", "deal"):
        return hit.kind, hit.id, hit.title
    party = hit.party_name or hit.title
    if hit.client_id is not None:
        return "client", hit.client_id, party
    if hit.lead_id is not None:
        return "lead", hit.lead_id, party
    if hit.deal_id is not None:
        return "deal", hit.deal_id, hit.title
    if hit.contact_id is not None:
        return "contact", hit.contact_id, party
    return None


def _detail(hit: SearchHit) -> str:
    parts = [hit.snippet] if hit.snippet else []
    if hit.kind not in ("client", "lead") and hit.party_name:
        parts.append(hit.party_name)
    if hit.at is not None:
        parts.append(formatting.date(hit.at))
    return " · ".join(parts)


def find(uow: Uow, actor: Actor, text: str) -> list[Hit]:
    hits = search.search(uow, actor, text, limit=LIMIT)
    known = known_by(uow, actor, ((hit.kind, hit.id) for hit in hits))
    found = []
    for hit in hits:
        card = _card_of(hit)
        if card is None:
            continue
        found.append(
            Hit(hit.kind, hit.id, hit.title, _detail(hit), *card, known.get((hit.kind, hit.id)))
        )
    return found


def known_text(known: KnownBy | None) -> str:
    """ "Москва · ИНН 7701234567 · отв. Куликов Артём": on the GUI thread."""
    if known is None:
        return ""
    parts = [known.city, known.company]
    if known.tax_id:
        parts.append(
            QCoreApplication.translate("SearchPopup", "Tax ID %1").replace("%1", known.tax_id)
        )
    if known.owner:
        parts.append(
            QCoreApplication.translate("SearchPopup", "owner %1").replace("%1", known.owner)
        )
    return " · ".join(part for part in parts if part)


def shown_detail(hit: Hit) -> str:
    """The hit's second column: what matched, then what tells it apart."""
    return " · ".join(part for part in (hit.detail, known_text(hit.known)) if part)
