"""Service calls from widgets: a unit of work on a lane, the result back on
the GUI thread, and nothing delivered to a widget that is already gone.

A widget never opens a unit of work on the GUI thread; it hands a function
``(uow, actor) -> value`` to :class:`Work`, which runs it on ``ctx.reads``
or ``ctx.writes`` and calls back with the value or the exception.

Every write ends on the change bus: a use case returns an ``Outcome`` whose
``Changes`` are posted as they are; any other write is measured against the
change history (``services.feed.touched``). The changes are posted even
when the widget that asked is gone: the other screens still show the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from shiboken6 import isValid

from services.core.access import Actor
from services.core.changes import Outcome
from services.feed import touched
from ui.context import UiContext

T = TypeVar("T")
# The unit of work the runner hands a service function on a lane (a
# services.core.storage.UnitOfWork); widgets never open one themselves.
Uow = Any
ServiceFn = Callable[[Uow, Actor], T]


def reading(ctx: UiContext, fn: ServiceFn[T]) -> Callable[[], T]:
    def task() -> T:
        with ctx.db.reader(ctx.actor.id) as uow:
            return fn(uow, ctx.actor)

    return task


def writing(
    ctx: UiContext, fn: ServiceFn[Any], *, durable: bool = False
) -> Callable[[], Outcome[Any]]:
    def task() -> Outcome[Any]:
        with ctx.db.uow(ctx.actor.id, durable=durable) as uow:
            start = touched.mark(uow)
            result = fn(uow, ctx.actor)
            if not isinstance(result, Outcome):
                result = Outcome(result, touched.since(uow, start))
            uow.commit()
            return result

    return task


class Work:
    """Runs service functions for ``owner``; callbacks are dropped once the
    owner's C++ object is deleted (a closed dialog, a card replaced)."""

    def __init__(self, ctx: UiContext, owner: QObject) -> None:
        self.ctx = ctx
        self._owner = owner

    def read(
        self,
        fn: ServiceFn[Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.submit(self.ctx.reads, reading(self.ctx, fn), on_done, on_error)

    def write(
        self,
        fn: ServiceFn[Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        durable: bool = False,
    ) -> None:
        self.submit(self.ctx.writes, writing(self.ctx, fn, durable=durable), on_done, on_error)

    def run(
        self,
        use_case: Callable[[Any, Actor], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """A use case ``(db, actor) -> Outcome`` on the write lane: it opens
        its own units of work; its Changes go to the bus, its value to
        ``on_done``."""
        ctx = self.ctx
        self.submit(ctx.writes, lambda: use_case(ctx.db, ctx.actor), on_done, on_error)

    def submit(
        self,
        lane: Any,
        task: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        owner = self._owner
        report = on_error or self.ctx.report_error

        def done(result: Any) -> None:
            if isinstance(result, Outcome):
                result = self.ctx.bus.deliver(result)
            if isValid(owner):
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isValid(owner):
                report(exc)

        lane.submit(task, done, failed)
