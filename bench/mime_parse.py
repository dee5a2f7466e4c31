"""parse_message's fast path against its reference path, over real letters.

    .venv/bin/python bench/mime_parse.py    # tests/data/mime and ../shared/testdata/mime
    .venv/bin/python bench/mime_parse.py DIR [DIR ...]

For every file: ``mime.read_message`` with the checked compat32 parse, the
splitter (mime_split.py) and the HTML bounds' shortcut (what the import
runs) and without them (policy.default first, compat32 as the fallback,
every HTML bound by a full HTMLParser pass: the reference), compared field
by field, warnings and attachment bytes included; a refusal must be the
same refusal. Exit 1 on any difference.

Then the parse's CPU per letter, min of 5 rounds: the fast path, the same
without the splitter (feedparser with the checked policy: the path before
the splitter) and the reference, on bench/mail.py's own ~8 KB letters and
on the files; and the file whose fast parse is slowest against the path
without the splitter (per-letter min of 5), as the worst case.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.core.errors import UserError
from services.mail import html_bounds, mime

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (ROOT / "tests" / "data" / "mime", ROOT.parent / "shared" / "testdata" / "mime")
LIMIT = 25 * 1024 * 1024
ROUNDS = 5


def read(raw: bytes, *, checked: bool, split: bool = True) -> object:
    shortcut, splitter = html_bounds._unchanged, mime.split_message
    if not checked:  # the reference bounds every HTML by the full pass
        html_bounds._unchanged = lambda *_a: False
    if not split:
        mime.split_message = lambda _raw, _how, **_kw: None  # type: ignore[assignment]
    try:
        return mime.read_message(raw, LIMIT, checked=checked)
    except UserError as exc:
        return (type(exc).__name__, str(exc))
    finally:
        html_bounds._unchanged, mime.split_message = shortcut, splitter


PATHS: dict[str, Callable[[bytes], object]] = {
    "fast": lambda raw: read(raw, checked=True),
    "no splitter": lambda raw: read(raw, checked=True, split=False),
    "reference": lambda raw: read(raw, checked=False),
}


def cpu_per_letter(raws: list[bytes], how: Callable[[bytes], object]) -> float:
    """CPU seconds a letter, min over ROUNDS rounds of the whole list."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        for raw in raws:
            how(raw)
        best = min(best, time.process_time() - start)
    return best / max(len(raws), 1)


def bench_letters(count: int = 300) -> list[bytes]:
    """bench/mail.py's letters: text and HTML alternatives in base64, ~8 KB."""
    sys.path.insert(0, str(ROOT / "bench"))
    import mail  # bench/mail.py

    rng = random.Random(1)
    return [mail.message(n, rng) for n in range(count)]


def worst(files: list[Path]) -> tuple[float, Path, float, float]:
    """(ratio, file, fast, no splitter) of the file whose fast parse is slowest
    against the path without the splitter, per-letter CPU min of ROUNDS."""
    found: tuple[float, Path, float, float] = (0.0, files[0], 0.0, 0.0)
    for path in files:
        raw = path.read_bytes()
        fast = cpu_per_letter([raw], PATHS["fast"])
        before = cpu_per_letter([raw], PATHS["no splitter"])
        ratio = fast / max(before, 1e-9)
        if ratio > found[0]:
            found = (ratio, path, fast, before)
    return found


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [d for d in DEFAULT if d.is_dir()]
    files = [p for d in folders for p in sorted(d.rglob("*")) if p.is_file()]
    differ = [
        p
        for p in files
        if read(p.read_bytes(), checked=True) != read(p.read_bytes(), checked=False)
    ]
    for path in differ:
        print(f"DIFFERS: {path}")
    print(
        f"{len(files)} files in {', '.join(map(str, folders))}: "
        f"{len(files) - len(differ)} identical to the reference, {len(differ)} differ"
    )
    raws = [p.read_bytes() for p in files]
    for label, letters in (("bench/mail.py letters (300)", bench_letters()), ("the files", raws)):
        times = {name: cpu_per_letter(letters, how) for name, how in PATHS.items()}
        print(
            f"{label}: CPU a letter, min of {ROUNDS}: "
            + ", ".join(f"{name} {seconds * 1e6:,.0f} µs" for name, seconds in times.items())
            + f"; no splitter / fast {times['no splitter'] / times['fast']:.2f}x, "
            f"reference / fast {times['reference'] / times['fast']:.2f}x"
        )
    ratio, path, fast, before = worst(files)
    print(
        f"worst file: {path.relative_to(path.parents[len(path.parents) - 4])} fast "
        f"{fast * 1e6:,.0f} µs, without the splitter {before * 1e6:,.0f} µs ({ratio:.2f}x)"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
