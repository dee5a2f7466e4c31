"""The fast parse (compat32, checked against policy.default's reading of the
Content-* fields) gives exactly what the policy.default parse gives: every
field, the text, the sanitized HTML, every attachment byte and every warning,
over the whole real corpus, the hostile letters and seeded damaged ones."""

from __future__ import annotations

from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest

from services.mail import mime, mime_headers
from services.mail.mime import ParsedMessage, UnparseableMessageError
from services.mail.mime_policy import CHECKED
from tests.hostile_mail import HOSTILE, corpus, mutations

DATA = Path(__file__).resolve().parent.parent / "data" / "mime"
LIMIT = 25 * 1024 * 1024


def _read(raw: bytes, *, checked: bool) -> ParsedMessage | tuple[str, str]:
    try:
        return mime.read_message(raw, LIMIT, checked=checked)
    except (mime.MessageTooLargeError, UnparseableMessageError) as exc:
        return (type(exc).__name__, str(exc))


class _Counting:
    """How often the checked compat32 parse completed (it steps aside on doubt)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.done = self.tried = 0
        walk = mime._walk

        def counted(raw: bytes, how: object, limit: int, *rest: object) -> object:
            if how is CHECKED:
                self.tried += 1
                result = walk(raw, how, limit, *rest)  # type: ignore[arg-type]
                self.done += 1
                return result
            return walk(raw, how, limit, *rest)  # type: ignore[arg-type]

        monkeypatch.setattr(mime, "_walk", counted)


def test_every_real_letter_reads_the_same_through_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    count = _Counting(monkeypatch)
    differ = [
        str(p.relative_to(DATA))
        for p in files
        if _read(p.read_bytes(), checked=True) != _read(p.read_bytes(), checked=False)
    ]
    assert differ == []
    assert len(files) > 500
    # the fast path is what the import runs, not a path that always steps aside
    assert count.done > 0.9 * count.tried > 0.8 * len(files)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_letters_read_the_same_through_the_fast_path(name: str) -> None:
    raw = HOSTILE[name]()
    assert _read(raw, checked=True) == _read(raw, checked=False)


def test_damaged_letters_read_the_same_through_the_fast_path() -> None:
    assert corpus()
    differ = [
        name
        for name, raw in mutations(600, seed=20261207)
        if _read(raw, checked=True) != _read(raw, checked=False)
    ]
    assert differ == []


def test_a_content_type_policy_default_reads_otherwise_takes_its_reading() -> None:
    """An unquoted '=' in the boundary: policy.default drops the parameter
    and finds no parts, so the letter is read as the reference path reads it
    (compat32 after the fallback, with its note)."""
    raw = (
        "From: Иван <ivan@romashka.ru>\r\nTo: alice@example.test\r\nSubject: счёт\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary==_b=\r\n\r\n"
        "--=_b=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nСчёт во вложении\r\n"
        "--=_b=\r\nContent-Type: application/pdf; name=schet.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--=_b=--\r\n"
    ).encode()
    fast, reference = _read(raw, checked=True), _read(raw, checked=False)
    assert fast == reference
    assert isinstance(fast, ParsedMessage)
    assert fast.text == "Счёт во вложении"
    assert [a.filename for a in fast.attachments] == ["schet.pdf"]


def test_plain_header_blocks_split_as_the_compat32_parser_splits_them() -> None:
    """The header scan splits plain blocks itself; whatever it accepts it
    splits exactly as the parser does (real letters, damaged ones, odd line ends)."""
    real = [mime_headers.header_block(p.read_bytes())[0] for p in corpus()]
    # most real letters take the fast split (mbox "From " lines and odd ones do not)
    assert sum(mime_headers.plain_fields(b) is not None for b in real) > 0.85 * len(real)
    blocks = real + [mime_headers.header_block(raw)[0] for _n, raw in mutations(600, seed=20261208)]
    blocks += [
        b"Subject: =?utf-8?B?0YHRh9GR0YI=?=\n\tfolded\nFrom: a@b.ru\n\n",
        b"Subject:\r\n continued\r\nTo: x@y.ru\r\n\r\n",
        b"Subject: cr\ralone\r\n\r\n",
        b" starts folded\r\nFrom: a@b.ru\r\n\r\n",
        b"From a@b.ru Mon Jan 1\r\nFrom: a@b.ru\r\n\r\n",
        "Subject: Счёт №5\r\n\r\n".encode(),
        b"Subject: no blank line at the end",
    ]
    for block in blocks:
        fields = mime_headers.plain_fields(block)
        if fields is not None:
            parsed = BytesHeaderParser(policy=policy.compat32).parsebytes(block)
            assert fields == list(parsed.raw_items()), block[:200]


def _content_types() -> list[str]:
    """Every Content-Type value with a boundary in the real corpus, and odd ones."""
    found: set[str] = set()
    for path in corpus():
        try:
            message = BytesHeaderParser(policy=policy.compat32).parsebytes(path.read_bytes())
        except Exception:  # noqa: BLE001 - a letter the parser refuses adds no value
            continue
        found.update(v for k, v in message.raw_items() if k.lower() == "content-type")
    found.update(
        [
            'multipart/mixed; boundary="b"; charset="koi8-r"',
            "multipart/alternative;\r\n\tboundary=abc-1.2+3;\r\n\tcharset=utf-8",
            'MULTIPART/RELATED; BOUNDARY="x/y:z=w"; type="text/html"',
            'multipart/mixed; boundary="a"; boundary="b"',
            "multipart/mixed; boundary=a=b",
            'multipart/mixed; name="x; boundary=y"; boundary="z"',
            'multipart/mixed; name="x; boundary=y;"',
            'multipart/mixed; name="x; boundary=y;"; boundary=z',
            'multipart/mixed; boundary="=?utf-8?q?x?="',
            "text/plain; charset=utf-8",
        ]
    )
    return sorted(v for v in found if "boundary" in v.lower())


def test_a_plain_boundary_does_not_change_whether_the_readings_agree() -> None:
    """The check runs once per value shape, not per boundary: for a plain
    boundary both readings hand it on as it is, so the cached answer for
    the shape is the answer for every such value."""
    import random

    from services.mail import mime_policy

    check = mime_policy._same_reading.__wrapped__  # type: ignore[attr-defined]
    rng = random.Random(20261206)
    quoted, bare = "abzAZ09_.=+/:-", "abzAZ09_.+-"
    values = _content_types()
    shaped = [v for v in values if mime_policy._shape(v) != v]
    assert len(shaped) > 0.8 * len(values) > 100
    plain = mime_policy._PLAIN_BOUNDARY
    for value in shaped:
        assert check("content-type", value) == check("content-type", mime_policy._shape(value))
        for _ in range(3):
            alphabet = quoted if plain.search(value).group(2).startswith('"') else bare  # type: ignore[union-attr]
            boundary = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 71)))
            text = boundary if alphabet is bare else f'"{boundary}"'
            other = plain.sub(lambda m, t=text: m.group(1) + t, value)
            assert mime_policy._shape(other) == mime_policy._shape(value)
            assert check("content-type", other) == check("content-type", value), other
            reading = mime_policy._reading("content-type", other)
            if check("content-type", other) and reading[1] is not None:  # None: inside a name
                assert reading[1] == boundary
