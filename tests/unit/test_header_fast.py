"""The header scan's fast readers (services/mail/header_fast.py) give exactly
what the general readers give: on every header of the MIME corpus
(tests/data/mime, the copy of ../shared/testdata/mime) and on thousands of
seeded tricky values. Where a fast reader answers, the general one must
answer the same (and note nothing); where it passes, the general one reads."""

from __future__ import annotations

import base64
import binascii
import email
import random
import re
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest

from services.mail import header_fast, mime_headers
from services.mail.header_lines import plain_fields, plain_values
from services.mail.mime_text import decode_words
from tests.hostile_mail import corpus, mutations

DATA = Path(__file__).resolve().parent.parent / "data" / "mime"
CORPUS = sorted(
    p for p in DATA.rglob("*") if p.is_file() and p.name not in ("SOURCES.md", ".gitattributes")
)
FIELDS = ("subject", "from", "to", "cc", "date", "message-id", "in-reply-to", "references")


def _corpus_values() -> Iterator[tuple[str, str]]:
    """(field, unfolded value) of every field above in every part of every
    corpus letter, its top-level header block read as the scan reads it."""
    for path in CORPUS:
        raw = path.read_bytes()
        block = mime_headers.header_block(raw)[0]
        for name, value in mime_headers.plain_fields(block) or []:
            if name.strip().lower() in FIELDS:
                yield name.strip().lower(), mime_headers.unfold(value)
        message = email.message_from_bytes(raw[:2_000_000], policy=policy.compat32)
        for count, part in enumerate(message.walk()):
            if count > 200:
                break
            for name, value in part.raw_items():
                if name.strip().lower() in FIELDS:
                    yield name.strip().lower(), mime_headers.unfold(value)


