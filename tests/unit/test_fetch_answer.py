"""FETCH answers of the import's shape are read exactly as imapclient reads
them; any other answer is left to imapclient (``parse`` says None)."""

from __future__ import annotations

import random

import pytest
from imapclient.response_parser import parse_fetch_response

from services.mail import fetch_answer

FIELDS = b"BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID CONTENT-TYPE)]"
HEADER = "From: Иван <ivan@romashka.ru>\r\nSubject: счёт\r\n\r\n".encode()


def _reference(records: list[object]) -> dict[int, dict[bytes, object]]:
    return dict(parse_fetch_response(records, True, True))


def _plain(uid: int, literal: bytes = HEADER) -> list[object]:
    """A message's answer as imaplib hands it over (Dovecot's item order)."""
    prefix = b"%d (UID %d RFC822.SIZE %d %s {%d}" % (uid, uid, 8000 + uid, FIELDS, len(literal))
    return [(prefix, literal), b")"]


def test_the_import_s_answers_read_as_imapclient_reads_them() -> None:
    records = [r for uid in range(1, 201) for r in _plain(uid)]
    got = fetch_answer.parse(records)
    assert got is not None
    assert got == _reference(records)
    assert got[7] == {b"SEQ": 7, b"RFC822.SIZE": 8007, FIELDS: HEADER}


@pytest.mark.parametrize(
    "records",
    [
        [(b"3 (RFC822.SIZE 12 BODY[HEADER] {4}", b"a\r\n\r"), b" UID 9)"],  # UID last
        [(b"3 (UID 9 BODY[HEADER] {4}", b"a\r\n\r"), (b" BODY[TEXT]<0> {2}", b"xy"), b")"],
        [b"3 (UID 9 BODY[HEADER] NIL)"],
        [b'3 (UID 9 BODY[HEADER] "quoted")'],
        [b"3 (UID 9 body[header] NIL)"],  # lower-case item names
        [b"3 (UID 9)", b"4 (UID 10 RFC822.SIZE 0)"],
        [b"3 ()"],  # no UID: keyed by its sequence number
        [b"3  (UID 9 )"],  # more spaces
        [(b"3 (UID 9 BODY[] {0}", b""), b")"],
        [(b"3 (UID 9 BODY[] {3}", b"abc"), b")", (b"3 (UID 9 BODY[] {3}", b"def"), b")"],
    ],
)
def test_other_plain_answers_read_the_same(records: list[object]) -> None:
    got = fetch_answer.parse(records)
    assert got is not None
    assert got == _reference(records)


@pytest.mark.parametrize(
    "records",
    [
        [b"3 (UID 9 FLAGS (\\Seen) BODY[HEADER] NIL)"],  # flags: a list
        [b"3 (UID 9 MODSEQ (12))"],
        [b'3 (UID 9 BODY[HEADER] "esc\\"aped")'],
        [b"3 (UID 09 BODY[HEADER] NIL)"],  # a leading zero
        [b"3 (UID 9 RFC822.SIZE 012)"],
        [b"3 (UID 9 BODY[HEADER]<0>x NIL)"],
        [b"3 (UID 9 BODY[HEADER] 17)"],
        [b"3 (UID 9 INTERNALDATE NIL)"],
        [(b"3 (UID 9 BODY[] {5}", b"abc"), b")"],  # a literal of the wrong length
        [b"3 (UID 9"],
        [b"3 (UID)"],
        [b"* 3 (UID 9)"],
        [b"3 (UID 9 BODY[HEADER] NIL)%"],
        [None],
    ],
)
def test_anything_else_is_left_to_imapclient(records: list[object]) -> None:
    assert fetch_answer.parse(records) is None


_PIECES = (
    *(b" ", b"  ", b"(", b")", b"UID", b"9", b"09", b"0", b"RFC822.SIZE", b"NIL", b'"q"'),
    *(b'"a\\"b"', b"BODY[HEADER]", b"BODY[TEXT]<0>", b"FLAGS", b"%", b"{3}", b"x]", b"[", b"\t"),
)


