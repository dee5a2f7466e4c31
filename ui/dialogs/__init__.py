"""Modal dialogs: the interaction dialog, its next-step companion, compose.

Imported on first use (``from ui.dialogs import ComposeDialog`` works as
before): the compose dialog brings templates, AI drafting and the outbox,
which the main window does not need to paint its first list (issue #16).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.dialogs.compose_dialog import ComposeDialog
    from ui.dialogs.interaction_dialog import InteractionDialog, NextStepDialog

_HOMES = {
    "ComposeDialog": "ui.dialogs.compose_dialog",
    "InteractionDialog": "ui.dialogs.interaction_dialog",
    "NextStepDialog": "ui.dialogs.interaction_dialog",
}

__all__ = ["ComposeDialog", "InteractionDialog", "NextStepDialog"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
