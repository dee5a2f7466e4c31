"""What a use case changed, so that every open screen can decide to refresh.

Modelled on Anki's ``OpChanges``: a use case returns its result together
with a :class:`Changes` value; the desktop posts it on one change bus, and a
card, list or counter reloads only when the value touches what it shows. The
same value comes from the user's own actions and from background work (mail
sync, the outbox, the linking job, the AI queue), so a letter that arrives
while a card is open shows in its feed without a key press.

Kinds are plain strings ("client", "lead", "contact", "deal", "interaction",
"note", "task", "memo", "user", "letter", "call", "outbox", "template",
"draft", "setting", "mail_account", ...). ``cards`` names the cards whose
feed or indicators changed, as ``(kind, id)`` pairs with kind one of
"client", "lead", "contact", "deal": a feed needs no lookup to know that an
interaction of its client was added.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")

Ids = frozenset[int]
CardKey = tuple[str, int]


def _freeze(m: Mapping[str, Iterable[int]] | None) -> Mapping[str, Ids]:
    if not m:
        return {}
    return {k: frozenset(v) for k, v in m.items() if v}


@dataclasses.dataclass(frozen=True)
class Changes:
    """Kinds and ids created, updated or removed, and the cards they touch."""

    created: Mapping[str, Ids] = dataclasses.field(default_factory=dict)
    updated: Mapping[str, Ids] = dataclasses.field(default_factory=dict)
    removed: Mapping[str, Ids] = dataclasses.field(default_factory=dict)
    cards: frozenset[CardKey] = frozenset()

    @classmethod
    def of(
        cls,
        *,
        created: Mapping[str, Iterable[int]] | None = None,
        updated: Mapping[str, Iterable[int]] | None = None,
        removed: Mapping[str, Iterable[int]] | None = None,
        cards: Iterable[CardKey] = (),
    ) -> Changes:
        return cls(
            created=_freeze(created),
            updated=_freeze(updated),
            removed=_freeze(removed),
            cards=frozenset((k, int(i)) for k, i in cards if i is not None),
        )

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.cards)

    def __or__(self, other: Changes) -> Changes:
        def merge(a: Mapping[str, Ids], b: Mapping[str, Ids]) -> Mapping[str, Ids]:
            out = dict(a)
            for k, v in b.items():
                out[k] = out.get(k, frozenset()) | v
            return out

        return Changes(
            created=merge(self.created, other.created),
            updated=merge(self.updated, other.updated),
            removed=merge(self.removed, other.removed),
            cards=self.cards | other.cards,
        )

    def kinds(self) -> frozenset[str]:
        """Every kind that was created, updated or removed."""
        return frozenset(self.created) | frozenset(self.updated) | frozenset(self.removed)

    def touches(self, kind: str, ids: Iterable[int] | None = None) -> bool:
        """True when ``kind`` changed at all (``ids`` None) or one of ``ids`` did."""
        if ids is None:
            return kind in self.kinds()
        wanted = frozenset(ids)
        return any(
            bool(m.get(kind, frozenset()) & wanted)
            for m in (self.created, self.updated, self.removed)
        )

    def touches_card(self, kind: str, card_id: int) -> bool:
        """True when the feed or indicators of card ``(kind, card_id)`` changed."""
        return (kind, card_id) in self.cards or self.touches(kind, (card_id,))


NO_CHANGES = Changes()


@dataclasses.dataclass(frozen=True)
class Outcome(Generic[T]):
    """A use case's result and what it changed."""

    value: T
    changes: Changes = NO_CHANGES
