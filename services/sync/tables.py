"""The registry of what a replica syncs: one ``SyncKind`` per kind of record.

Identity crosses the wire as the ``uid`` (the ``code`` of an interaction
type; ``"<field uid>:<entity uid>"`` for a custom value, which has no uid of
its own), never as an integer id: ids are local to each database. A kind
lists the columns that sync; derived columns (``name_folded``,
``search_text``, ``start_utc``) never travel and are recomputed on arrival
the way the use cases compute them (``derive``), and ``id``,
``row_version``, ``updated_at``, ``sync_seq`` and per-machine columns
(``import_id``) stay local.

``encode`` turns a row into JSON-ready values (references as uids,
datetimes as ISO text, decimals as text); ``decode`` turns them back into
column values of this database. A reference to a uid this database does not
have is ``MissingReference``: the caller reports or retries it, nothing
crashes. ``direction`` "down" kinds (reference data) are only received.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, Numeric, select
from sqlalchemy.orm import Session

from models import (
    Client,
    Contact,
    ContactPoint,
    CustomField,
    CustomValue,
    Deal,
    EmailTemplate,
    Interaction,
    InteractionType,
    Lead,
    Memo,
    Note,
    Pipeline,
    Role,
    Stage,
    Task,
    User,
)
from models.base import UTCDateTime
from models.folding import fold
from services.core import timezones
from services.sync import merge

# The part of a custom value's uid between the field's uid and the entity's.
VALUE_UID_SEPARATOR = ":"
# A reference whose kind is the value of another column of the same row.
POLYMORPHIC = "@"


class MissingReference(LookupError):
    """A value names a record (by uid) that this database does not hold."""

    def __init__(self, kind: str, field: str, uid: str, target: str | None = None) -> None:
        super().__init__(f"{kind}.{field} names {uid!r}, which is not here")
        self.kind = kind
        self.field = field
        self.uid = uid
        self.target = target  # the kind it names, when known


def _interaction_derived(row: Any) -> None:
    row.start_utc = timezones.wall_to_utc(row.start_local, row.start_tz)
    row.search_text = fold(" ".join(x for x in (row.subject, row.body) if x))


def _note_derived(row: Any) -> None:
    row.search_text = fold(row.body or "")


@dataclasses.dataclass(frozen=True)
class SyncKind:
    kind: str
    model: type[Any]
    fields: tuple[str, ...]
    # column -> the kind it names; "@column": the kind is that column's value
    refs: Mapping[str, str]
    direction: str  # "both" or "down"
    key: str = "uid"  # the column that names the record everywhere
    # Recomputes derived columns from the synced ones (name_folded is the
    # models' own validator's job).
    derive: Callable[[Any], None] | None = None

    @property
    def groups(self) -> Mapping[str, str]:
        """Fields merged as one (merge.py): field -> group name."""
        return merge.GROUPS.get(self.kind, {})

    def merge_key(self, field: str) -> str:
        return merge.merge_key(self.kind, field)

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)


PARTY = {"client_id": "client", "lead_id": "lead"}
SCOPED = {**PARTY, "deal_id": "deal", "contact_id": "contact"}

_KINDS = (
    # Reference data first: the records below name them.
    SyncKind("role", Role, ("name", "permissions"), {}, "down"),
    SyncKind(
        "user",
        User,
        ("login", "full_name", "email", "role_id", "active", "department"),
        {"role_id": "role"},
        "down",
    ),
    SyncKind("pipeline", Pipeline, ("name", "requires_planned"), {}, "down"),
    SyncKind(
        "stage",
        Stage,
        ("pipeline_id", "name", "position", "outcome"),
        {"pipeline_id": "pipeline"},
        "down",
    ),
    SyncKind(
        "custom_field",
        CustomField,
        ("entity_kind", "code", "label", "label_ru", "value_type", "options", "position"),
        {},
        "down",
    ),
    SyncKind(
        "interaction_type",
        InteractionType,
        ("code", "name_en", "name_ru", "builtin", "position", "hidden"),
        {},
        "down",
        key="code",
    ),
    SyncKind(
        "email_template",
        EmailTemplate,
        ("name", "subject", "body", "ai", "author_id", "active", "created_at"),
        {"author_id": "user"},
        "both",
    ),
    SyncKind(
        "client",
        Client,
        ("name", "address", "region", "timezone", "owner_id", "archived_at", "created_at"),
        {"owner_id": "user"},
        "both",
    ),
    SyncKind(
        "lead",
        Lead,
        (
            "name",
            "company",
            "region",
            "timezone",
            "owner_id",
            "status",
            "archived_at",
            "created_at",
        ),
        {"owner_id": "user"},
        "both",
    ),
    SyncKind(
        "contact",
        Contact,
        ("full_name", "position", "client_id", "lead_id", "archived_at", "created_at"),
        PARTY,
        "both",
    ),
    SyncKind(
        "contact_point",
        ContactPoint,
        ("kind", "raw", "normalized", "label", "client_id", "lead_id", "contact_id", "created_at"),
        {**PARTY, "contact_id": "contact"},
        "both",
    ),
    SyncKind(
        "deal",
        Deal,
        (
            "title",
            "pipeline_id",
            "stage_id",
            "owner_id",
            "client_id",
            "lead_id",
            "amount",
            "currency",
            "active",
            "archived_at",
            "created_at",
        ),
        {**PARTY, "pipeline_id": "pipeline", "stage_id": "stage", "owner_id": "user"},
        "both",
    ),
    SyncKind(
        "interaction",
        Interaction,
        (
            "type",
            "direction",
            "state",
            "start_local",
            "start_tz",
            "duration_min",
            "owner_id",
            "client_id",
            "lead_id",
            "deal_id",
            "subject",
            "body",
            "source_kind",
            "source_key",
            "done_at",
            "cancelled_at",
            "created_by_id",
            "created_at",
        ),
        {
            **PARTY,
            "type": "interaction_type",
            "deal_id": "deal",
            "owner_id": "user",
            "created_by_id": "user",
        },
        "both",
        derive=_interaction_derived,
    ),
    SyncKind(
        "note",
        Note,
        ("author_id", "body", *SCOPED, "created_at"),
        {**SCOPED, "author_id": "user"},
        "both",
        derive=_note_derived,
    ),
    SyncKind(
        "task",
        Task,
        ("title", "deadline", "assignee_id", "author_id", "done", "done_at", *SCOPED, "created_at"),
        {**SCOPED, "assignee_id": "user", "author_id": "user"},
        "both",
    ),
    SyncKind(
        "memo",
        Memo,
        ("object_kind", "object_id", "body", "author_id", "created_at"),
        {"object_id": POLYMORPHIC + "object_kind", "author_id": "user"},
        "both",
    ),
    SyncKind(
        "custom_value",
        CustomValue,
        ("field_id", "entity_id", "value"),
        {"field_id": "custom_field", "entity_id": POLYMORPHIC + "entity_kind"},
        "both",
        key="",  # no column: "<field uid>:<entity uid>"
    ),
)

KINDS: dict[str, SyncKind] = {k.kind: k for k in _KINDS}
# In the order a batch applies them: whatever a record names comes first.
ORDER: tuple[str, ...] = tuple(k.kind for k in _KINDS)
BY_TABLE: dict[str, SyncKind] = {k.table: k for k in _KINDS}


def kind_of(kind: str) -> SyncKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(f"not a synced kind: {kind[:40]!r}") from None


def _session(uow_or_session: Any) -> Session:
    return uow_or_session if isinstance(uow_or_session, Session) else uow_or_session.session


class Translator:
    """uid <-> local id for one database, remembering what it looked up.

    One per batch or flush: uids never change, so the cache is only stale
    for a record deleted meanwhile, which the caller handles anyway.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._uids: dict[tuple[str, int], str] = {}
        self._ids: dict[tuple[str, str], int] = {}
        self._field_kinds: dict[int, str] = {}
        self._absent: set[tuple[str, str]] = set()
        self._codes: dict[str, bool] = {}

    def remember(self, kind: str, local_id: int, uid: str) -> None:
        self._uids[(kind, local_id)] = uid
        self._ids[(kind, uid)] = local_id
        self._absent.discard((kind, uid))

    def preload(self, kind: str, uids: Iterable[str]) -> None:
        """Look many uids up at once; those not here are remembered as absent."""
        if KINDS[kind].key != "uid":
            return
        model = KINDS[kind].model
        wanted = sorted({u for u in uids if (kind, u) not in self._ids})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = dict(
                (uid, local_id)
                for uid, local_id in self.session.execute(
                    select(model.uid, model.id).where(model.uid.in_(chunk))
                )
            )
            for uid in chunk:
                if uid in found:
                    self.remember(kind, found[uid], uid)
                else:
                    self._absent.add((kind, uid))

    def forget(self, kind: str, uid: str) -> None:
        local_id = self._ids.pop((kind, uid), None)
        if local_id is not None:
            self._uids.pop((kind, local_id), None)
        self._absent.add((kind, uid))

    def prefetch(self, kind: str, local_ids: Iterable[int]) -> None:
        """Look many ids up at once (a pulled batch names hundreds)."""
        if kind == "interaction_type":
            return
        model = KINDS[kind].model
        wanted = sorted({i for i in local_ids if (kind, i) not in self._uids})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for local_id, uid in self.session.execute(
                select(model.id, model.uid).where(model.id.in_(chunk))
            ):
                self.remember(kind, local_id, uid)

    def uid(self, kind: str, local_id: int) -> str | None:
        """The uid of a local record; None when there is no such record."""
        if kind == "interaction_type":
            return str(local_id)
        cached = self._uids.get((kind, local_id))
        if cached is None:
            model = KINDS[kind].model
            cached = self.session.scalar(select(model.uid).where(model.id == local_id))
            if cached is not None:
                self.remember(kind, local_id, cached)
        return cached

    def local_id(self, kind: str, uid: str) -> int | None:
        """The local id of a record named by uid; None when it is not here."""
        cached = self._ids.get((kind, uid))
        if cached is None and (kind, uid) not in self._absent:
            model = KINDS[kind].model
            cached = self.session.scalar(select(model.id).where(model.uid == uid))
            if cached is not None:
                self.remember(kind, cached, uid)
        return cached

    def code_exists(self, code: str) -> bool:
        if code not in self._codes:
            self._codes[code] = self.session.get(InteractionType, code) is not None
        return self._codes[code]

    def entity_kind(self, field_id: int) -> str:
        if field_id not in self._field_kinds:
            found = self.session.scalar(
                select(CustomField.entity_kind).where(CustomField.id == field_id)
            )
            if found is None:
                raise LookupError(f"custom field {field_id} is not here")
            self._field_kinds[field_id] = found
        return self._field_kinds[field_id]

    def record_uid(self, kind: str, row: Any) -> str | None:
        """The uid naming ``row`` (an ORM object or a column mapping)."""
        get = _getter(row)
        spec = KINDS[kind]
        if kind == "custom_value":
            field_uid = self.uid("custom_field", get("field_id"))
            entity_kind = self.entity_kind(get("field_id"))
            entity_uid = self.uid(entity_kind, get("entity_id"))
            if field_uid is None or entity_uid is None:
                return None
            return f"{field_uid}{VALUE_UID_SEPARATOR}{entity_uid}"
        value = get(spec.key)
        return None if value is None else str(value)


