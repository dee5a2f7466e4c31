"""The domain model: SQLAlchemy 2 declarative classes, no rules, no Qt.

Importing this package registers every table on ``Base.metadata``.
"""

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
