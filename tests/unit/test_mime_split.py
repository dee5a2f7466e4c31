"""The splitter (mime_split.py) builds the tree feedparser builds, or steps
aside: the same parts, Content-* fields, payloads and default types over
every real letter (tests/data/mime, see SOURCES.md there), the hostile
letters, seeded damaged real letters and thousands of generated ones; and
``parse_message`` gives the reference path's result, warnings and
attachment bytes included, or the same refusal."""

from __future__ import annotations

from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path

import pytest

from services.mail import mime, mime_bounds, mime_headers, mime_split
from services.mail.mime_boundary import literal_boundaries
from services.mail.mime_policy import CHECKED, ReadsDifferently
from tests.hostile_mail import HOSTILE, corpus, mutations
from tests.mime_letters import letters

DATA = Path(__file__).resolve().parent.parent / "data" / "mime"
LIMIT = 25 * 1024 * 1024
Shape = tuple[str, list[tuple[str, str]], object]


def _prepared(raw: bytes) -> bytes:
    """RAW as read_message hands it to the parse."""
    return _prepared_known(raw)[0]


def _prepared_known(raw: bytes) -> tuple[bytes, dict[str, object]]:
    """RAW as read_message hands it to the parse, and what it hands the
    splitter along with it: where the body starts, the letter lowercased,
    the body's dash lines as the bounds' scan met them."""
    block, stop = mime_headers.header_block(raw)
    if block != raw[:stop]:
        raw = block + raw[stop:]
    low = raw.lower()
    dashes: list[int] = []
    raw = mime_bounds.bounded(raw, len(block), [], low=low, dashes=dashes)
    dashes = [at for at in dashes if at < len(raw)]
    return raw, {"body": len(block), "low": low[: len(raw)], "dashes": dashes}


def _shape(part: Message, top: bool = True) -> Shape:
    """What the walker reads of a tree (the top level: its Content-* fields)."""
    items = [(k, v) for k, v in part.raw_items() if not top or k.lower().startswith("content-")]
    payload = part.get_payload()
    inner = [_shape(p, False) for p in payload] if isinstance(payload, list) else payload
    return part.get_default_type(), items, inner


def _compare(raw: bytes) -> str:
    """'split' when the splitter built feedparser's tree, 'aside' when it
    stepped aside; an AssertionError when it built another tree."""
    raw, known = _prepared_known(raw)
    try:
        fast = mime_split.split_message(raw, CHECKED)
    except Exception:  # noqa: BLE001 - the policy's doubt: the caller parses otherwise
        return "aside"
    if fast is None:
        assert mime_split.split_message(raw, CHECKED, **known) is None  # type: ignore[arg-type]
        return "aside"
    with literal_boundaries():
        reference = BytesParser(policy=CHECKED).parsebytes(raw)
    assert _shape(fast) == _shape(reference)
    # what read_message hands it (the body start, the dash lines) changes nothing
    told = mime_split.split_message(raw, CHECKED, **known)  # type: ignore[arg-type]
    assert told is not None
    assert _shape(told) == _shape(reference)
    return "split"


def _read(raw: bytes, *, checked: bool) -> object:
    try:
        return mime.read_message(raw, LIMIT, checked=checked)
    except (mime.MessageTooLargeError, mime.UnparseableMessageError) as exc:
        return (type(exc).__name__, str(exc))


def test_every_real_letter_splits_as_feedparser_splits_it() -> None:
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    taken = [_compare(p.read_bytes()) for p in files]
    assert len(files) > 500
    # the common path, not one that always steps aside
    assert taken.count("split") > 0.65 * len(files)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_letters_split_as_feedparser_splits_them(name: str) -> None:
    raw = HOSTILE[name]()
    _compare(raw)
    assert _read(raw, checked=True) == _read(raw, checked=False)


def test_damaged_real_letters_split_as_feedparser_splits_them() -> None:
    assert corpus()
    taken = [_compare(raw) for _name, raw in mutations(3000, seed=20261209)]
    assert 0.3 * len(taken) < taken.count("split") < len(taken)


def test_generated_letters_split_and_read_as_the_reference_reads_them() -> None:
    """Thousands of generated letters, most of them damaged: the same tree,
    and the same ParsedMessage as the reference path (policy.default first)."""
    taken: list[str] = []
    differ: list[str] = []
    for name, raw in letters(2000, seed=20261210):
        taken.append(_compare(raw))
        if _read(raw, checked=True) != _read(raw, checked=False):
            differ.append(name)
    assert differ == []
    assert 0.3 * len(taken) < taken.count("split") < len(taken)


def test_undamaged_generated_letters_take_the_split() -> None:
    """Most of them: not those with a raw 8-bit name in a Content-Type, nor
    those whose names policy.default reads otherwise (both feedparser's)."""
    plain = [raw for name, raw in letters(400, seed=7) if "damaged" not in name]
    taken = [_compare(raw) for raw in plain]
    assert len(plain) > 50
    assert taken.count("split") > 0.6 * len(plain)


def test_an_ordinary_letter_reads_the_same_through_the_split() -> None:
    raw = (
        "From: Иван <ivan@romashka.ru>\r\nTo: alice@example.test\r\nSubject: счёт\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n'
        '--b2\r\nContent-Type: text/plain; charset="koi8-r"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "=F3=DE=A3=D4 =D7=CF =D7=CC=CF=D6=C5=CE=C9=C9\r\n"
        "--b2\r\nContent-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        "PHA+0KHRh9GR0YI8L3A+\r\n--b2--\r\n"
        '--b1\r\nContent-Type: application/pdf; name="=?utf-8?b?0YHRh9GR0YIucGRm?="\r\n'
        'Content-Disposition: attachment; filename="=?utf-8?b?0YHRh9GR0YIucGRm?="\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n"
    ).encode()
    assert mime_split.split_message(_prepared(raw), CHECKED) is not None
    parsed = mime.parse_message(raw)
    assert parsed == _read(raw, checked=False)
    assert parsed.text == "Счёт во вложении"
    assert parsed.html == "<p>Счёт</p>"
    assert [(a.filename, a.data) for a in parsed.attachments] == [("счёт.pdf", b"%PDF-1.4\n")]


