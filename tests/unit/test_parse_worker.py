"""The import's bodies parsed in a worker process (``parse_worker``, #16):
the same outcome as in this process for every real, hostile and damaged
letter; a letter that kills or hangs the worker costs that letter only; one
core or a small run never starts a process; a closed parser leaves no
process and no thread behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from services.mail import parse_worker
from services.mail.parse_worker import Body, Failed, Parser
from tests import parse_faults
from tests.hostile_mail import HOSTILE, corpus, mutations

LIMIT = 25 * 1024 * 1024
LETTER = (
    "From: Иван Петров <ivan@romashka.ru>\r\nTo: alice@example.test\r\n"
    "Subject: =?utf-8?b?0KHRh9GR0YIg4oSWMQ==?=\r\nMessage-ID: <{n}@romashka.ru>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n{mark}\r\nСчёт №{n} за ноябрь, Ёлка.\r\n"
)


def letter(n: int, mark: bytes = b"") -> bytes:
    return LETTER.format(n=n, mark=mark.decode() + "\r\n" if mark else "").encode()


def started(parser: Parser) -> Parser:
    parser.start()
    assert parser.wait_ready(60), "the worker did not start"
    return parser


@pytest.fixture
def threads_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.name.startswith("touchpoint")]
    assert left == []


def test_the_worker_reads_every_letter_as_this_process_does(threads_left: None) -> None:
    raws = [p.read_bytes() for p in corpus()]
    raws += [make() for name, make in HOSTILE.items() if name != "5 MB header lines"]
    raws += [raw for _name, raw in mutations(120, seed=16)]
    raws += [letter(n) for n in range(5)]
    here = [parse_worker.parse_body(raw, LIMIT) for raw in raws]
    with started(Parser(start_at=1)) as parser:
        jobs = [
            parser.submit([(raw, LIMIT) for raw in raws[i : i + 97]])
            for i in range(0, len(raws), 97)
        ]
        assert all(job.remote for job in jobs)
        there = [outcome for job in jobs for outcome in parser.outcomes(job)]
    assert len(there) == len(here) > 500
    # A parser bug's traceback names the same lines either way: the notes compared.
    differ = [
        i
        for i, (a, b) in enumerate(zip(here, there, strict=True))
        if (a.note if isinstance(a, Failed) else a) != (b.note if isinstance(b, Failed) else b)
    ]
    assert differ == []
    assert any(isinstance(o, Failed) for o in here)  # refusals are compared too
    assert here[-1].text == "Счёт №4 за ноябрь, Ёлка."  # type: ignore[union-attr]


def test_a_letter_that_kills_the_worker_costs_that_letter_only(threads_left: None) -> None:
    raws = [letter(0), letter(1, parse_faults.CRASH), letter(2), letter(3)]
    with started(Parser(parse_faults.crashing, start_at=1)) as parser:
        first = parser.submit([(raw, LIMIT) for raw in raws])
        second = parser.submit([(letter(4), LIMIT), (letter(5, parse_faults.CRASH), LIMIT)])
        outcomes = parser.outcomes(first)
        later = parser.outcomes(second)
        after = parser.outcomes(parser.submit([(letter(6), LIMIT)]))
    assert [type(o) for o in outcomes] == [Body, Failed, Body, Body]
    assert outcomes[1] == Failed(parse_worker.STOPPED)
    assert [o.text for o in outcomes if isinstance(o, Body)] == [
        f"Счёт №{n} за ноябрь, Ёлка." for n in (0, 2, 3)
    ]
    assert [type(o) for o in later] == [Body, Failed]  # a second culprit, a third worker
    assert isinstance(after[0], Body)


def test_a_letter_that_hangs_the_worker_is_given_up_after_the_bound(threads_left: None) -> None:
    raws = [letter(0), letter(1, parse_faults.HANG), letter(2)]
    with started(Parser(parse_faults.hanging, start_at=1, stall_seconds=2.0)) as parser:
        outcomes = parser.outcomes(parser.submit([(raw, LIMIT) for raw in raws]))
    assert [type(o) for o in outcomes] == [Body, Failed, Body]
    assert outcomes[1].note == parse_worker.STOPPED  # type: ignore[union-attr]


def test_one_core_or_a_small_run_parses_here(threads_left: None) -> None:
    with Parser(cores=1, start_at=1) as parser:
        job = parser.submit([(letter(0), LIMIT)] * 60)
        assert not parser.parallel
        assert not job.remote
        assert all(isinstance(o, Body) for o in parser.outcomes(job))
    with Parser(start_at=50) as parser:
        job = parser.submit([(letter(0), LIMIT)] * 49)
        assert not parser.parallel
        assert not job.remote
        assert isinstance(parser.outcomes(job)[0], Body)


def test_the_worker_starts_early_only_for_many_letters_to_come(threads_left: None) -> None:
    """``foresee``: 40 of 200 letters to parse and 9,800 to read (~1,960 to
    come) start it; 4 of 200 (~196 to come), none left, or one core do not."""
    for wanted, read, left, cores in ((4, 200, 9800, 2), (40, 200, 0, 2), (40, 200, 9800, 1)):
        with Parser(cores=cores) as parser:
            parser.foresee(wanted, read, left)
            assert not parser.parallel, (wanted, read, left, cores)
    with Parser(start_at=50) as parser:
        parser.foresee(40, 200, 9800)
        assert parser.parallel
        assert parser.wait_ready(60)
        job = parser.submit([(letter(n), LIMIT) for n in range(3)])  # below start_at: still sent
        assert job.remote
        assert [o.text for o in parser.outcomes(job)] == [  # type: ignore[union-attr]
            f"Счёт №{n} за ноябрь, Ёлка." for n in range(3)
        ]


def test_closing_with_work_unanswered_stops_the_worker(threads_left: None) -> None:
    parser = started(Parser(parse_faults.hanging, start_at=1))
    worker = parser._worker
    assert worker is not None
    parser.submit([(letter(0, parse_faults.HANG), LIMIT)])  # a cancelled sync's run
    parser.close()
    assert not parser.parallel
    with pytest.raises(ValueError, match="closed"):
        worker.process.is_alive()


CHILD = """
import os, sys
from services.mail.parse_worker import Parser
parser = Parser(start_at=1)
parser.start()
assert parser.wait_ready(60)
print(parser._worker.process.pid, flush=True)
os._exit(0)  # as a killed sync would: nobody closes the parser
"""


def test_the_worker_ends_when_its_parent_is_gone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=True
    )
    pid = int(done.stdout.split()[0])
    for _ in range(200):  # it looks every second
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, 9)
    pytest.fail("the worker outlived its parent")
