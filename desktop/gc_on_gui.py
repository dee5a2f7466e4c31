"""Python's cyclic garbage collector, run on the GUI thread only.

Automatic collection runs in whichever thread happens to allocate past a
threshold. In the app that is often a worker lane (a mail sync, a read):
if a widget, a timer or another QObject sits in a reference cycle at that
moment, the collection frees it on the worker thread, and Qt warns
("Timers cannot be stopped from another thread") or crashes. Anki and other
PyQt apps meet this the same way: switch automatic collection off and
collect on the GUI thread, here as often as the collector's own thresholds
ask, checked on a short timer (reading the counts costs nothing).

Reference counting still frees everything that is not in a cycle at once;
only cycles wait for the next tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 250


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int:
        """Collect the oldest generation whose threshold is passed, as the
        automatic collector would; returns the generation or -1."""
        limits = gc.get_threshold()
        counts = gc.get_count()
        generation = -1
        for gen in range(3):
            if counts[gen] > limits[gen]:
                generation = gen
        if generation >= 0:
            gc.collect(generation)
        return generation

    def stop(self) -> None:
        """Automatic collection back on (at shutdown, when no widget is left)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
