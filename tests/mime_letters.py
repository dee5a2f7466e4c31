"""Seeded generated letters for the MIME fast path's tests (test_mime_split.py).

``letters(count, seed)`` builds multipart letters of random shape (nested
multiparts, text and HTML in several charsets and transfer encodings,
attachments with Cyrillic names, CRLF or LF) and then, for most of them,
damages them the way mail gets damaged: cut anywhere, a delimiter dropped,
doubled or closed early, a part's header block cut, bad base64, a
delimiter with trailing blanks, a dash line that is almost a delimiter,
nesting deeper than the parser's limits, a megabyte part.
"""

from __future__ import annotations

import base64
import quopri
import random
from collections.abc import Iterator

_WORDS = ("счёт", "договор", "оплата", "invoice", "meeting", "Grüße", "报价", "ok", "--", "=")
_CHARSETS = ("utf-8", "koi8-r", "windows-1251", "iso-8859-1", "us-ascii", "x-unknown", "")
_ENCODINGS = ("base64", "quoted-printable", "8bit", "7bit", "", "BASE64", "binary")
_KINDS = ("mixed", "alternative", "related", "signed", "report")


def _text(rng: random.Random, size: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(size))


def _encode(rng: random.Random, data: bytes, encoding: str, nl: bytes) -> bytes:
    if encoding.lower() == "base64":
        encoded = base64.encodebytes(data).replace(b"\n", nl)
        if rng.random() < 0.1:  # bad base64: a stray character or a cut
            at = rng.randrange(len(encoded) + 1)
            encoded = encoded[:at] + rng.choice((b"!", b"=", b"", b"\xff")) + encoded[at:]
        return encoded
    if encoding == "quoted-printable":
        return quopri.encodestring(data).replace(b"\n", nl)
    return data.replace(b"\n", nl)


def _leaf(rng: random.Random, nl: bytes) -> bytes:
    kind = rng.choice(("text/plain", "text/html", "application/pdf", "image/png", "text/calendar"))
    charset = rng.choice(_CHARSETS)
    encoding = rng.choice(_ENCODINGS)
    text = _text(rng, rng.randrange(0, 60))
    if kind == "text/html":
        text = f"<html><body><p>{text}</p><div>{_text(rng, 5)} &amp; </div></body></html>"
    codec = charset if charset not in ("", "x-unknown", "us-ascii") else "utf-8"
    data = text.encode(codec, "replace")
    if kind in ("application/pdf", "image/png"):  # binary: base64, as mailers send it
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        encoding = "base64"
    head = [f"Content-Type: {kind}" + (f'; charset="{charset}"' if charset else "")]
    if kind in ("application/pdf", "image/png") or rng.random() < 0.1:
        name = rng.choice(("report.pdf", "scan 1.png", "счёт.pdf", "=?utf-8?b?0YHRh9GR0YI=?=.pdf"))
        name = rng.choice((name, name, name, "x;y.bin"))
        head[0] += f'; name="{name}"'
        head.append(f'Content-Disposition: attachment; filename="{name}"')
    if encoding:
        head.append(f"Content-Transfer-Encoding: {encoding}")
    if rng.random() < 0.1:
        head.append(f"Content-ID: <part{rng.randrange(99)}@x>")
    block = nl.join(h.encode("utf-8") for h in head) + nl + nl
    return block + _encode(rng, data, encoding, nl)


def _multipart(rng: random.Random, nl: bytes, depth: int, number: list[int]) -> bytes:
    number[0] += 1
    boundary = rng.choice(("b{}", "==b{}==", "----=_Part_{}", "x{}.y+z", "{}")).format(number[0])
    quoted = f'"{boundary}"' if rng.random() < 0.7 else boundary
    head = f"Content-Type: multipart/{rng.choice(_KINDS)};{nl.decode()}\tboundary={quoted}"
    out = [head.encode() + nl + nl]
    if rng.random() < 0.2:
        out.append(b"This is a multi-part message in MIME format." + nl)
    for _ in range(rng.randrange(1, 4)):
        out.append(b"--" + boundary.encode() + nl)
        if depth < 6 and rng.random() < 0.3:
            out.append(_multipart(rng, nl, depth + 1, number))
        else:
            out.append(_leaf(rng, nl))
        out.append(nl)
    out.append(b"--" + boundary.encode() + b"--" + nl)
    if rng.random() < 0.2:
        out.append(b"epilogue" + nl)
    return b"".join(out)


