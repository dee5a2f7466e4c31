"""The domain model: SQLAlchemy 2 declarative classes, no rules, no Qt.

Asking this package for a class (``from models import Client``,
``models.Base``) imports every model module, so every table is on
``Base.metadata``. Importing a module of it (``models.folding``,
``models.light``) imports only that module: a CLI call that reads with
Core statements never pays for the declarative mapping (issue #16). Mappers
are configured only after every model module is imported
(``models.base``'s ``before_configured`` hook), whichever came first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.audit import AuditEntry
    from models.base import Base
    from models.calendar import CalendarDay
    from models.calls import AddressDecision, CallRecord
    from models.custom_fields import CustomField, CustomValue, Setting
    from models.deals import Deal, Pipeline, Stage
    from models.imports import ImportRun
    from models.inbound import (
        InboundOriginal,
        InboundRequest,
        InboundRoundRobin,
        InboundRule,
        InboundSource,
        RejectionReason,
        SupportTicket,
    )
    from models.interactions import Interaction, InteractionType, interaction_contacts
    from models.jobs import ScheduledJob
    from models.mail import (
        MailAccount,
        MailAddress,
        MailFolder,
        MailLocation,
        MailMessage,
        OutboxItem,
    )
    from models.notes import Attachment, Memo, Note, Task, note_mentions
    from models.parties import Client, Contact, ContactPoint, Lead, PartyShare
    from models.people import Deputy, Role, User
    from models.scenarios import Scenario, ScenarioRun, ScenarioRunStep, ScenarioStep
    from models.sync import (
        SyncApplied,
        SyncClock,
        SyncConflict,
        SyncLog,
        SyncState,
        SyncTombstone,
    )
    from models.templates import AiDraftRequest as AiDraftRequest
    from models.templates import EmailTemplate as EmailTemplate

# Re-exported like the names of __all__ (``from models import EmailTemplate``).
_ALSO_EXPORTED = ("AiDraftRequest", "EmailTemplate")

MODULES = (
    "audit",
    "base",
    "calendar",
    "calls",
    "custom_fields",
    "deals",
    "imports",
    "inbound",
    "interactions",
    "jobs",
    "mail",
    "notes",
    "parties",
    "people",
    "scenarios",
    "sync",
    "templates",
)


def load_all() -> None:
    """Import every model module (each import after the first is a lookup)."""
    for name in MODULES:
        importlib.import_module(f"models.{name}")


def __getattr__(name: str) -> Any:
    if name not in __all__ and name not in _ALSO_EXPORTED:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    load_all()
    for module_name in MODULES:
        module = importlib.import_module(f"models.{module_name}")
        if name in vars(module):
            value = vars(module)[name]
            globals()[name] = value
            return value
    raise AttributeError(f"module 'models' has no attribute {name!r}")


__all__ = [
    "AddressDecision",
    "Attachment",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "CallRecord",
    "Client",
    "Contact",
    "ContactPoint",
    "CustomField",
    "CustomValue",
    "Deal",
    "Deputy",
    "ImportRun",
    "InboundOriginal",
    "InboundRequest",
    "InboundRoundRobin",
    "InboundRule",
    "InboundSource",
    "Interaction",
    "InteractionType",
    "Lead",
    "MailAccount",
    "MailAddress",
    "MailFolder",
    "MailLocation",
    "MailMessage",
    "Memo",
    "Note",
    "OutboxItem",
    "PartyShare",
    "Pipeline",
    "RejectionReason",
    "Role",
    "Scenario",
    "ScenarioRun",
    "ScenarioRunStep",
    "ScenarioStep",
    "ScheduledJob",
    "Setting",
    "Stage",
    "SupportTicket",
    "SyncApplied",
    "SyncClock",
    "SyncConflict",
    "SyncLog",
    "SyncState",
    "SyncTombstone",
    "Task",
    "User",
    "interaction_contacts",
    "note_mentions",
]
