"""Cards of clients, leads, contact persons and deals."""

from ui.cards.card_widget import CardWidget

__all__ = ["CardWidget"]
