"""How the import cuts a batch: its first one short, its runs of letters
with bodies bounded by count and bytes, every letter in exactly one run."""

from __future__ import annotations

import random

import pytest

from services.mail import auto_reply, letter_heads, mime
from services.mail.letter_heads import Header

PARSED = mime.parse_headers(b"From: a@b.example\r\nSubject: x\r\n\r\n")


def _headers(sizes: list[int]) -> list[Header]:
    return [Header(uid, size, PARSED, f"k{uid}") for uid, size in enumerate(sizes, 1)]


def test_a_folder_s_first_batch_is_short_and_the_rest_full() -> None:
    uids = list(range(1, 2_001))
    assert [len(c) for c in letter_heads.chunks(uids, 1000)] == [200, 1000, 800]
    assert [len(c) for c in letter_heads.chunks(uids[:150], 1000)] == [150]
    assert [len(c) for c in letter_heads.chunks(uids[:25], 10)] == [10, 10, 5]
    assert [u for c in letter_heads.chunks(uids, 1000) for u in c] == uids


def test_runs_hold_at_most_body_group_letters_with_bodies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(letter_heads, "BODY_GROUP", 3)
    headers = _headers([100] * 20)
    with_body = {2, 3, 5, 8, 9, 13, 17}
    runs = letter_heads.write_groups(headers, with_body, {19})
    assert [[h.uid for h in run] for run in runs] == [
        list(range(1, 8)),  # 2, 3, 5
        list(range(8, 17)),  # 8, 9, 13
        list(range(17, 21)),  # 17 and the report 19
    ]


def test_runs_hold_at_most_body_group_bytes_and_a_big_letter_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(letter_heads, "BODY_GROUP_BYTES", 1000)
    headers = _headers([400, 400, 400, 5000, 10, 10**9])
    runs = letter_heads.write_groups(headers, {1, 2, 3, 4, 5}, {6})
    # a report counts its bounded start, not its size
    assert auto_reply.MAX_DSN_BYTES > 1000
    assert [[h.uid for h in run] for run in runs] == [[1, 2], [3], [4], [5], [6]]


def test_an_empty_batch_is_one_empty_run() -> None:
    assert letter_heads.write_groups([], set(), set()) == [[]]


def test_seeded_runs_cover_every_letter_once_within_bounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(20261207)
    for _ in range(200):
        most, most_bytes = rng.randint(1, 6), rng.randint(100, 5000)
        monkeypatch.setattr(letter_heads, "BODY_GROUP", most)
        monkeypatch.setattr(letter_heads, "BODY_GROUP_BYTES", most_bytes)
        headers = _headers([rng.randint(1, 2000) for _ in range(rng.randint(0, 60))])
        with_body = {h.uid for h in headers if rng.random() < 0.4}
        runs = letter_heads.write_groups(headers, with_body, set())
        assert [h for run in runs for h in run] == headers
        for run in runs:
            fetched = [h for h in run if h.uid in with_body]
            assert len(fetched) <= most
            assert len(fetched) == 1 or sum(h.size or 0 for h in fetched) <= most_bytes


def test_runs_share_the_letters_evenly_so_no_short_last_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """209 letters with bodies at 200 a run: 105 and 104, not 200 and 9 (the
    parse of a short last run has nothing to overlap; #16)."""
    monkeypatch.setattr(letter_heads, "BODY_GROUP", 200)
    headers = _headers([100] * 500)
    with_body = {h.uid for h in headers if h.uid % 2 == 0 or h.uid < 19}
    assert len(with_body) == 259
    runs = letter_heads.write_groups(headers, with_body, set())
    assert [sum(h.uid in with_body for h in run) for run in runs] == [130, 129]
    assert [h for run in runs for h in run] == headers
