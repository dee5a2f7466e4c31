"""uid <-> local id, and records to and from the wire (the registry is tables.py).

Identity crosses the wire as the ``uid`` (the ``code`` of an interaction
type; ``"<field uid>:<entity uid>"`` for a custom value), never as an
integer id. ``encode`` turns a row into JSON-ready values (references as
uids, datetimes as ISO text, decimals as text); ``decode`` turns them back
into column values of this database. A reference to a uid this database
does not have is ``MissingReference``: the caller reports or retries it,
nothing crashes. Import these through ``services.sync.tables``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, Numeric, select
from sqlalchemy.orm import Session

from models import CustomField, CustomValue, InteractionType
from models.base import UTCDateTime


class MissingReference(LookupError):
    """A value names a record (by uid) that this database does not hold."""

    def __init__(self, kind: str, field: str, uid: str, target: str | None = None) -> None:
        super().__init__(f"{kind}.{field} names {uid!r}, which is not here")
        self.kind = kind
        self.field = field
        self.uid = uid
        self.target = target  # the kind it names, when known


def _session(uow_or_session: Any) -> Session:
    return uow_or_session if isinstance(uow_or_session, Session) else uow_or_session.session


class _Found:
    """uid <-> id of the records found, both ways."""

    def __init__(self) -> None:
        self.uids: dict[tuple[str, int], str] = {}
        self.ids: dict[tuple[str, str], int] = {}


CARDS = ("client", "lead")


class Reference:
    """What the translators of one batch of pushed actions (one server
    transaction of seconds) found, shared by them: each action looked the
    same users, custom fields and clients up again, ~4,000 round trips of a
    mixed week's 2,000 actions (issue #16). Only what was found is shared;
    a uid not found is looked up again.

    The reference data (the "down" kinds: users, roles, custom fields,
    interaction types ...) is never written by a push: kept for the batch.
    A client or lead found stays so while no action could have handed a
    card over, removed one or changed who sees it: ``forget_cards`` (the
    caller's, around any such row and after an action refused)."""

    def __init__(self) -> None:
        self.down = _Found()
        self.cards = _Found()
        self.field_kinds: dict[int, str] = {}
        self.codes: dict[str, bool] = {}

    def forget_cards(self) -> None:
        self.cards = _Found()


class Translator:
    """uid <-> local id for one database, remembering what it looked up.

    One per batch or flush: uids never change, so the cache is only stale
    for a record deleted meanwhile, which the caller handles anyway.
    ``reference``: what other translators of the same batch found of the
    reference data, shared (``Reference``).
    """

    def __init__(self, session: Session, reference: Reference | None = None) -> None:
        self.session = session
        self._uids: dict[tuple[str, int], str] = {}
        self._ids: dict[tuple[str, str], int] = {}
        self._absent: set[tuple[str, str]] = set()
        self._ref = reference
        self._field_kinds: dict[int, str] = {} if reference is None else reference.field_kinds
        self._codes: dict[str, bool] = {} if reference is None else reference.codes

    @property
    def reference(self) -> Reference | None:
        return self._ref

    def _shared(self, kind: str) -> _Found | None:
        """The batch's found records of this kind, when it shares them."""
        if self._ref is None:
            return None
        if kind in CARDS:
            return self._ref.cards
        return self._ref.down if KINDS[kind].direction == "down" else None

    def remember(self, kind: str, local_id: int, uid: str) -> None:
        self._uids[(kind, local_id)] = uid
        self._ids[(kind, uid)] = local_id
        self._absent.discard((kind, uid))
        if (ref := self._shared(kind)) is not None:
            ref.uids[(kind, local_id)] = uid
            ref.ids[(kind, uid)] = local_id

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
        if (ref := self._shared(kind)) is not None:
            shared_id = ref.ids.pop((kind, uid), None)
            if shared_id is not None:
                ref.uids.pop((kind, shared_id), None)

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
        if cached is None and (ref := self._shared(kind)) is not None:
            cached = ref.uids.get((kind, local_id))
        if cached is None:
            model = KINDS[kind].model
            cached = self.session.scalar(select(model.uid).where(model.id == local_id))
            if cached is not None:
                self.remember(kind, local_id, cached)
        return cached

    def local_id(self, kind: str, uid: str) -> int | None:
        """The local id of a record named by uid; None when it is not here."""
        cached = self._ids.get((kind, uid))
        if cached is None and (ref := self._shared(kind)) is not None:
            cached = ref.ids.get((kind, uid))
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


# At the end: tables.py names this module's functions at its own end, so
# either module may be imported first.
from services.sync.tables import (  # noqa: E402
    KINDS,
    POLYMORPHIC,
    VALUE_UID_SEPARATOR,
    SyncKind,
    kind_of,
)
