"""Sentinel files that tell whether anything opened them.

A FIFO is the honest detector: opening its write end without blocking
succeeds only while someone has the read end open (or is blocked opening
it). A watcher process (not a thread: a reader stuck in Qt may hold the GIL)
polls for that, reports it, and closes its end so a reader that got in is
released with EOF instead of hanging the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

_WATCHER = """
import errno, os, sys, time
path = sys.argv[1]
print("ready", flush=True)
while True:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
        time.sleep(0.005)
        continue
    print("opened", flush=True)
    os.close(fd)
    time.sleep(0.05)
"""


class FifoSentinel:
    """``with FifoSentinel(folder) as fifo``: ``fifo.path``; ``fifo.opened`` afterwards."""

    def __init__(self, folder: Path, name: str = "sentinel.png") -> None:
        self.path = folder / name
        self.opened = False
        self._watcher: subprocess.Popen[str] | None = None

    def __enter__(self) -> FifoSentinel:
        os.mkfifo(self.path)
        self._watcher = subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(self.path)], stdout=subprocess.PIPE, text=True
        )
        assert self._watcher.stdout is not None
        assert self._watcher.stdout.readline().strip() == "ready"
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._watcher is not None
        time.sleep(0.1)  # a reader blocked in open() right now is still seen
        self._watcher.terminate()
        output, _ = self._watcher.communicate(timeout=10)
        self.opened = "opened" in output
