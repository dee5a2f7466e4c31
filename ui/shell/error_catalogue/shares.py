"""Words for errors of sharing a client or lead with a colleague."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "parties.shares.only_client_or_lead": (
        QT_TRANSLATE_NOOP("Errors", "Only a client or a lead can be shared"),
        (),
    ),
    "parties.shares.only_owner_shares": (
        QT_TRANSLATE_NOOP(
            "Errors", "This card belongs to another manager: only its owner shares it"
        ),
        (),
    ),
    "parties.shares.no_colleague": (
        QT_TRANSLATE_NOOP("Errors", "No active colleague %1"),
        ("login",),
    ),
    "parties.shares.owner_already": (
        QT_TRANSLATE_NOOP("Errors", "The owner sees the card already"),
        (),
    ),
}
