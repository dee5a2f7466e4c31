"""Progress and Cancel of a replica's first copy (Settings → "Work offline
on this laptop", issue #20).

The seed is an ordinary pull in batches, each committed with its cursor,
so a copy stopped between two batches is resumed by the next try and the
app never opens a copy that did not finish (it records the replica only
once ``init_replica`` returned). A :class:`Watch` rides on the pull: before
the first batch it counts, per kind, the records the login may see past
the cursor (one ``count(*)`` per synced table under row-level security);
after each batch it adds the batch's records per kind and reports; before
each batch it raises :class:`CopyCancelled` when the user asked to stop.
The callbacks run on the copying thread: the window marshals them itself.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, select

from services.core.errors import UserError
from services.core.storage import Database
from services.sync.tables import synced_kinds


class CopyCancelled(UserError):
    """The user stopped the copy; what was copied stays for the next try."""

    code = "sync.copy.cancelled"

    def __init__(self) -> None:
        super().__init__("The copy was stopped; the next try goes on from where it stopped")


@dataclasses.dataclass(frozen=True)
class CopyProgress:
    """Records copied so far and to copy, per kind, in registry order."""

    copied: tuple[tuple[str, int], ...]
    total: tuple[tuple[str, int], ...]

    @property
    def copied_all(self) -> int:
        return sum(n for _, n in self.copied)

    @property
    def total_all(self) -> int:
        return sum(n for _, n in self.total)


def pending_counts(server: Database, cursor: int) -> dict[str, int]:
    """Per kind, the records the login sees numbered after ``cursor``."""
    out: dict[str, int] = {}
    with server.reader() as uow:
        for spec in synced_kinds():
            table = spec.model.__table__
            n = uow.session.scalar(
                select(func.count()).select_from(table).where(table.c.sync_seq > cursor)
            )
            if n:
                out[spec.kind] = int(n)
    return out


class Watch:
    """Counts a pull's batches for ``report`` and stops it when ``cancelled``."""

    def __init__(
        self,
        report: Callable[[CopyProgress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._report = report
        self._cancelled = cancelled
        self.total: dict[str, int] | None = None
        self.copied: Counter[str] = Counter()

    def before(self, server: Database, cursor: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise CopyCancelled()
        if self.total is None:
            self.total = pending_counts(server, cursor)
            self._send()

    def after(self, kinds: list[str]) -> None:
        self.copied.update(kinds)
        self._send()

    def progress(self) -> CopyProgress:
        total = self.total or {}
        order = [s.kind for s in synced_kinds() if s.kind in total or s.kind in self.copied]
        return CopyProgress(
            tuple((k, min(self.copied[k], total.get(k, self.copied[k]))) for k in order),
            tuple((k, max(total.get(k, 0), self.copied[k])) for k in order),
        )

    def _send(self) -> None:
        if self._report is not None:
            self._report(self.progress())
