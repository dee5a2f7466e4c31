"""What every screen gets from ``desktop/``: the database, the acting user and
the lanes to run work on. Widgets call services through the lanes and get
plain dataclasses back; they never see the ORM.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from services.core.access import Actor
from ui.bus import ChangeBus


class LaneLike(Protocol):
    """A worker lane: ``fn`` runs off the GUI thread, callbacks run on it."""

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None: ...


class MailLike(Protocol):
    """The background mail driver (desktop.mail_driver.MailDriver)."""

    online: bool

    def sync_now(self, account_id: int) -> None: ...

    def cancel(self, account_id: int) -> None: ...

    def send_due(self) -> None: ...


@dataclasses.dataclass
class UiContext:
    # services.core.storage.Database, opened by desktop/: only the task runner
    # (ui/widgets/work.py) opens units of work on it, on a lane.
    db: Any
    actor: Actor
    writes: LaneLike  # the one serial lane for database writes
    reads: LaneLike  # reads that may take longer than a frame (search, big pages)
    mail: MailLike | None = None
    # Shows an error: a UserError's message, or the crash dialog for a bug.
    report_error: Callable[[BaseException], None] = lambda exc: None
    # desktop.ai_queue.AiDraftRunner: its ``ready`` signal says a queued AI
    # draft was written (SPEC E3); None in tests and the selftest.
    drafts: Any = None
    # Every Changes value from the user's actions and from background work
    # is posted here; screens refresh from it (ui/bus.py).
    bus: ChangeBus = dataclasses.field(default_factory=ChangeBus)
    # desktop.replica.ReplicaDriver: a laptop replica's sync and status
    # (issue #20); the status bar shows it only on a replica.
    replica: Any = None
