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
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Table

from models import (
    Attachment,
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
    interaction_contacts,
    note_mentions,
)
from models.folding import fold
from services.core import timezones
from services.sync import merge, scenario_kinds

# The part of a custom value's uid between the field's uid and the entity's.
VALUE_UID_SEPARATOR = ":"
# A reference whose kind is the value of another column of the same row.
POLYMORPHIC = "@"


def _interaction_derived(row: Any) -> None:
    row.start_utc = timezones.wall_to_utc(row.start_local, row.start_tz)
    row.search_text = fold(" ".join(x for x in (row.subject, row.body) if x))


def _note_derived(row: Any) -> None:
    row.search_text = fold(row.body or "")


def _attachment_derived(row: Any) -> None:
    """``path`` is per machine: where this data folder keeps the file with
    that hash (a hash that is not one names no file at all); the name is
    cleaned as the attachments use case cleans it (it came from elsewhere)."""
    from services.interactions.attachment_blobs import relative_path, valid_digest
    from services.interactions.attachments import clean_filename

    row.filename = clean_filename(row.filename or "")
    row.path = relative_path(row.sha256) if valid_digest(row.sha256) else "attachments/invalid"


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
        "attachment",
        Attachment,
        (
            "filename",
            "mime_type",
            "size",
            "sha256",
            "interaction_id",
            *SCOPED,
            "created_at",
        ),
        {**SCOPED, "interaction_id": "interaction"},
        "both",
        derive=_attachment_derived,
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
    # Scenarios come down, their runs go both ways (services/sync/scenario_kinds.py).
    *(SyncKind(*spec) for spec in scenario_kinds.SPECS),
)

KINDS: dict[str, SyncKind] = {k.kind: k for k in _KINDS}
# In the order a batch applies them: whatever a record names comes first.
ORDER: tuple[str, ...] = tuple(k.kind for k in _KINDS)
BY_TABLE: dict[str, SyncKind] = {k.table: k for k in _KINDS}


@dataclasses.dataclass(frozen=True)
class LinkKind:
    """A row that only joins two records (no uid, no fields of its own): it
    is created or removed, never edited. Its uid is ``"<owner uid>:<other
    uid>"``; the owner is the record whose access decides (services/sync/links.py)."""

    kind: str
    table: Table
    owner: str  # the column naming the record the link belongs to
    owner_kind: str
    other: str  # the column naming the record it links to
    other_kind: str


_LINKS = (
    LinkKind(
        "interaction_contact",
        interaction_contacts,
        "interaction_id",
        "interaction",
        "contact_id",
        "contact",
    ),
    LinkKind("note_mention", note_mentions, "note_id", "note", "user_id", "user"),
)
LINKS: dict[str, LinkKind] = {k.kind: k for k in _LINKS}


def kind_of(kind: str) -> SyncKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(f"not a synced kind: {kind[:40]!r}") from None


def synced_kinds(direction: str | None = None) -> Iterable[SyncKind]:
    return (k for k in _KINDS if direction is None or k.direction == direction)


# The uid <-> id translation and the wire encoding live in codec.py; they are
# named here too, where every caller has always found them.
from services.sync.codec import (  # noqa: E402
    CARDS as CARDS,
)
from services.sync.codec import (  # noqa: E402
    MissingReference as MissingReference,
)
from services.sync.codec import (  # noqa: E402
    Reference as Reference,
)
from services.sync.codec import (  # noqa: E402
    Translator as Translator,
)
from services.sync.codec import (  # noqa: E402
    decode as decode,
)
from services.sync.codec import (  # noqa: E402
    encode as encode,
)
from services.sync.codec import (  # noqa: E402
    find as find,
)
