"""The cards a task, a note or an attachment sits on.

Each names its client or lead, and maybe a deal or a contact person of it.
The views of all three carry the four ids; what a feed shows and where a
record was written are read from them the same way.
"""

from __future__ import annotations

SCOPE = ("client", "lead", "deal", "contact")  # the order the cards are listed in


class OnCards:
    """Mixed into a view (a frozen dataclass) that has the four ids."""

    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None

    @property
    def cards(self) -> list[tuple[str, int]]:
        """Every card whose feed or Attachments tab lists it."""
        ids = (self.client_id, self.lead_id, self.deal_id, self.contact_id)
        return [(kind, i) for kind, i in zip(SCOPE, ids, strict=True) if i is not None]

    @property
    def card(self) -> tuple[str, int]:
        """The card it was put on (a deal or contact person before its party)."""
        for kind, i in (
            ("deal", self.deal_id),
            ("contact", self.contact_id),
            ("client", self.client_id),
            ("lead", self.lead_id),
        ):
            if i is not None:
                return kind, i
        raise AssertionError("a record on a card names its client or lead")
