"""The fork server's child may print its first event before the server says
"spawned" (two processes on one pipe; seen under load in a mail crash test):
the harness keeps that event for the job's steps instead of failing."""

from __future__ import annotations

import collections
import queue

from tests.crash_harness import ForkServer


def _server(lines: list[str]) -> ForkServer:
    server = ForkServer.__new__(ForkServer)  # no process: the pipe's lines, given
    server._lines = queue.Queue()
    server._early = collections.deque()
    server._say = lambda line: None  # type: ignore[method-assign]
    for line in lines:
        server._lines.put(line)
    return server


def test_a_child_event_before_spawned_stays_the_jobs_first_step() -> None:
    server = _server(["12.5 ready", "spawned 42", "12.75 begin inbox 1"])
    server.start("sync")
    assert server.step() == (12.5, "ready")
    assert server.step() == (12.75, "begin inbox 1")


def test_in_the_usual_order_nothing_changes() -> None:
    server = _server(["spawned 42", "12.5 ready"])
    server.start("sync")
    assert server.step() == (12.5, "ready")