def letter(rng: random.Random) -> bytes:
    """One letter of random shape, undamaged."""
    nl = b"\r\n" if rng.random() < 0.7 else b"\n"
    head = [
        "From: Иван Петров <ivan@romashka.ru>",
        "To: alice@example.test",
        f"Subject: =?utf-8?b?{base64.b64encode(_text(rng, 3).encode()).decode()}?=",
        "Date: Mon, 2 Nov 2026 10:00:00 +0300",
        f"Message-ID: <gen{rng.randrange(10**9)}@romashka.ru>",
        "MIME-Version: 1.0",
    ]
    block = nl.join(h.encode() for h in head) + nl
    if rng.random() < 0.2:
        return block + _leaf(rng, nl)
    return block + _multipart(rng, nl, 0, [0])


def _deep(rng: random.Random, levels: int) -> bytes:
    out = b"From: a@b.ru\r\nMIME-Version: 1.0\r\n"
    for n in range(levels):
        out += b'Content-Type: multipart/mixed; boundary="d%d"\r\n\r\n--d%d\r\n' % (n, n)
    out += "Content-Type: text/plain; charset=utf-8\r\n\r\nглубоко\r\n".encode()
    return out + b"".join(b"--d%d--\r\n" % n for n in reversed(range(levels)))


def damage(raw: bytes, rng: random.Random) -> bytes:
    """RAW with one kind of damage real mail shows (see the module docstring)."""
    kind = rng.randrange(10)
    lines = raw.split(b"\n")
    dashes = [n for n, line in enumerate(lines) if line.startswith(b"--")]
    if kind == 0:
        return raw[: rng.randrange(len(raw) + 1)]
    if kind == 1 and dashes:
        del lines[rng.choice(dashes)]
    elif kind == 2 and dashes:
        at = rng.choice(dashes)
        lines.insert(at, lines[at])
    elif kind == 3 and dashes:
        at = rng.choice(dashes)
        lines[at] = lines[at].rstrip(b"\r") + rng.choice((b"--", b" \t", b"x", b"--  ", b"-"))
    elif kind == 4:
        at = rng.randrange(len(lines) + 1)
        lines.insert(
            at, rng.choice((b"--", b"-- ", b"--b", b"", b"\r", b"Content-Type: text/html"))
        )
    elif kind == 5 and dashes:  # a part's header block cut: no empty line
        at = rng.choice(dashes) + 1
        while at < len(lines) and lines[at].strip():
            at += 1
        if at < len(lines):
            del lines[at]
    elif kind == 6:
        return raw.replace(b"\r\n", b"\n", rng.randrange(1, 20))  # mixed line ends
    elif kind == 7:
        return raw.replace(b"\r\n", b"\r", 1)  # a lone CR
    elif kind == 8:
        return _deep(rng, rng.choice((5, 29, 30, 31, 40)))
    else:
        at = rng.randrange(len(raw) + 1)
        return raw[:at] + rng.choice((b"A" * 1_000_000, b"\r\n" * 5000, b"\x00\xff")) + raw[at:]
    return b"\n".join(lines)


def letters(count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """COUNT (name, letter) pairs, three in four damaged, reproducible by SEED."""
    rng = random.Random(seed)
    for n in range(count):
        raw = letter(rng)
        damaged = rng.random() < 0.75
        yield f"generated#{n}{' damaged' if damaged else ''}", damage(raw, rng) if damaged else raw