def test_seeded_random_answers_read_the_same_or_are_left_to_imapclient() -> None:
    rng = random.Random(16)
    read = 0
    for _ in range(3000):
        records: list[object] = []
        for uid in rng.sample(range(1, 50), rng.randrange(1, 4)):
            records += _plain(uid, HEADER[: rng.randrange(len(HEADER))])
        at = rng.randrange(len(records))
        record = records[at]
        text = record[0] if isinstance(record, tuple) else record
        assert isinstance(text, bytes)
        cut = rng.randrange(len(text) + 1)
        damaged = text[:cut] + rng.choice(_PIECES) + text[cut + rng.randrange(3) :]
        records[at] = (damaged, record[1]) if isinstance(record, tuple) else damaged
        got = fetch_answer.parse(records)
        if got is None:
            continue
        read += 1
        assert got == _reference(records), records
    assert 100 < read < 2900  # both outcomes met often


def _answers_tried() -> list[list[object]]:
    """Every answer above, plain and damaged, and seeded damage to plain ones."""
    rng = random.Random(1616)
    tried: list[list[object]] = [[r for uid in range(1, 201) for r in _plain(uid)]]
    for _ in range(3000):
        records = [r for uid in rng.sample(range(1, 50), rng.randrange(1, 4)) for r in _plain(uid)]
        at = rng.randrange(len(records))
        record = records[at]
        text = record[0] if isinstance(record, tuple) else record
        assert isinstance(text, bytes)
        cut = rng.randrange(len(text) + 1)
        damaged = text[:cut] + rng.choice(_PIECES) + text[cut + rng.randrange(3) :]
        records[at] = (damaged, record[1]) if isinstance(record, tuple) else damaged
        tried.append(records)
    return tried


def test_one_pattern_a_letter_reads_what_the_token_loop_reads() -> None:
    """``_one_literal_each`` (the import's usual answer in one match a letter)
    answers only where the token loop gives the same, and for the plain shape."""
    plain = [r for uid in range(1, 201) for r in _plain(uid)]
    assert fetch_answer._one_literal_each(plain) == _reference(plain)
    body = [(b"4 (UID 12 BODY[] {3}", b"abc"), b")", (b"5 (BODY[] {0} ", b""), b")"]
    assert fetch_answer._one_literal_each(body[:2]) == _reference(body[:2])
    assert fetch_answer._one_literal_each(body) is None  # a space after the literal's {n}
    quick = 0
    for records in _answers_tried():
        got = fetch_answer._one_literal_each(records)
        if got is not None:
            quick += 1
            assert got == _reference(records), records
    assert quick > 500


def _expanded(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition(":")
        out += range(int(first), int(last or first) + 1)
    return out


@pytest.mark.parametrize(
    ("uids", "text"),
    [
        ([], ""),
        ([7], "7"),
        ([1, 2, 3, 4], "1:4"),
        ([1, 2, 4, 5, 9], "1:2,4:5,9"),
        ([5, 4, 3], "5,4,3"),  # only ascending runs are joined
        ([3, 3, 4], "3,3:4"),
    ],
)
def test_a_uid_list_goes_out_as_ranges(uids: list[int], text: str) -> None:
    assert fetch_answer.uid_set(uids) == text


def test_a_uid_set_names_exactly_the_uids_asked_for() -> None:
    rng = random.Random(20261207)
    for _ in range(300):
        uids = sorted(rng.sample(range(1, 3000), rng.randint(1, 1000)))
        text = fetch_answer.uid_set(uids)
        assert _expanded(text) == uids
        assert len(text) <= len(",".join(map(str, uids)))
    thousand = list(range(4_000_001, 4_001_001))
    assert fetch_answer.uid_set(thousand) == "4000001:4001000"
