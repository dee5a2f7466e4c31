"""Names of the built-in pipeline and its stages in the interface language
(services.core.bootstrap seeds them in English: "Sales", "Qualification"…);
pipelines and stages users add show as they typed them. The board, the
deal dialog, a card's deals and an inbound rule all name them this way."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# marked for lupdate
BUILT_IN = (
    QT_TRANSLATE_NOOP("Stages", "Sales"),
    QT_TRANSLATE_NOOP("Stages", "Qualification"),
    QT_TRANSLATE_NOOP("Stages", "Proposal"),
    QT_TRANSLATE_NOOP("Stages", "Negotiation"),
    QT_TRANSLATE_NOOP("Stages", "Won"),
    QT_TRANSLATE_NOOP("Stages", "Lost"),
)


def shown(name: str) -> str:
    """A pipeline's or stage's name as the window shows it."""
    return QCoreApplication.translate("Stages", name)
