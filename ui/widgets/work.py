"""Service calls from widgets: a unit of work on a lane, the result back on
the GUI thread, and nothing delivered to a widget that is already gone.

A widget never opens a unit of work on the GUI thread; it hands a function
``(uow, actor) -> value`` to :class:`Work`, which runs it on ``ctx.reads``
or ``ctx.writes`` and calls back with the value or the exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from shiboken6 import isValid

from services.core.access import Actor
from services.core.storage import UnitOfWork
from ui.context import UiContext

T = TypeVar("T")
ServiceFn = Callable[[UnitOfWork, Actor], T]


def reading(ctx: UiContext, fn: ServiceFn[T]) -> Callable[[], T]:
    def task() -> T:
        with ctx.db.reader(ctx.actor.id) as uow:
            return fn(uow, ctx.actor)

    return task


def writing(ctx: UiContext, fn: ServiceFn[T], *, durable: bool = False) -> Callable[[], T]:
    def task() -> T:
        with ctx.db.uow(ctx.actor.id, durable=durable) as uow:
            result = fn(uow, ctx.actor)
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
            if isValid(owner):
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isValid(owner):
                report(exc)

        lane.submit(task, done, failed)
