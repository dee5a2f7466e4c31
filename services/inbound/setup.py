"""Sources, their rules and the rejection reasons: what an administrator sets
up (the seed's "Расширенная настройка"). Each change is one unit of work,
checked before anything is written, and returns its ``Changes``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select

from models import (
    InboundRequest,
    InboundRoundRobin,
    InboundRule,
    InboundSource,
    MailAccount,
    Pipeline,
    RejectionReason,
    Role,
    Stage,
    User,
)
from models.base import utcnow
from models.inbound import ASSIGN_MODES, RULE_ACTIONS, SOURCE_KINDS
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database, UnitOfWork
from services.inbound import conditions
from services.inbound.views import RuleView, SourceView
from services.parties import records

FIELDS = ("name", "phone", "email", "message", "subject")
MAX_QUEUE = 100


@dataclasses.dataclass(frozen=True)
class RuleInput:
    name: str
    keywords: str = ""
    whole_word: bool = False
    is_default: bool = False
    known_to_owner: bool = True
    assign_mode: str = "round_robin"
    role_id: int | None = None
    user_id: int | None = None
    queue_user_ids: tuple[int, ...] = ()
    action: str = "none"
    pipeline_id: int | None = None
    stage_id: int | None = None
    deal_owner_id: int | None = None
    rejection_reason_id: int | None = None
    active: bool = True


def _source_view(uow: UnitOfWork, s: InboundSource) -> SourceView:
    rules = uow.session.scalar(
        select(func.count()).select_from(InboundRule).where(InboundRule.source_id == s.id)
    )
    return SourceView(
        id=s.id,
        kind=s.kind,
        name=s.name,
        process_requests=s.process_requests,
        mail_account_id=s.mail_account_id,
        folder=s.folder,
        field_mapping=dict(s.field_mapping) if s.field_mapping else None,
        api_base=s.api_base,
        poll_minutes=s.poll_minutes,
        last_poll_at=s.last_poll_at,
        last_error=s.last_error,
        rules=int(rules or 0),
    )


def rule_view(uow: UnitOfWork, r: InboundRule) -> RuleView:
    position = uow.session.scalar(
        select(InboundRoundRobin.position).where(InboundRoundRobin.rule_id == r.id)
    )
    return RuleView(
        id=r.id,
        source_id=r.source_id,
        name=r.name,
        position=r.position,
        active=r.active,
        is_default=r.is_default,
        keywords=r.keywords,
        whole_word=r.whole_word,
        known_to_owner=r.known_to_owner,
        assign_mode=r.assign_mode,
        role_id=r.role_id,
        user_id=r.user_id,
        queue_user_ids=tuple(r.queue_user_ids or ()),
        action=r.action,
        pipeline_id=r.pipeline_id,
        stage_id=r.stage_id,
        deal_owner_id=r.deal_owner_id,
        rejection_reason_id=r.rejection_reason_id,
        queue_position=int(position or 0),
    )


def list_sources(db: Database, actor: Actor) -> list[SourceView]:
    actor.require(Permission.SETTINGS)
    with db.reader(actor.id) as uow:
        rows = uow.session.scalars(
            select(InboundSource)
            .where(InboundSource.archived_at.is_(None))
            .order_by(InboundSource.id)
        )
        return [_source_view(uow, s) for s in rows]


def _check_mapping(mapping: Mapping[str, str] | None) -> dict[str, str] | None:
    if not mapping:
        return None
    out: dict[str, str] = {}
    for key, label in mapping.items():
        if key not in FIELDS:
            raise ValidationError(
                f"Unknown form field {key!r}; use {', '.join(FIELDS)}",
                "mapping",
                code="inbound.setup.unknown_form_field",
                params={"key": str(key), "allowed": ", ".join(FIELDS)},
            )
        text = " ".join(str(label).split())[:200]
        if text:
            out[key] = text
    return out or None


def _source_fields(
    uow: UnitOfWork,
    kind: str,
    mail_account_id: int | None,
    folder: str | None,
    api_base: str | None,
    poll_minutes: int,
) -> None:
    if kind not in SOURCE_KINDS:
        raise ValidationError(
            f"A source is {', '.join(SOURCE_KINDS)}, not {kind!r}",
            "kind",
            code="inbound.setup.source_kind",
            params={"allowed": ", ".join(SOURCE_KINDS), "value": kind},
        )
    if kind in ("mail_account", "web_form"):
        if mail_account_id is None or uow.session.get(MailAccount, mail_account_id) is None:
            raise ValidationError(
                "A mail source needs an existing mail account",
                "account",
                code="inbound.setup.needs_mail_account",
            )
        if folder is not None and not folder.strip():
            raise ValidationError(
                "The folder must not be empty", "folder", code="inbound.setup.folder_empty"
            )
    if api_base is not None and not api_base.startswith(
        ("https://", "http://127.", "http://[::1]")
    ):
        raise ValidationError(
            "The Bot API address must be https:// (or a loopback test server)",
            code="inbound.setup.bot_api_https",
        )
    if not 1 <= poll_minutes <= 24 * 60:
        raise ValidationError(
            "Poll every 1 to 1440 minutes", "poll_minutes", code="inbound.setup.poll_minutes"
        )


def add_source(
    db: Database,
    actor: Actor,
    kind: str,
    name: str,
    *,
    mail_account_id: int | None = None,
    folder: str | None = None,
    process_requests: bool = True,
    field_mapping: Mapping[str, str] | None = None,
    api_base: str | None = None,
    poll_minutes: int = 5,
) -> Outcome[SourceView]:
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        _source_fields(uow, kind, mail_account_id, folder, api_base, poll_minutes)
        title = _free_name(uow, name, None)
        source = InboundSource(
            kind=kind,
            name=title,
            process_requests=process_requests,
            mail_account_id=mail_account_id,
            folder=(folder or "INBOX").strip(),
            field_mapping=_check_mapping(field_mapping),
            api_base=api_base,
            poll_minutes=poll_minutes,
            last_uid=0,
        )
        uow.session.add(source)
        uow.session.flush()
        view = _source_view(uow, source)
        uow.commit()
    return Outcome(view, Changes.of(created={"inbound_source": [view.id]}))


def set_source(
    db: Database,
    actor: Actor,
    source_id: int,
    *,
    process_requests: bool | None = None,
    field_mapping: Mapping[str, str] | None = None,
    poll_minutes: int | None = None,
    name: str | None = None,
) -> Outcome[SourceView]:
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is None or source.archived_at is not None:
            raise NotFoundError("Source", source_id)
        if process_requests is not None:
            source.process_requests = process_requests
        if field_mapping is not None:
            source.field_mapping = _check_mapping(field_mapping)
        if poll_minutes is not None:
            _source_fields(
                uow, source.kind, source.mail_account_id, None, source.api_base, poll_minutes
            )
            source.poll_minutes = poll_minutes
        if name is not None:
            source.name = _free_name(uow, name, source.id)
        uow.session.flush()
        view = _source_view(uow, source)
        uow.commit()
    return Outcome(view, Changes.of(updated={"inbound_source": [source_id]}))


def _free_name(uow: UnitOfWork, name: str, keep: int | None) -> str:
    """The typed name, refused while an active source has it (a removed
    source's name is free again: unique among active ones, migration 0030)."""
    title = records.typed_name(name, "Source name")
    taken = uow.session.scalar(
        select(InboundSource.id).where(
            InboundSource.name == title, InboundSource.archived_at.is_(None)
        )
    )
    if taken is not None and taken != keep:
        raise ValidationError(
            f"A source named {title!r} exists already",
            "name",
            code="inbound.setup.source_name_taken",
            params={"name": title},
        )
    return title


def remove_source(db: Database, actor: Actor, source_id: int) -> Outcome[SourceView]:
    """Archive a source: it is never polled again and leaves the lists, but
    its requests (and what they became) stay and still name it; a removal
    that deleted them would lose the history of every deal they made."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is None or source.archived_at is not None:
            raise NotFoundError("Source", source_id)
        source.archived_at = utcnow()
        source.process_requests = False
        uow.session.flush()
        view = _source_view(uow, source)
        uow.commit()
    return Outcome(view, Changes.of(removed={"inbound_source": [source_id]}))


def list_removed_sources(db: Database, actor: Actor) -> list[SourceView]:
    """Removed sources, newest removal first: Settings → Sources & rules
    offers them back."""
    actor.require(Permission.SETTINGS)
    with db.reader(actor.id) as uow:
        rows = uow.session.scalars(
            select(InboundSource)
            .where(InboundSource.archived_at.is_not(None))
            .order_by(InboundSource.archived_at.desc(), InboundSource.id.desc())
            .limit(500)
        )
        return [_source_view(uow, s) for s in rows]


def restore_source(db: Database, actor: Actor, source_id: int) -> Outcome[SourceView]:
    """A removed source back in the list with its rules, not processing:
    the administrator turns processing on when it should poll again.
    Refused while a source made since holds its name."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is None or source.archived_at is None:
            raise NotFoundError("Source", source_id)
        _free_name(uow, source.name, source.id)
        source.archived_at = None
        uow.session.flush()
        view = _source_view(uow, source)
        uow.commit()
    return Outcome(view, Changes.of(created={"inbound_source": [source_id]}))


def _check_rule(uow: UnitOfWork, rule: RuleInput) -> None:
    session = uow.session
    if rule.assign_mode not in ASSIGN_MODES:
        raise ValidationError(
            f"Assign to {', '.join(ASSIGN_MODES)}, not {rule.assign_mode!r}",
            code="inbound.rules.assign_mode",
            params={"allowed": ", ".join(ASSIGN_MODES), "value": str(rule.assign_mode)},
        )
    if rule.action not in RULE_ACTIONS:
        raise ValidationError(
            f"The action is {', '.join(RULE_ACTIONS)}, not {rule.action!r}",
            code="inbound.rules.action",
            params={"allowed": ", ".join(RULE_ACTIONS), "value": str(rule.action)},
        )
    if not rule.is_default and not conditions.keywords(rule.keywords):
        raise ValidationError(
            "A rule needs keywords (separated by ';') or to be the default",
            code="inbound.rules.needs_keywords",
        )
    if rule.assign_mode == "role" and (
        rule.role_id is None or session.get(Role, rule.role_id) is None
    ):
        raise ValidationError(
            "Assigning to a role needs an existing role", "role", code="inbound.rules.needs_role"
        )
    if rule.assign_mode == "round_robin" and not rule.queue_user_ids:
        raise ValidationError(
            "A round-robin queue needs at least one user",
            "queue",
            code="inbound.rules.queue_empty",
        )
    if len(rule.queue_user_ids) > MAX_QUEUE:
        raise ValidationError(
            f"A queue holds at most {MAX_QUEUE} users",
            "queue",
            code="inbound.rules.queue_too_long",
            params={"max_queue": str(MAX_QUEUE)},
        )
    if rule.assign_mode == "user" and rule.user_id is None:
        raise ValidationError(
            "Assigning to a user needs the user", "user", code="inbound.rules.needs_user"
        )
    users = {*rule.queue_user_ids, rule.user_id, rule.deal_owner_id} - {None}
    known = set(session.scalars(select(User.id).where(User.id.in_(users)))) if users else set()
    if users - known:
        missing = min(users - known)  # type: ignore[type-var]
        raise ValidationError(
            f"No user with id {missing}",
            "user",
            code="inbound.rules.no_such_user",
            params={"id": str(missing)},
        )
    if rule.action == "deal":
        pipeline_id = rule.pipeline_id
        if pipeline_id is not None and session.get(Pipeline, pipeline_id) is None:
            raise NotFoundError("Pipeline", pipeline_id)
        if rule.stage_id is not None:
            stage = session.get(Stage, rule.stage_id)
            if stage is None or (pipeline_id is not None and stage.pipeline_id != pipeline_id):
                raise ValidationError(
                    "The stage is not in the rule's pipeline",
                    "stage",
                    code="inbound.rules.stage_not_in_pipeline",
                )
    if rule.action == "reject" and (
        rule.rejection_reason_id is None
        or session.get(RejectionReason, rule.rejection_reason_id) is None
    ):
        raise ValidationError(
            "Rejecting needs a reason from the list",
            "reason",
            code="inbound.rules.needs_rejection_reason",
        )


def _apply(row: InboundRule, rule: RuleInput) -> None:
    row.name = records.typed_name(rule.name, "Rule name")
    row.keywords = "; ".join(part.strip() for part in rule.keywords.split(";") if part.strip())
    row.whole_word = rule.whole_word
    row.is_default = rule.is_default
    row.known_to_owner = rule.known_to_owner
    row.assign_mode = rule.assign_mode
    row.role_id = rule.role_id
    row.user_id = rule.user_id
    row.queue_user_ids = [int(u) for u in rule.queue_user_ids]
    row.action = rule.action
    row.pipeline_id = rule.pipeline_id
    row.stage_id = rule.stage_id
    row.deal_owner_id = rule.deal_owner_id
    row.rejection_reason_id = rule.rejection_reason_id
    row.active = rule.active


def add_rule(db: Database, actor: Actor, source_id: int, rule: RuleInput) -> Outcome[RuleView]:
    """A rule at the end of the source's list (the default rule applies last anyway)."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        if uow.session.get(InboundSource, source_id) is None:
            raise NotFoundError("Source", source_id)
        _check_rule(uow, rule)
        last = uow.session.scalar(
            select(func.max(InboundRule.position)).where(InboundRule.source_id == source_id)
        )
        row = InboundRule(source_id=source_id, position=(last or 0) + 10)
        _apply(row, rule)
        uow.session.add(row)
        uow.session.flush()
        view = rule_view(uow, row)
        uow.commit()
    return Outcome(view, Changes.of(created={"inbound_rule": [view.id]}))


def set_rule(db: Database, actor: Actor, rule_id: int, rule: RuleInput) -> Outcome[RuleView]:
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        row = uow.session.get(InboundRule, rule_id)
        if row is None:
            raise NotFoundError("Rule", rule_id)
        _check_rule(uow, rule)
        _apply(row, rule)
        uow.session.flush()
        view = rule_view(uow, row)
        uow.commit()
    return Outcome(view, Changes.of(updated={"inbound_rule": [rule_id]}))


def move_rule(db: Database, actor: Actor, rule_id: int, before: int | None) -> Outcome[RuleView]:
    """Put the rule before another of its source (``before`` None: last)."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        row = uow.session.get(InboundRule, rule_id)
        if row is None:
            raise NotFoundError("Rule", rule_id)
        ordered = [
            r
            for r in uow.session.scalars(
                select(InboundRule)
                .where(InboundRule.source_id == row.source_id)
                .order_by(InboundRule.position, InboundRule.id)
            )
            if r.id != rule_id
        ]
        index = next((i for i, r in enumerate(ordered) if r.id == before), len(ordered))
        ordered.insert(index, row)
        for i, r in enumerate(ordered):
            if r.position != (i + 1) * 10:
                r.position = (i + 1) * 10
        uow.session.flush()
        view = rule_view(uow, row)
        uow.commit()
    return Outcome(view, Changes.of(updated={"inbound_rule": [r.id for r in ordered]}))


def remove_rule(db: Database, actor: Actor, rule_id: int) -> Outcome[int]:
    """Requests it routed keep their why (the rule's name is in it)."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        row = uow.session.get(InboundRule, rule_id)
        if row is None:
            raise NotFoundError("Rule", rule_id)
        uow.session.delete(row)
        uow.commit()
    return Outcome(rule_id, Changes.of(removed={"inbound_rule": [rule_id]}))


def list_rules(db: Database, actor: Actor, source_id: int | None = None) -> list[RuleView]:
    actor.require(Permission.SETTINGS)
    with db.reader(actor.id) as uow:
        query = select(InboundRule).order_by(
            InboundRule.source_id, InboundRule.position, InboundRule.id
        )
        if source_id is not None:
            query = query.where(InboundRule.source_id == source_id)
        return [rule_view(uow, r) for r in uow.session.scalars(query)]


def requests_of_source(uow: UnitOfWork, source_id: int, last: int) -> Sequence[InboundRequest]:
    """The source's last ``last`` requests, newest first (the dry run's sample)."""
    return list(
        uow.session.scalars(
            select(InboundRequest)
            .where(InboundRequest.source_id == source_id)
            .order_by(InboundRequest.received_at.desc(), InboundRequest.id.desc())
            .limit(max(1, min(last, 1000)))
        )
    )
