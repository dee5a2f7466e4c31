"""Modal dialogs: the interaction dialog, its next-step companion, compose."""

from ui.dialogs.compose_dialog import ComposeDialog
from ui.dialogs.interaction_dialog import InteractionDialog, NextStepDialog

__all__ = ["ComposeDialog", "InteractionDialog", "NextStepDialog"]