def _slow_date(value: str, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as general:  # a pattern nothing matches: email.utils only
        general.setattr(header_fast, "PLAIN_DATE", re.compile(r"(?!)"))
        return mime_headers._date(value)


def _slow_id(value: str, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as general:
        general.setattr(header_fast, "message_id", lambda _value: None)
        return mime_headers._msg_id(value)


def _same(value: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int]:
    """Checks VALUE as a Subject, a Date and a Message-ID; which fast readers answered."""
    fast_words = header_fast.words(value)
    if fast_words is not None:
        notes: list[str] = []
        assert fast_words == decode_words(value, notes), value
        assert notes == [], value
    fast_date = header_fast.date(value)
    if fast_date is not False:
        slow = _slow_date(value, monkeypatch)
        assert fast_date == slow, value
        assert getattr(fast_date, "tzinfo", None) == getattr(slow, "tzinfo", None), value
    fast_id = header_fast.message_id(value)
    if fast_id is not None:
        assert fast_id == _slow_id(value, monkeypatch), value
    return fast_words is not None, fast_date is not False, fast_id is not None


def test_every_corpus_header_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    values = dict.fromkeys(_corpus_values())
    assert len(values) > 1500
    hits = [_same(value, monkeypatch) for _field, value in values]
    words, dates, ids = (sum(column) for column in zip(*hits, strict=True))
    assert words > 25  # the fast paths were taken, not skipped
    assert dates > 250
    assert ids > 300


def test_every_corpus_letter_has_the_same_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole ParsedHeaders and notes with the fast readers and without them."""
    fast = []
    for path in CORPUS:
        notes: list[str] = []
        fast.append(
            (
                mime_headers.safe_headers(mime_headers.header_block(path.read_bytes())[0], notes),
                notes,
            )
        )
    monkeypatch.setattr(header_fast, "words", lambda _value: None)
    monkeypatch.setattr(header_fast, "message_id", lambda _value: None)
    monkeypatch.setattr(header_fast, "PLAIN_DATE", re.compile(r"(?!)"))
    for path, (headers, notes) in zip(CORPUS, fast, strict=True):
        slow_notes: list[str] = []
        block = mime_headers.header_block(path.read_bytes())[0]
        assert mime_headers.safe_headers(block, slow_notes) == headers, path
        assert slow_notes == notes, path


CHARSETS = [
    *("utf-8", "UTF-8", "Utf-8", "koi8-r", "KOI8-R", "windows-1251", "Windows-1251"),
    *("iso-8859-1", "utf-8*ru", "x-unknown", "utf8", "cp1251", "us-ascii", "koi8-u"),
]
TEXTS = ["Счёт №17 на оплату", "договор", "ёЁ Привет", "price 10%", "a_b=c?d", "", "\x00", "€"]


def _encode(rng: random.Random, charset: str, encoding: str, text: str, clean: bool) -> str:
    codec = {"windows-1251": "cp1251", "utf-8*ru": "utf-8", "x-unknown": "utf-8"}.get(
        charset.lower(), charset.lower()
    )
    try:
        data = text.encode(codec)
    except (LookupError, UnicodeError):
        data = text.encode("utf-8")
    if rng.random() < 0.1 and not clean:
        data = data[: rng.randrange(len(data) + 1)]  # a character cut in two
    if rng.random() < 0.05 and not clean:
        data += bytes([rng.randrange(0x80, 0x100)])  # an invalid byte
    if encoding in "bB":
        payload = base64.b64encode(data).decode()
        twist = 1.0 if clean else rng.random()
        if twist < 0.05:
            payload = payload.rstrip("=")  # padding left out
        elif twist < 0.1:
            payload += "A"  # one character too many: incorrect padding
        elif twist < 0.13:
            payload = payload[:1] + "*" + payload[1:]  # not base64
        elif twist < 0.16:
            payload += "=="
    else:
        payload = binascii.b2a_qp(data, header=True).decode()
        if rng.random() < 0.05 and not clean:
            payload += "=Z"  # a broken escape
    return f"=?{charset}?{encoding}?{payload}?="


SEPARATORS = ["", " ", "\t", "  ", " \t ", "\r\n ", " x ", "-", "=?", "?=", " =? ", " Re: ", "\x01"]
PLAIN = ["Re:", "Fwd: ", "plain ASCII", "Ответ:", "", " ", "a=?b", "=?utf-8?b?", "?=", "\x7f"]


def _tricky_subject(rng: random.Random) -> str:
    """Words, separators and plain text; a third of them in the common shapes only."""
    clean = rng.random() < 0.35
    charsets = CHARSETS[:7] if clean else CHARSETS
    separators = SEPARATORS[:7] if clean else SEPARATORS
    texts = TEXTS[:6] if clean else TEXTS
    pieces: list[str] = []
    if rng.random() < 0.3:
        pieces.append(rng.choice(PLAIN[:4] if clean else PLAIN))
    for index in range(rng.randrange(1, 6)):
        if index:
            pieces.append(rng.choice(separators))
        charset = rng.choice(charsets)
        if rng.random() < 0.5 and index:  # the same charset again: words to join
            charset = pieces[-2].split("?")[1] if pieces[-2].startswith("=?") else charset
        encoding = rng.choice("bBqQ" if clean else "bBqQbqx")
        text = rng.choice(texts) * (60 if rng.random() < 0.03 else 1)  # over-long words too
        pieces.append(_encode(rng, charset, encoding, text, clean))
    if rng.random() < 0.3:
        pieces.append(rng.choice(PLAIN[:4] if clean else PLAIN))
    return "".join(pieces)


def test_seeded_subjects_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261207)
    values = [_tricky_subject(rng) for _ in range(6000)]
    hits = sum(_same(value, monkeypatch)[0] for value in values)
    assert 1000 < hits < len(values)  # both paths taken


def test_seeded_dates_and_ids_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    days = ["Mon, ", "Thu, ", "", "Thu,", "thu, ", "Foo, "]
    months = ["Jan", "Feb", "Dec", "jan", "Sept", "Mär"]
    zones = ["+0000", "-0000", "+0300", "-0930", "+2359", "+2400", "-2400", "+0099", "-9999"]
    years = ["2026", "1969", "1970", "2100", "2099", "1900", "26", "99", "02026"]
    zones += ["GMT", "UT", "EST", "+03", "Z", "+03:00", "(MSK)", "+0300 (MSK)"]
    dates = []
    for _ in range(4000):
        canonical = rng.random() < 0.5  # the fast path's shape, with its out-of-range fields
        day = f"{rng.randrange(0, 40):0{rng.choice([1, 2])}d}"
        year = rng.choice(years[:6] if canonical else years)
        clock = f"{rng.randrange(0, 26):02d}:{rng.randrange(0, 62):02d}" + (
            f":{rng.randrange(0, 62):02d}"
            if canonical
            else rng.choice(["", f":{rng.randrange(0, 62):02d}", ":60"])
        )
        space = " " if canonical else rng.choice([" ", " ", " ", "  ", "\t"])
        day_name = rng.choice(days[:3] if canonical else days)
        month = rng.choice(months[:3] if canonical else months)
        zone = rng.choice(zones[:9] if canonical else zones)
        dates.append(f"{day_name}{day}{space}{month} {year} {clock} {zone}")
    dates += ["2026-01-01T10:00:00+03:00", "", " ", "Thu, 01 Jan 2026 00:00:00 +0000 extra"]
    tokens = ["a@b", "bench0.5b06258e@company.example", "x", "@", "-", "a(b)c@d", "a b@c"]
    tokens += ["Ё@ё", "a<b@c", "a>b@c", 'a"b@c', "x" * 998 + "@a", "x" * 999 + "@a", "...."]
    ids = []
    for _ in range(3000):
        token = rng.choice(tokens)
        shape = rng.choice(["<{}>", "{}", "<{}> <b@c>", " <{}>", "<{}>(comment)", "<<{}>>"])
        ids.append(shape.format(token))
    dates_hit = sum(_same(value, monkeypatch)[1] for value in dates)
    ids_hit = sum(_same(value, monkeypatch)[2] for value in ids)
    assert 300 < dates_hit < len(dates)
    assert 100 < ids_hit < len(ids)


def test_plain_blocks_give_the_values_the_general_split_gives() -> None:
    """``plain_values`` (the scan's split and unfolding in one pass) equals
    ``plain_fields`` then ``read_headers``' collection, on the corpus, 1,500
    damaged letters and odd line ends; it declines what it cannot be sure of."""
    blocks = [mime_headers.header_block(p.read_bytes())[0] for p in corpus()]
    blocks += [mime_headers.header_block(raw)[0] for _n, raw in mutations(1500, seed=20261207)]
    blocks += [
        b"Subject: =?utf-8?B?0YHRh9GR0YI=?=\n\tfolded\nFrom: a@b.ru\n\n",
        b"Subject:\r\n continued\r\nTo: x@y.ru\r\n\r\n",
        b"Subject:   \r\n \r\n\t\r\nTo: x@y.ru\r\n\r\n",
        b"Subject: cr\ralone\r\n\r\n",
        b" starts folded\r\nFrom: a@b.ru\r\n\r\n",
        b"X-Other: a\r\n folded\r\nSubject: b\r\n",
        b"To: a@b.ru\r\n" * 9 + b"\r\n",
        b"Subject: " + b"x" * 70_000 + b"\r\n\r\n",
        "Subject: Счёт №5\r\n\r\n".encode(),
        b"Subject: no blank line at the end",
    ]
    taken = 0
    for block in blocks:
        values = plain_values(block, mime_headers._USED, 64 * 1024, 8)
        if values is None:
            continue
        taken += 1
        notes: list[str] = []
        general = mime_headers._collect(plain_fields(block) or [], notes)
        assert values == general, block[:200]
        assert notes == [], block[:200]
    assert taken > 0.8 * len(corpus())
