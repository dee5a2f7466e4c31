"""The crash harness: jobs in a separate process, SIGKILLed at chosen moments.

``tests/crash_runner.py serve`` is a fork server: each job is a fresh child
of a parent that imported everything once, so a kill costs milliseconds
instead of a ~1 s interpreter start. ``ForkServer`` drives it and reads the
job's progress events; ``kill_loop`` kills at seeded random moments after
some progress; ``run_cli`` runs the runner as a plain command line, as the
app would start. Registered as a plugin by tests/conftest.py for the
``runner`` fixture; the crash tests of mail import and sending
(test_mail_crash.py, test_outbox_crash.py), of scenario steps and of the
replica sync share it.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import queue
import random
import shlex
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "crash_runner.py"
JOB_TIMEOUT = 30.0  # no job here takes more than a few seconds


Step = tuple[float, str]  # (time.monotonic() in the runner, "event details")


@dataclasses.dataclass
class Run:
    code: int  # the child's exit status; -9 when our SIGKILL ended it
    steps: list[Step]

    @property
    def events(self) -> list[str]:
        return [text for _t, text in self.steps]

    @property
    def finished(self) -> bool:
        return any(e.startswith("done") for e in self.events)

    def open_step(self, begin: str, end: str) -> bool:
        """Whether the kill fell between a BEGIN event and its END."""
        kinds = [e.split()[0] for e in self.events if e.split()[0] in (begin, end)]
        return bool(kinds) and kinds[-1] == begin

    def gaps(self, first: str, then: str) -> list[float]:
        """Seconds from each FIRST event to the next THEN event."""
        out: list[float] = []
        since: float | None = None
        for t, text in self.steps:
            kind = text.split()[0]
            if kind == first and since is None:
                since = t
            elif kind == then and since is not None:
                out.append(t - since)
                since = t if first == then else None
        return out


class ForkServer:
    """``crash_runner.py serve``: one child process per job, killed on request."""

    def __init__(self, log: Path) -> None:
        self._log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "error", str(RUNNER), "serve"],
            cwd=ROOT,
            env=dict(os.environ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        # A job's first events, read while waiting for the server's "spawned":
        # the forked child can print before its parent does (seen under load).
        self._early: collections.deque[str] = collections.deque()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def stderr(self) -> str:
        self._log.flush()
        return self._log_path.read_text()[-3000:]

    def line(self, timeout: float = JOB_TIMEOUT) -> str:
        if self._early:
            return self._early.popleft()
        return self._next(timeout)

    def _next(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"runner silent for {timeout} s:\n{self.stderr()}") from None
        if line is None:
            raise AssertionError(f"runner ended:\n{self.stderr()}")
        return line

    def step(self) -> Step:
        """The job's next event (server answers are not steps)."""
        line = self.line()
        stamp, _, text = line.partition(" ")
        return float(stamp), text

    def start(self, *args: str) -> None:
        self._say("run " + shlex.join(args))
        assert not self._early, self._early
        while not (answer := self._next(JOB_TIMEOUT)).startswith("spawned "):
            assert answer.partition(" ")[0].replace(".", "", 1).isdigit(), answer
            self._early.append(answer)  # the child's event, printed before "spawned"

    def _finish(self, command: str, steps: list[Step]) -> Run:
        self._say(command)
        while True:
            line = self.line(JOB_TIMEOUT + 5)
            if line.startswith("exited "):
                return Run(int(line.split()[2]), steps)
            stamp, _, text = line.partition(" ")
            steps.append((float(stamp), text))

    def kill(self, steps: list[Step]) -> Run:
        return self._finish("kill", steps)

    def wait(self, timeout: float = JOB_TIMEOUT) -> Run:
        return self._finish(f"wait {timeout}", [])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self._log.close()


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[ForkServer]:
    server = ForkServer(tmp_path / "runner.log")
    yield server
    server.close()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The runner as a plain command: a fresh interpreter, as the app would start."""
    return subprocess.run(
        [sys.executable, "-W", "error", str(RUNNER), *args],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT + 30,
        check=False,
    )


def kill_loop(
    runner: ForkServer,
    args: Sequence[str],
    *,
    kills: int,
    progress: str,
    rng: random.Random,
    passes: Sequence[int] = (0,),
    spread: float = 1.5,
    after_kill: Callable[[Run], None] | None = None,
    pace: float = 0.05,
) -> list[Run]:
    """KILLS times (or until a run ends by itself): start the job, let one
    of PASSES progress events go by, then SIGKILL it after a random share of
    SPREAD steps, a step being the median time between progress events
    (PACE seconds until runs have shown some)."""
    runs: list[Run] = []
    paces: list[float] = []
    for _ in range(kills):
        runner.start(*args)
        steps: list[Step] = []
        wait_for = rng.choice(passes)
        delay = rng.uniform(0.0, spread) * (statistics.median(paces) if paces else pace)
        while True:
            steps.append(runner.step())
            kind = steps[-1][1].split()[0]
            if kind in ("done", "failed"):
                break
            if kind == progress:
                wait_for -= 1
            if wait_for <= 0 and kind in ("ready", progress):
                time.sleep(delay)
                break
        run = runner.kill(steps)
        assert run.code in (0, -9), (run, runner.stderr())
        assert "failed" not in run.events, runner.stderr()
        paces.extend(run.gaps(progress, progress))
        if after_kill is not None:
            after_kill(run)
        runs.append(run)
        if run.finished:
            break
    return runs
