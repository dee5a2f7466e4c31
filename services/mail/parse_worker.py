"""Imported letters' bodies parsed on a second core (issue #16).

``parse_message`` is two thirds of an imported letter's CPU. A sync with
many letters to parse hands them to one worker process (``spawn``, as on
Windows and macOS), which parses a run while the run before it is written;
the worker starts once per sync, at its first run of ``START_AT`` letters
or more, or earlier when a folder's first letters project ``FORESEE_AT``
letters to parse in the rest of it (``Parser.foresee``: then it is up
when they come); not for a few known senders' letters among many (the
header scan pays nothing for it), and it is shut down at the end, on
cancel and on error. On one core, and until the worker has started (its
imports take ~0.3 s), a run is parsed in this process with the same
function, ``parse_body``. While a worker parses,
the import writes each batch's last run after the next batch's first run
went to it (``imap_sync``), so the parse of one overlaps the write of
the other.

A letter that kills or hangs the worker costs that letter only: the worker
sends each letter's outcome as soon as it is parsed, so the first letter
without one is the culprit; it gets the outcome a parser bug gets in this
process ("its structure cannot be read"), the worker is started again and
the other letters are sent to it again. A worker whose parent died exits.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

from services.core.errors import UserError
from services.mail import mime

log = logging.getLogger(__name__)

START_AT = 50  # letters in one run: below that a sync keeps parsing here
# Letters a folder's rest is projected to need parsed for the worker to start
# before its first big run: at 20 % of 10,000 letters known (~2,000 to
# parse) it started at the second batch and 241 letters were parsed here
# meanwhile (~0.13 s of the main process's ~1.7 s CPU), 41 when it starts
# after the first batch's scan; at 2 % known (~200 in all) its start costs
# more than it saves (bench/README.md, #16 rounds 11 and 12).
FORESEE_AT = 500
# Seconds without a letter parsed before the worker counts as stuck: far
# above what a 50 MB letter's parse takes (mime's input bounds).
STALL_SECONDS = 120.0
STOPPED = "its structure cannot be read (the parser process stopped on it)"


class Body(NamedTuple):
    """What the import keeps of a parsed letter (``mime.ParsedMessage``
    without the headers, which the header scan read): a tuple, cheap to
    send between processes."""

    text: str
    html: str | None
    attachments: tuple[mime.AttachmentPart, ...]
    calendar: str | None
    warnings: tuple[str, ...]


class Failed(NamedTuple):
    """A letter the parse refused (``bug`` None: a ``UserError``) or that
    made the parser fail (``bug``: the traceback, for the log)."""

    note: str
    bug: str | None = None


Outcome = Body | Failed
ParseFn = Callable[[bytes, int], Outcome]


def parse_body(raw: bytes, limit: int) -> Outcome:
    """One letter, in the worker or in this process alike."""
    try:
        parsed = mime.parse_message(raw, max_attachment_bytes=limit)
    except UserError as exc:
        return Failed(str(exc))
    except Exception as exc:  # noqa: BLE001 - a parser bug skips one letter, as before
        return Failed(
            f"its structure cannot be read ({type(exc).__name__})", traceback.format_exc()
        )
    return Body(parsed.text, parsed.html, parsed.attachments, parsed.calendar, parsed.warnings)


def _serve(jobs: Connection, results: Connection, parse: ParseFn) -> None:
    """The worker: jobs in order, each letter's outcome sent as it is made;
    it ends when told, when the parent's end of the line closes, or when
    the parent is gone (killed: nobody would tell it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent = multiprocessing.parent_process()
    results.send(("ready",))
    while True:
        if not jobs.poll(1.0):
            if parent is not None and not parent.is_alive():
                return
            continue
        try:
            job = jobs.recv()
        except EOFError:
            return
        if job is None:
            return
        number, letters = job
        for index, raw, limit in letters:
            results.send((number, index, parse(raw, limit)))


class Job:
    """One run's letters; ``Parser.outcomes`` gives what each became."""

    def __init__(self, number: int, letters: list[tuple[bytes, int]], remote: bool) -> None:
        self.number = number
        self.letters = letters
        self.remote = remote
        self.outcomes: dict[int, Outcome] = {}


class _Worker:
    """One worker process and two threads of ours: one sends its jobs, one
    reads its answers as they come, so neither side waits on a full pipe."""

    def __init__(self, parse: ParseFn) -> None:
        context = multiprocessing.get_context("spawn")
        jobs_out, jobs_in = context.Pipe(duplex=False)  # (reader, writer)
        answers_in, answers_out = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(jobs_out, answers_out, parse), name="touchpoint-parse", daemon=True
        )
        self.process.start()
        jobs_out.close()  # the worker's ends: ours see EOF or EPIPE once it is gone
        answers_out.close()
        self.ready = False
        self.jobs: queue.Queue[tuple[int, list[tuple[int, bytes, int]]] | None] = queue.Queue()
        self.answers: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._threads = [
            threading.Thread(target=self._send, args=(jobs_in,), name="touchpoint-parse-jobs"),
            threading.Thread(
                target=self._read, args=(answers_in,), name="touchpoint-parse-answers"
            ),
        ]
        for thread in self._threads:
            thread.daemon = True
            thread.start()

    def _send(self, line: Connection) -> None:
        try:
            while True:
                job = self.jobs.get()
                line.send(job)
                if job is None:
                    return
        except OSError:  # the worker is gone; its reader says so
            return
        finally:
            line.close()

    def _read(self, line: Connection) -> None:
        try:
            while True:
                self.answers.put(line.recv())
        except (EOFError, OSError):
            self.answers.put(("gone",))
        finally:
            line.close()

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        self.jobs.put(None)
        self.process.join(timeout=10)
        if self.process.is_alive():  # it did not stop when asked: a stuck parse
            self.process.kill()
            self.process.join()
        for thread in self._threads:
            thread.join(timeout=10)
        self.process.close()


