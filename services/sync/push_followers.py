"""Later changes of an interaction the server refused, refused with it.

A push sends a week of actions. When the server refuses the one that made
an interaction (a letter held on a colleague's card, services/sync/
apply_split.py), later actions of the same push may still name it: the
linking job moved it to a better card, a contact person was added to it.
The server would refuse each of those too ("not on the server"), and the
user would see the same letter listed again with a reason that explains
nothing. So the rows of later actions that name an interaction refused
earlier in this push are not sent: they are marked refused with that first
refusal, under its op uid (listed once), and the rest of their action goes
up as usual. The laptop has already taken the interaction off (the first
refusal's put-back), so there is nothing of them to put back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from services.sync.apply import OpResult
from services.sync.apply_rows import Pushed
from services.sync.log import CREATED

KIND = "interaction"
LINK = "interaction_contact"
FOLLOWED = "followed"  # OpResult.outcome: refused with an earlier refusal, not listed again


@dataclasses.dataclass
class Refused:
    """The interactions this push saw refused as made, and each one's refusal."""

    by_uid: dict[str, OpResult] = dataclasses.field(default_factory=dict)

    def note(self, rows: Sequence[Pushed], result: OpResult) -> None:
        if result.reason is None or result.outcome == FOLLOWED:
            return
        for row in rows:
            if row.kind == KIND and row.field == CREATED:
                self.by_uid.setdefault(row.uid, result)

    def take(self, rows: list[Pushed]) -> tuple[list[Pushed], list[tuple[list[Pushed], OpResult]]]:
        """The action's rows to send, and those that follow an earlier
        refusal, grouped per refusal with its answer."""
        if not self.by_uid:
            return rows, []
        kept: list[Pushed] = []
        followers: dict[str, list[Pushed]] = {}
        for row in rows:
            first = self._first(row)
            if first is None:
                kept.append(row)
            else:
                followers.setdefault(first, []).append(row)
        answers = [
            (
                taken,
                dataclasses.replace(
                    self.by_uid[uid],
                    outcome=FOLLOWED,
                    conflicts=(),
                    won=(),
                    touched=(),
                    after=(),
                    replaced=(),
                ),
            )
            for uid, taken in followers.items()
        ]
        return kept, answers

    def _first(self, row: Pushed) -> str | None:
        if row.kind == KIND and row.field != CREATED:
            uid = row.uid
        elif row.kind == LINK:
            uid = row.uid.partition(":")[0]
        else:
            return None
        return uid if uid in self.by_uid else None
