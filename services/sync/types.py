"""What the replica sync hands to the CLI and the window: frozen views.

Plain data, no ORM objects and no Qt (docs/offline-sync.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class ReplicaStatus:
    """Where this database stands: a replica or not, and what waits."""

    is_replica: bool
    server_url: str | None  # never with a password in it
    login: str | None
    online: bool | None  # None: not asked (status does not touch the network)
    last_sync_at: dt.datetime | None
    pending: int  # changed fields not yet pushed
    refused: int  # changes the server refused
    conflicts: int  # unresolved conflicts
    node: str | None  # this replica's clock node id


@dataclasses.dataclass(frozen=True)
class Refusal:
    """One pushed action the server refused, and why."""

    op_uid: str
    kind: str
    uid: str
    label: str  # the record as a person names it ("ООО Ромашка")
    reason: str  # the server's English sentence (the CLI's and the log's)
    # The error's code and params: the window words the refusal in its own
    # language (ui/shell/error_catalogue). "" for refusals stored before 0033.
    code: str = ""
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    # Params as the laptop names them: a server's record id ("record_id":
    # "4711") as the record's name here ("ООО «Ромашка»"); the window words
    # the sentence with these in place of the raw params.
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    # The card the record belongs to on this laptop (services/sync/record_cards):
    # the conflict list opens it; None when the record is gone
    card_kind: str | None = None  # client | lead | deal
    card_id: int | None = None


@dataclasses.dataclass(frozen=True)
class SyncReport:
    pushed: int
    refused: tuple[Refusal, ...]
    pulled: int
    conflicts: int
    clamped: bool  # the laptop's clock was too far ahead and was not trusted
    duration_s: float


@dataclasses.dataclass(frozen=True)
class ConflictView:
    """Both sides changed one field: what each wrote, who, and when."""

    id: int
    kind: str
    uid: str
    label: str
    field: str
    mine: str | None
    theirs: str | None
    mine_user: str | None
    theirs_user: str | None
    mine_at: dt.datetime
    theirs_at: dt.datetime
    card_kind: str | None = None  # the record's card, as Refusal's
    card_id: int | None = None