def _getter(row: Any) -> Callable[[str], Any]:
    if isinstance(row, Mapping):
        return row.__getitem__
    return lambda name: getattr(row, name)


def _ref_kind(spec: SyncKind, field: str, values: Callable[[str], Any], tr: Translator) -> str:
    target = spec.refs[field]
    if not target.startswith(POLYMORPHIC):
        return target
    if spec.kind == "custom_value":
        return tr.entity_kind(values("field_id"))
    return str(values(target[len(POLYMORPHIC) :]))


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode(
    uow_or_session: Any, kind: str, row: Any, tr: Translator | None = None
) -> dict[str, Any]:
    """The synced fields of ``row`` as JSON-ready values, references as uids.

    A reference to a record that is gone encodes as None.
    """
    spec = kind_of(kind)
    tr = tr or Translator(_session(uow_or_session))
    get = _getter(row)
    out: dict[str, Any] = {}
    for field in spec.fields:
        value = get(field)
        if field in spec.refs and value is not None:
            ref_kind = _ref_kind(spec, field, get, tr)
            value = tr.uid(ref_kind, value) if ref_kind in KINDS else None
        out[field] = _to_json(value)
    return out


def _from_json(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    if isinstance(column_type, Numeric):
        return Decimal(str(value))
    if isinstance(column_type, Boolean):
        return bool(value)
    if isinstance(column_type, Integer):
        return int(value)
    return value


def decode(
    uow_or_session: Any, kind: str, values: Mapping[str, Any], tr: Translator | None = None
) -> dict[str, Any]:
    """Column values of this database from encoded ``values`` (any subset of
    the kind's fields); unknown fields are ignored.

    Raises ``MissingReference`` for a uid that is not here.
    """
    spec = kind_of(kind)
    tr = tr or Translator(_session(uow_or_session))
    columns = spec.model.__table__.c
    out: dict[str, Any] = {}
    for field in spec.fields:
        if field not in values:
            continue
        value = values[field]
        if field in spec.refs and value is not None:
            ref_kind = _ref_kind_encoded(spec, field, values, tr)
            if ref_kind == "interaction_type":
                if not tr.code_exists(str(value)):
                    raise MissingReference(kind, field, str(value), ref_kind)
                out[field] = str(value)
                continue
            if ref_kind not in KINDS:
                raise MissingReference(kind, field, str(value))
            local = tr.local_id(ref_kind, str(value))
            if local is None:
                raise MissingReference(kind, field, str(value), ref_kind)
            out[field] = local
            continue
        out[field] = _from_json(columns[field].type, value)
    return out


def _ref_kind_encoded(spec: SyncKind, field: str, values: Mapping[str, Any], tr: Translator) -> str:
    """The kind a reference in encoded values names (field ids there are uids)."""
    target = spec.refs[field]
    if not target.startswith(POLYMORPHIC):
        return target
    if spec.kind == "custom_value":
        field_uid = values.get("field_id")
        field_id = tr.local_id("custom_field", str(field_uid)) if field_uid else None
        if field_id is None:
            raise MissingReference(spec.kind, "field_id", str(field_uid), "custom_field")
        return tr.entity_kind(field_id)
    return str(values.get(target[len(POLYMORPHIC) :]))


def find(tr: Translator, kind: str, uid: str) -> Any | None:
    """The local ORM row a uid names, or None."""
    spec = kind_of(kind)
    if kind == "interaction_type":
        return tr.session.get(InteractionType, uid)
    if kind == "custom_value":
        field_uid, _, entity_uid = uid.partition(VALUE_UID_SEPARATOR)
        field_id = tr.local_id("custom_field", field_uid)
        if field_id is None:
            return None
        entity_id = tr.local_id(tr.entity_kind(field_id), entity_uid)
        if entity_id is None:
            return None
        return tr.session.get(CustomValue, (field_id, entity_id))
    local = tr.local_id(kind, uid)
    return None if local is None else tr.session.get(spec.model, local)


def synced_kinds(direction: str | None = None) -> Iterable[SyncKind]:
    return (k for k in _KINDS if direction is None or k.direction == direction)
