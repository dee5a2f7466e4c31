"""The MIME layer on hostile and mutated input: only its two UserErrors escape,
and what it cannot read in full it cuts, with a warning."""

from __future__ import annotations

import time

import pytest

from services.mail import mime_bounds
from services.mail.mime import (
    MessageTooLargeError,
    UnparseableMessageError,
    parse_headers,
    parse_message,
)
from tests.hostile_mail import HOSTILE, IVAN, corpus, mutations

CUT = "too many or too deeply nested parts; the rest was skipped"


def test_a_thousand_group_prefixes_cost_that_address_only() -> None:
    raw = HOSTILE["thousand group prefixes"]()
    headers = parse_headers(raw)
    assert headers.to == parse_message(raw).headers.to
    assert [a.email for a in headers.to] == ["alice@example.test"]
    assert [a.email for a in headers.from_] == [IVAN]
    assert any("ambiguous or invalid" in w for w in parse_message(raw).warnings)


def test_parts_nested_10000_deep_are_cut_at_the_depth_limit() -> None:
    parsed = parse_message(HOSTILE["parts nested 10,000 deep"]())
    assert CUT in parsed.warnings
    assert parsed.headers.subject == "deep"


def test_100000_parts_are_cut_before_the_parser_sees_them() -> None:
    parsed = parse_message(HOSTILE["100,000 parts"]())
    assert CUT in parsed.warnings
    assert 1000 < parsed.text.count("x") <= 2000


def test_megabyte_header_lines_are_cut_with_a_warning() -> None:
    parsed = parse_message(HOSTILE["5 MB header lines"]())
    assert parsed.headers.subject.startswith("ЩЩЩ")
    assert [a.email for a in parsed.headers.from_] == [IVAN]
    assert parsed.text == "body"
    assert any("header block is over" in w for w in parsed.warnings)


def test_nul_bytes_never_reach_an_address_or_the_text() -> None:
    parsed = parse_message(HOSTILE["NUL bytes"]())
    emails = [a.email for a in (*parsed.headers.from_, *parsed.headers.to)]
    assert emails == [IVAN, "alice@example.test"]
    assert "\0" not in parsed.text + parsed.headers.subject
    assert "текст" in parsed.text


def test_two_million_header_lines_in_one_part_are_cut() -> None:
    raw = (
        b'From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"'
        b"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--B\r\n"
        + b"X-H: v\r\n" * 2_000_000
        + b"Content-Type: text/plain\r\n\r\nsecond\r\n--B--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.text == "first"
    assert CUT in parsed.warnings


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_letters_parse_without_an_exception(case: str) -> None:
    raw = HOSTILE[case]()
    assert parse_headers(raw).synthetic_id
    parse_message(raw)


def test_mutated_real_letters_raise_nothing_but_the_two_user_errors() -> None:
    """Fuzz: 1,500 seeded mutations of the real corpus. The slowest letter is
    printed (-rP), not asserted: timing depends on the machine."""
    worst = (0.0, "")
    refused = 0
    for name, raw in mutations(1500, seed=20261206):
        start = time.perf_counter()
        parse_headers(raw)
        try:
            parse_message(raw)
        except (MessageTooLargeError, UnparseableMessageError):
            refused += 1
        worst = max(worst, (time.perf_counter() - start, name))
    print(
        f"\nmime fuzz: {len(corpus())} letters, 1500 mutations, {refused} refused, "
        f"slowest {worst[0] * 1000:.0f} ms ({worst[1]})"
    )
    assert refused < 150  # most damaged letters still yield something


def test_a_field_of_25000_addresses_is_read_up_to_1000() -> None:
    to = ", ".join(f"Получатель {n} <r{n}@example.com>" for n in range(25_000))
    raw = f"From: {IVAN}\r\nTo: {to}\r\nSubject: всем\r\n\r\nтекст\r\n".encode()
    parsed = parse_message(raw)
    assert len(parsed.headers.to) == 1000
    assert parsed.headers.to[0].name == "Получатель 0"
    assert "To: more than 1,000 addresses; the rest ignored" in parsed.warnings


def test_the_header_block_ends_where_the_empty_line_pattern_ends() -> None:
    """header_block finds the end of the header block by its own pattern:
    the same place as HEADER_END's first match, over every string of up to
    eight CR, LF and other bytes, and over the corpus."""
    import itertools

    from services.mail import mime_headers
    from tests.conftest import DATA

    def pattern_end(raw: bytes) -> int:
        end = mime_headers.HEADER_END.search(raw)
        return end.end() if end else len(raw)

    samples = [
        bytes(chars) for size in range(9) for chars in itertools.product(b"\r\nx", repeat=size)
    ]
    samples += [p.read_bytes() for p in (DATA / "mime").rglob("*") if p.is_file()]
    assert len(samples) > 10_000
    for raw in samples:
        assert mime_headers._block_end(raw) == pattern_end(raw), raw[:80]


def _declared_by_pattern(raw: bytes) -> set[bytes]:
    """``declared_boundaries`` as the pattern's own scan finds them."""
    declared: set[bytes] = set()
    for found in mime_bounds._BOUNDARY.finditer(raw.lower()):
        group = 1 if found.group(1) is not None else 2
        declared.add(raw[found.start(group) : found.end(group)].rstrip())
        if len(declared) > mime_bounds.MAX_PARTS:
            break
    return declared


def _odd_letters() -> list[bytes]:
    value = b"x" * 4095
    return [
        b"",
        b'boundaryboundary=a; BOUNDARY = "B c "; Boundary="\r\n"; boundary=;boundary= q',
        b'boundary="Up"boundary=down',
        b'Content-Type: multipart/mixed; boundary="' + b"b" * 9000 + b'"\r\n\r\n',
        b"Content-Type: text/plain; x=" + value + b"\r\n\r\nbody",
        b"Content-Type: text/plain; x=" + value + b"y\r\n\r\nbody",
        b"X: 1\nCONTENT-TYPE:" + value[:2000] + b"\n\t" + value[:2095] + b"\n\n",
        b"X: 1\nContent-Type: a\n" + b"\nContent-Type:" + value + b"z",
        b"X: 1\r\ncontent-type:\r\n " + value + b"\r\n",
    ]


def test_declared_boundaries_and_long_fields_are_found_as_the_patterns_find_them() -> None:
    """The scans by bytes.find give the patterns' answers: the declared
    boundaries, and whether a Content-Type field is too long for
    policy.default, over the real, damaged and hostile letters."""
    raws = [p.read_bytes() for p in corpus()]
    raws += [raw for _name, raw in mutations(1500, seed=20261212)]
    raws += [make() for make in HOSTILE.values()] + _odd_letters()
    long = 0
    for raw in raws:
        low = raw.lower()
        assert mime_bounds.declared_boundaries(raw, low) == _declared_by_pattern(raw)
        expected = mime_bounds.LONG_CONTENT_TYPE.search(b"\n" + low) is not None
        assert mime_bounds.long_content_type_in(low) == expected, raw[:200]
        long += expected
    assert long >= 4