def test_plain_boundaries_read_as_the_email_package_reads_them() -> None:
    """``_plain_boundary`` answers only for plain values, and then exactly as
    ``Message.get_boundary``: over the corpus's values and odd ones."""
    values: set[str] = set()
    for path in corpus():
        try:
            message = BytesParser(policy=policy.compat32).parsebytes(path.read_bytes())
        except Exception:  # noqa: BLE001 - a letter the parser refuses adds no value
            continue
        values.update(
            v for part in message.walk() for k, v in part.raw_items() if k.lower() == "content-type"
        )
    values.update(
        [
            'multipart/mixed; boundary="a b  "',
            "multipart/mixed; boundary=a=b; charset=x",
            'multipart/mixed; name="x"; boundary="y"; boundary="z"',
            "multipart/mixed; BOUNDARY=Up",
            'multipart/mixed; boundary=""',
            'multipart/mixed;\r\n\tboundary="x\'()+_,./:=? -";',
            'multipart/mixed; boundary="<x>"',
            "multipart/mixed; boundary*=utf-8''x",
            "multipart/mixed; boundary = x",
            'multipart/mixed; boundary="a\\"b"',
        ]
    )
    answered = 0
    for value in sorted(values):
        found = mime_split._plain_boundary(value)
        if found is not None:
            answered += 1
            part = Message()
            part["Content-Type"] = value
            assert found == part.get_boundary(), value
    assert answered > 100


def test_long_content_fields_are_not_kept() -> None:
    """The walker's kept readings (mime_fields.py) hold short field sets
    only: a hostile letter's megabyte names are read afresh each time."""
    from services.mail import mime_fields

    short, long = Message(), Message()
    short["Content-Type"] = 'text/plain; charset="utf-8"'
    long["Content-Type"] = 'application/pdf; name="' + "я" * 5000 + '.pdf"'
    assert mime_fields.remembered_fields(short) is mime_fields.remembered_fields(short)
    assert mime_fields.remembered_fields(long) is not mime_fields.remembered_fields(long)
    assert mime_fields.remembered_fields(long).get_param("name") == "я" * 5000 + ".pdf"


def _blocks() -> list[bytes]:
    """Header blocks as the splitter meets them: every real and damaged
    letter's own block, and odd ones."""
    raws = [p.read_bytes() for p in corpus()]
    raws += [raw for _name, raw in mutations(1500, seed=20261211)]
    raws += [raw for _name, raw in letters(300, seed=11)]
    blocks = [mime_headers.header_block(raw)[0] for raw in raws]
    blocks += [
        raw.encode()
        for raw in (
            "",
            "\n",
            "\r\n",
            "Content-Type: text/plain",
            "Content-Type:\r\n\ttext/plain\r\n\r\n",
            "content-TYPE :x\n\n",
            " folded: first\nContent-Type: x\n\n",
            "Subject: a\nnot a field\nContent-Type: x\n\n",
            "Subject: a\nContent-Type: x\r\n \r\n\r\n",
            "Content-Type: x\rContent-Id: y\r\n\r\n",
            "X: 1\nContent-Transfer-Encoding:   \n base64 \n\nContent-Type: after\n",
            "X: 1\r\n\r\nContent-Type: after the block\r\n",
            "Content-Type:\ttext/plain; charset=\xd0\xb9\n\n",
            "Content-Type: a\nContent-Type: b\nContent-Description: c\n",
        )
    ]
    return blocks


def test_top_fields_are_plain_fields_content_fields() -> None:
    """``top_fields`` (two scans) gives what the line loop of
    ``plain_fields`` keeps of a letter's own block: its Content-* fields,
    or None for the same blocks."""
    from services.mail.header_lines import plain_fields

    blocks = _blocks()
    taken = 0
    for block in blocks:
        fields = plain_fields(block)
        expected = (
            None
            if fields is None
            else [(name, text) for name, text in fields if name[:8].lower() == "content-"]
        )
        assert mime_split.top_fields(block) == expected, block[:300]
        taken += fields is not None
    assert 0.5 * len(blocks) < taken < len(blocks)


def test_split_parts_decode_as_messages_decode() -> None:
    """A split part's ``get_payload(decode=True)`` (its bytes in the letter,
    its encoding as read) is ``Message.get_payload``'s, the defects it notes
    included, in every transfer encoding the corpus and the generated
    letters use."""
    raws = [p.read_bytes() for p in corpus()] + [raw for _n, raw in letters(600, seed=12)]
    decoded: set[str] = set()
    for raw in raws:
        try:
            tree = mime_split.split_message(_prepared(raw), CHECKED)
        except ReadsDifferently:  # the caller parses with policy.default
            continue
        if tree is None:
            continue
        for part in tree.walk():
            if isinstance(part, mime_split.SplitPart) and not part.is_multipart():
                before = len(part.defects)
                mine = part.get_payload(decode=True)
                between = len(part.defects)
                assert mine == Message.get_payload(part, decode=True)
                defects = [type(d) for d in part.defects[before:]]  # as noted on the part
                assert defects[: between - before] == defects[between - before :]
                decoded.add(str(part.get("content-transfer-encoding", "")).lower())
    assert {"base64", "quoted-printable", "7bit", "8bit", ""} <= decoded
