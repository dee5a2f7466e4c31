"""Hostile and mutated letters for the MIME and sync robustness tests.

``HOSTILE``: builders of the letters issue 14 names (a thousand group
prefixes, parts nested 10,000 deep, megabyte header lines, 100,000 parts,
broken boundaries, NUL bytes). ``mutations``: seeded random damage to the
real letters under tests/data/mime (see SOURCES.md there for their origin
and licences).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

ALICE = "alice@example.test"
IVAN = "ivan@romashka.ru"
HEAD = f"From: Иван <{IVAN}>\r\nTo: {ALICE}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n"


def _groups() -> bytes:
    """To: x:x:x:…<b@example.com>: getaddresses recurses once per prefix."""
    to = "x:" * 1000 + "<b@example.com>"
    return f"{HEAD}Cc: {to}\r\nSubject: группы\r\n\r\nтело\r\n".encode().replace(
        b"To: ", b"To: " + to.encode() + b", ", 1
    )


def _nested() -> bytes:
    out = f"{HEAD}Subject: deep\r\nMIME-Version: 1.0\r\n".encode()
    for n in range(10_000):
        out += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (n, n)
    out += "Content-Type: text/plain; charset=utf-8\r\n\r\nглубоко\r\n".encode()
    return out + b"".join(b"--b%d--\r\n" % n for n in reversed(range(10_000)))


def _huge_header() -> bytes:
    return f"{HEAD}Subject: {'Щ' * 2_000_000}\r\nX-Long: {'a' * 3_000_000}\r\n\r\nbody\r\n".encode()


def _many_parts() -> bytes:
    head = (
        f'{HEAD}Subject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"'
    )
    part = b"--B\r\nContent-Type: text/plain\r\n\r\nx\r\n"
    return head.encode() + b"\r\n\r\n" + part * 100_000 + b"--B--\r\n"


def _broken_boundaries() -> bytes:
    return (
        f'{HEAD}Subject: boundaries\r\nContent-Type: multipart/mixed; boundary="B\r\n\r\n'
        "--B\r\nContent-Type: multipart/alternative; boundary=\r\n\r\n--\r\nтекст\r\n--B"
    ).encode()


def _nul_bytes() -> bytes:
    return (
        f"From: Iv\0an <{IVAN}>\r\nTo: \0<b@ex\0ample.com>, {ALICE}\r\n"
        "Subject: \0nul =?utf-8?q?a=00b?=\r\nMessage-ID: <\0@x>\r\n"
        'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nте\0кст\0\r\n"
        '--B\r\nContent-Type: application/x-bin; name="f\0.bin"\r\n\r\n\0\0\r\n--B--\r\n'
    ).encode()


HOSTILE: dict[str, Callable[[], bytes]] = {
    "thousand group prefixes": _groups,
    "parts nested 10,000 deep": _nested,
    "5 MB header lines": _huge_header,
    "100,000 parts": _many_parts,
    "broken boundaries": _broken_boundaries,
    "NUL bytes": _nul_bytes,
}


DATA = Path(__file__).resolve().parent / "data" / "mime"
_LIMIT = 2 * 1024 * 1024  # the two larger corpus files are tested on their own

_TOKENS = (
    b"\0",
    b"\r\n\r\n",
    b"\r\n--",
    b'\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n',
    b"\r\nContent-Type: message/rfc822\r\n\r\n",
    b"=?utf-8?b?0J/RgNC40LLQtdGC?=",
    b"=?koi8-r?q?=F0=D2=C9?=",
    b"x:" * 600,
    b"(" * 500,
    b'"' * 3,
    b"<" * 200,
    b"\xff\xfe\xd0",
    b"A" * 100_000,
    b"\r\nTo: " + b"a@b, " * 2000,
    b"; filename*=utf-8''%D0%A4",
    b"\r\nContent-Transfer-Encoding: base64\r\n",
)


def corpus() -> list[Path]:
    """The real letters, smallest first (stable order for seeded mutations)."""
    files = [
        p
        for p in DATA.rglob("*")
        if p.is_file()
        and p.name not in {"SOURCES.md", ".gitattributes", "COPYING"}
        and not p.name.endswith("LICENSE.txt")
        and p.stat().st_size <= _LIMIT
    ]
    return sorted(files, key=lambda p: (p.stat().st_size, str(p)))


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """RAW with one to four kinds of damage: flipped bytes, a cut, a repeated
    or moved slice, a hostile token at a random place."""
    data = bytearray(raw or b"x")
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(5)
        at = rng.randrange(len(data) + 1)
        if kind == 0:
            for _ in range(rng.randint(1, 16)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            data = data[: max(at, 1)]
        elif kind == 2:
            piece = data[at : at + rng.randint(1, 4096)]
            data[at:at] = piece * rng.randint(1, 50)
        elif kind == 3:
            data[at:at] = rng.choice(_TOKENS) * rng.choice((1, 1, 1, 20))
        else:
            start = rng.randrange(len(data) + 1)
            piece = data[start : start + rng.randint(1, 2048)]
            del data[start : start + len(piece)]
            data[at:at] = piece
    return bytes(data)


def mutations(count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """COUNT (name, damaged letter) pairs over the corpus, reproducible by SEED."""
    rng = random.Random(seed)
    files = corpus()
    for n in range(count):
        path = files[rng.randrange(len(files))]
        yield f"{path.relative_to(DATA)}#{n}", mutate(path.read_bytes(), rng)


Builder = Callable[[], bytes]