class Parser:
    """Where one sync's letters are parsed; a context manager that stops
    its worker when the sync ends, however it ends."""

    def __init__(
        self,
        parse: ParseFn = parse_body,
        *,
        cores: int | None = None,
        start_at: int = START_AT,
        stall_seconds: float = STALL_SECONDS,
        foresee_at: int = FORESEE_AT,
    ) -> None:
        self.parse = parse
        self.use_worker = (os.cpu_count() or 1) > 1 if cores is None else cores > 1
        self.start_at = start_at
        self.foresee_at = foresee_at
        self.stall_seconds = stall_seconds
        self._worker: _Worker | None = None
        self._jobs: dict[int, Job] = {}  # sent to the worker, not all answered
        self._number = 0

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def parallel(self) -> bool:
        """Whether runs go to a worker (started, maybe not yet ready)."""
        return self._worker is not None

    def start(self) -> None:
        if self._worker is None and self.use_worker:
            self._worker = _Worker(self.parse)

    def foresee(self, wanted: int, read: int, left: int) -> None:
        """The worker started now when WANTED of the READ letters just
        scanned need their bodies parsed and as many in the LEFT still to
        read would be ``foresee_at`` or more: it starts up while this batch
        is parsed here and written, and takes the next batch's runs."""
        if read > 0 and wanted * left >= self.foresee_at * read:
            self.start()

    def wait_ready(self, timeout: float) -> bool:
        """Whether the worker is ready, waiting up to TIMEOUT seconds for it."""
        worker = self._worker
        if worker is None:
            return False
        with contextlib.suppress(queue.Empty):
            while not worker.ready:
                self._take(worker.answers.get(timeout=timeout))
        return worker.ready

    def submit(self, letters: Sequence[tuple[bytes, int]]) -> Job:
        """(raw, attachment limit) of a run's letters; parsed from now on
        when they go to the worker, else when their outcomes are asked for."""
        self._number += 1
        if len(letters) >= self.start_at:
            self.start()
        worker = self._worker
        if worker is not None and not worker.ready:
            self._drain(worker)
        remote = worker is not None and worker.ready and bool(letters)
        job = Job(self._number, list(letters), remote)
        if remote:
            assert worker is not None
            self._jobs[job.number] = job
            worker.jobs.put(
                (job.number, [(i, raw, limit) for i, (raw, limit) in enumerate(letters)])
            )
        return job

    def outcomes(self, job: Job) -> list[Outcome]:
        """What each of the job's letters became, in order."""
        if not job.remote:
            return [self.parse(raw, limit) for raw, limit in job.letters]
        while len(job.outcomes) < len(job.letters):
            worker = self._worker
            assert worker is not None
            try:
                answer = worker.answers.get(timeout=self.stall_seconds)
            except queue.Empty:
                log.error("the parser process parsed nothing for %s s: stopped", self.stall_seconds)
                self._lost(kill=True)
                continue
            if answer[0] == "gone":
                log.error("the parser process stopped (exit code %s)", worker.process.exitcode)
                self._lost(kill=False)
            else:
                self._take(answer)
        return [job.outcomes[i] for i in range(len(job.letters))]

    def _drain(self, worker: _Worker) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                answer = worker.answers.get_nowait()
                if answer[0] == "gone":
                    self._lost(kill=False)
                    return
                self._take(answer)

    def _take(self, answer: tuple[Any, ...]) -> None:
        if answer[0] == "ready":
            assert self._worker is not None
            self._worker.ready = True
            return
        number, index, outcome = answer
        job = self._jobs.get(number)
        if job is None:
            return
        job.outcomes.setdefault(index, outcome)
        if len(job.outcomes) == len(job.letters):
            del self._jobs[number]

    def _lost(self, *, kill: bool) -> None:
        """The worker died or hung: the letter it was on fails as a parser
        bug would; the rest go to a new worker."""
        worker = self._worker
        assert worker is not None
        worker.stop(kill=True if kill else worker.process.is_alive())
        self._worker = None
        pending = sorted(self._jobs.values(), key=lambda j: j.number)
        for job in pending:
            missing = [i for i in range(len(job.letters)) if i not in job.outcomes]
            if missing:
                job.outcomes[missing[0]] = Failed(STOPPED)
                break
        self._worker = worker = _Worker(self.parse)
        worker.ready = True  # its queue holds the jobs until it is
        for job in pending:
            left = [(i, *job.letters[i]) for i in range(len(job.letters)) if i not in job.outcomes]
            if left:
                worker.jobs.put((job.number, left))
            else:
                del self._jobs[job.number]

    def close(self) -> None:
        worker, self._worker = self._worker, None
        unanswered = bool(self._jobs)
        self._jobs.clear()
        if worker is not None:  # a cancelled or failed sync does not wait for its parse
            worker.stop(kill=unanswered or not worker.ready)
