"""The reporting side of bench/mail.py: rounds, ratios, verdicts, where the time goes.

``Rounds`` keeps every timed run of a bench (raw fetches and syncs) and
turns them into the ratios the issue's targets are about; ``GcWatch``
counts the garbage collector's full collections inside the timed syncs
(a full one of ~170k objects takes ~0.2-0.5 s and falls into a run now
and then); ``phases`` and ``profile_sync`` say where a sync's time goes.
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import io
import os
import pstats
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from services.mail import imap_sync

Timed = tuple[float, float, imap_sync.SyncResult]  # (seconds, CPU seconds, result)


class GcWatch:
    """Full (generation 2) collections while it is on, and their time."""

    def __init__(self) -> None:
        self.full = 0
        self.seconds = 0.0
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.full += 1
            self.seconds += time.perf_counter() - self._started

    @contextlib.contextmanager
    def on(self) -> Iterator[None]:
        gc.callbacks.append(self._callback)
        try:
            yield
        finally:
            gc.callbacks.remove(self._callback)


class Rounds:
    """The timed runs of every round: the best of each side makes the ratio
    (as before), and the per-round ratios show how far one run may swing."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.gc = GcWatch()  # on during the timed syncs
        self.raw: dict[str, list[tuple[int, float, float]]] = {"header": [], "full": []}
        self.syncs: dict[float, list[Timed]] = {}

    def add(self, share: float, timed: Timed) -> None:
        result = timed[2]
        seen = result.imported + result.unlinked + len(result.skipped)
        assert seen == self.count, (result, self.count)
        self.syncs.setdefault(share, []).append(timed)

    def best_raw(self, kind: str) -> float:
        runs = self.raw[kind]
        assert all(n == self.count for n, _s, _c in runs), (runs, self.count)
        return min(s for _n, s, _c in runs)

    def raw_cpu(self, kind: str) -> str:
        cpu = min(c for _n, _s, c in self.raw[kind])
        return f"client CPU {cpu * 1e6 / self.count:.0f} us/msg"

    def best(self, share: float) -> Timed:
        return min(self.syncs[share], key=lambda t: t[0])

    def ratios(self, share: float, kind: str) -> list[float]:
        return [
            raw[1] / sync[0] for raw, sync in zip(self.raw[kind], self.syncs[share], strict=True)
        ]

    def spread(self, share: float, kind: str) -> list[float]:
        ratios = self.ratios(share, kind)
        return [min(ratios), statistics.median(ratios), max(ratios)]

    def round_line(self, attempt: int) -> str:
        def one(share: float, kind: str) -> str:
            raw, sync = self.raw[kind][attempt], self.syncs[share][attempt]
            return (
                f"raw {raw[1]:.2f} s, sync {share:.0%} {sync[0]:.2f} s "
                f"(CPU {sync[1] * 1e6 / self.count:.0f} us/msg) = {raw[1] / sync[0]:.0%}"
            )

        return (
            f"  round {attempt + 1}: {one(0.02, 'header')}; {one(0.20, 'full')}; {load_average()}"
        )

    def gc_line(self) -> str:
        syncs = sum(len(runs) for runs in self.syncs.values())
        return (
            f"  full GC collections inside the {syncs} timed syncs: {self.gc.full} "
            f"({self.gc.seconds * 1000:.0f} ms)"
        )


def load_average() -> str:
    """The machine's load: on a shared machine the wall-clock ratios move with it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def row(label: str, count: int, seconds: float, base: float | None, extra: str = "") -> str:
    ratio = f"{rate(count, seconds) / base:6.0%}" if base else "      "
    return f"  {label:<34} {seconds:7.2f} s {rate(count, seconds):8.0f} msg/s {ratio}  {extra}"


def verdict(
    name: str, value: float, target: float, spread: list[float], cpu_us: float
) -> tuple[str, dict[str, Any]]:
    """The best runs' ratio against the target, with the per-round spread."""
    ok = value >= target
    low, median, high = spread
    text = (
        f"  {name}: {value:.0%} (target >= {target:.0%}) {'OK' if ok else 'MISSED'}; "
        f"rounds {low:.0%} / {median:.0%} / {high:.0%} (min / median / max)"
    )
    return text, {
        "name": name,
        "ratio": round(value, 3),
        "target": target,
        "ok": ok,
        "rounds": [round(v, 3) for v in spread],
        "cpu_us_per_msg": round(cpu_us),
    }


def profile_sync(sync: Callable[[], object], top: int = 10) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    sync()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(r"services/", top)
    return out.getvalue()


class _Timed:
    """Inclusive time and calls of a few functions, patched in for one run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def call(self, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start
            self.calls[label] = self.calls.get(label, 0) + 1

    @contextlib.contextmanager
    def patch(self, owner: Any, name: str, label: str) -> Iterator[None]:
        original = getattr(owner, name)
        setattr(owner, name, lambda *a, **k: self.call(label, original, *a, **k))
        try:
            yield
        finally:
            setattr(owner, name, original)


FETCH = "IMAP FETCH, headers and bodies"
PHASES = (
    ("fetch_answer", "complete", FETCH),
    ("mime", "parse_headers", "mime.parse_headers"),
    ("rule", "candidates_of", "rule.candidates_of"),
    ("ChunkWriter", "write", "ChunkWriter.write (per batch)"),
    ("mime", "parse_message", "  of which mime.parse_message"),
    ("UnitOfWork", "commit", "UnitOfWork.commit"),
)


def phases(sync: Callable[[], object]) -> str:
    """Where a sync spends its time, without a profiler's overhead."""
    from services.core.storage import UnitOfWork
    from services.linking import rule
    from services.mail import fetch_answer, mail_store, mime

    owners = {
        "fetch_answer": fetch_answer,
        "mime": mime,
        "rule": rule,
        "ChunkWriter": mail_store.ChunkWriter,
        "UnitOfWork": UnitOfWork,
    }
    timed = _Timed()
    with contextlib.ExitStack() as stack:
        for owner, name, label in PHASES:
            stack.enter_context(timed.patch(owners[owner], name, label))
        start = time.perf_counter()
        sync()
        total = time.perf_counter() - start
    lines = [f"  {'sync_account':<36} {total:6.2f} s  100%"]
    for _owner, _name, label in PHASES:
        seconds = timed.seconds.get(label, 0.0)
        lines.append(
            f"  {label:<36} {seconds:6.2f} s {seconds / total:4.0%}  "
            f"{timed.calls.get(label, 0)} calls"
        )
    return "\n".join(lines)
