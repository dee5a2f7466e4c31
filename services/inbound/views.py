"""Frozen views of requests, sources, rules and tickets for the window and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any


@dataclasses.dataclass(frozen=True)
class RequestView:
    id: int
    source_id: int
    source: str
    channel: str
    sender_name: str
    sender_email: str | None
    sender_phone: str | None
    sender_handle: str | None
    subject: str
    body: str  # the whole bounded body in ``get``; the first line or so in lists
    received_at: dt.datetime
    state: str  # new | assigned | converted | rejected
    owner_id: int | None
    owner: str | None  # the owner's full name
    role_id: int | None
    role: str | None
    client_id: int | None
    lead_id: int | None
    contact_id: int | None
    deal_id: int | None
    ticket_id: int | None
    ticket_number: int | None
    rule_id: int | None
    rule: str | None
    why: dict[str, Any]  # what the rule did and why (see processing.why_of)
    outcome: str | None  # deal_created | deal_attached | deal_linked | ticket_created | ...
    created_lead: bool
    rejection_reason_id: int | None
    rejection_reason: str | None
    rejection_note: str | None
    mark: str | None  # auto_reply | bounce | list
    processed: bool
    row_version: int


@dataclasses.dataclass(frozen=True)
class OriginalView:
    request_id: int
    content_type: str  # message/rfc822 | application/json
    data: bytes
    size: int
    truncated: bool


@dataclasses.dataclass(frozen=True)
class SourceView:
    id: int
    kind: str  # mail_account | web_form | telegram
    name: str
    process_requests: bool
    mail_account_id: int | None
    folder: str
    field_mapping: dict[str, str] | None
    api_base: str | None
    poll_minutes: int
    last_poll_at: dt.datetime | None
    last_error: str | None
    rules: int


@dataclasses.dataclass(frozen=True)
class RuleView:
    id: int
    source_id: int
    name: str
    position: int
    active: bool
    is_default: bool
    keywords: str
    whole_word: bool
    known_to_owner: bool
    assign_mode: str  # client_owner | role | round_robin | user
    role_id: int | None
    user_id: int | None
    queue_user_ids: tuple[int, ...]
    action: str  # deal | ticket | reject | none
    pipeline_id: int | None
    stage_id: int | None
    deal_owner_id: int | None
    rejection_reason_id: int | None
    queue_position: int


@dataclasses.dataclass(frozen=True)
class ReasonView:
    id: int
    name_en: str
    name_ru: str
    position: int
    hidden: bool


@dataclasses.dataclass(frozen=True)
class TicketView:
    id: int
    number: int
    subject: str
    body: str
    state: str  # open | in_progress | closed
    owner_id: int | None
    owner: str | None
    client_id: int | None
    lead_id: int | None
    contact_id: int | None
    request_id: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class DryRunRow:
    """One earlier request replayed: what the rules would do now, next to
    what happened when it arrived."""

    request_id: int
    subject: str
    sender: str
    would_rule: str | None
    would_matched: tuple[str, ...]
    would_owner_id: int | None
    would_owner: str | None
    would_role: str | None
    would_effect: str  # deal_created | deal_attached | ticket_created | rejected | waiting | none
    would_new_lead: bool
    did_rule: str | None
    did_owner_id: int | None
    did_owner: str | None
    did_effect: str | None
    same: bool
