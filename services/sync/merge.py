"""Merging field writes from a laptop replica and the team server.

Pure rules, no database: the push and pull code (to come, see
docs/offline-sync.md) store what these functions decide. Every copy applies
the same comparison to the same clocks, so all copies converge whatever the
order of syncs:

- per field, the write with the greater clock wins;
- a write that was made without seeing the field's current value (its
  ``base`` is not the current clock) and that carries another value is a
  conflict: the winner is still decided by the clock, and the conflict is
  kept for the user to resolve on the card;
- a field group (an interaction's outcome, a deal's stage) is one field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from services.sync.clock import Hlc

# The card a record belongs to: exactly one of these columns is set (the
# tables' CHECK constraints), so a record moved from a lead to a client (a
# converted lead) changes both at once or not at all.
PARTY = {"client_id": "party", "lead_id": "party"}

# Fields that only make sense together: merged as one value.
GROUPS: dict[str, dict[str, str]] = {
    "contact": PARTY,
    "note": PARTY,
    "task": PARTY,
    "attachment": PARTY,
    "contact_point": {**PARTY, "contact_id": "party"},
    "interaction": {
        **PARTY,
        "state": "outcome",
        "completed_at": "outcome",
        "result": "outcome",
        "cancel_reason": "outcome",
        # The columns the interactions table has for the outcome (#20).
        "done_at": "outcome",
        "cancelled_at": "outcome",
    },
    "deal": {"pipeline_id": "stage", "stage_id": "stage", **PARTY},
    # A memo moves to another card (a converted lead's memos go to the
    # client): the card's kind and id only make sense together.
    "memo": {"object_kind": "object", "object_id": "object"},
    # A run's outcome and a run step's state with its reason (#20): a run
    # cancelled on the server stays cancelled with its reason and time, or
    # the laptop's later outcome wins whole.
    "scenario_run": {"state": "outcome", "stop_reason": "outcome", "stopped_at": "outcome"},
    "scenario_run_step": {"state": "outcome", "last_error": "outcome"},
}


def merge_key(kind: str, field: str) -> str:
    """The unit a field is merged in: its group's name, or the field."""
    return GROUPS.get(kind, {}).get(field, field)


@dataclasses.dataclass(frozen=True)
class Write:
    """One field (or group) of one record, as written on one node."""

    kind: str
    uid: str
    field: str
    value: Any
    hlc: Hlc
    # The field's clock as the writer knew it when it wrote: None for a
    # field it had never seen written.
    base: Hlc | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.uid, merge_key(self.kind, self.field))


@dataclasses.dataclass(frozen=True)
class Stored:
    value: Any
    hlc: Hlc


@dataclasses.dataclass(frozen=True)
class Conflict:
    """Both sides changed one field: kept for the user, never resolved silently."""

    kind: str
    uid: str
    field: str
    kept: Any  # the value that won by the clock
    kept_hlc: Hlc
    other: Any
    other_hlc: Hlc


@dataclasses.dataclass(frozen=True)
class Applied:
    stored: Stored  # what the field holds now
    changed: bool
    conflict: Conflict | None


def apply(current: Stored | None, write: Write) -> Applied:
    """The server's decision on one pushed write."""
    if current is None:
        return Applied(Stored(write.value, write.hlc), True, None)
    concurrent = write.base != current.hlc and write.value != current.value
    wins = write.hlc > current.hlc
    stored = Stored(write.value, write.hlc) if wins else current
    conflict = None
    if concurrent:
        loser = current if wins else Stored(write.value, write.hlc)
        conflict = Conflict(
            write.kind,
            write.uid,
            merge_key(write.kind, write.field),
            stored.value,
            stored.hlc,
            loser.value,
            loser.hlc,
        )
    return Applied(stored, wins, conflict)


def take(current: Stored | None, incoming: Stored) -> Stored:
    """A replica's decision on one pulled field: the greater clock stays."""
    if current is None or incoming.hlc > current.hlc:
        return incoming
    return current


def compact(writes: Iterable[Write]) -> list[Write]:
    """One write per field for a push: the last value, the first base.

    Two offline edits of one field are one change against what the server
    had; pushing both would make the second look like it never saw the
    first and report a conflict with the user's own edit.
    """
    first_base: dict[tuple[str, str, str], Hlc | None] = {}
    last: dict[tuple[str, str, str], Write] = {}
    for write in writes:
        first_base.setdefault(write.key, write.base)
        last[write.key] = write
    return [dataclasses.replace(w, base=first_base[key]) for key, w in last.items()]
