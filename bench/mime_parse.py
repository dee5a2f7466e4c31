"""parse_message's fast path against its reference path, over real letters.

    .venv/bin/python bench/mime_parse.py    # tests/data/mime and ../shared/testdata/mime
    .venv/bin/python bench/mime_parse.py DIR [DIR ...]

For every file: ``mime.read_message`` with the checked compat32 parse
and the HTML bounds' shortcut (what the import runs) and without them
(policy.default first, compat32 as the fallback, every HTML bound by a full
HTMLParser pass: the reference), compared field by field, warnings and
attachment bytes included; a refusal must be the same refusal. Prints how
many are identical and the CPU time of both; exit 1 on any difference.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.core.errors import UserError
from services.mail import html_bounds, mime

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (ROOT / "tests" / "data" / "mime", ROOT.parent / "shared" / "testdata" / "mime")
LIMIT = 25 * 1024 * 1024


def read(raw: bytes, *, checked: bool) -> object:
    shortcut = html_bounds._unchanged
    if not checked:  # the reference bounds every HTML by the full pass
        html_bounds._unchanged = lambda *_a: False
    try:
        return mime.read_message(raw, LIMIT, checked=checked)
    except UserError as exc:
        return (type(exc).__name__, str(exc))
    finally:
        html_bounds._unchanged = shortcut


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [d for d in DEFAULT if d.is_dir()]
    files = [p for d in folders for p in sorted(d.rglob("*")) if p.is_file()]
    differ: list[Path] = []
    fast = reference = 0.0
    for path in files:
        raw = path.read_bytes()
        start = time.process_time()
        got = read(raw, checked=True)
        fast += time.process_time() - start
        start = time.process_time()
        want = read(raw, checked=False)
        reference += time.process_time() - start
        if got != want:
            differ.append(path)
    for path in differ:
        print(f"DIFFERS: {path}")
    print(
        f"{len(files)} files in {', '.join(map(str, folders))}: "
        f"{len(files) - len(differ)} identical, {len(differ)} differ; CPU fast "
        f"{fast:.2f} s, reference {reference:.2f} s ({reference / max(fast, 1e-9):.2f}x)"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
