"""Dates in the plain RFC 5322 form read without email.utils, exactly as the
general path reads them (services/mail/header_fast.py)."""

from __future__ import annotations

import random
import re

import pytest

from services.mail import header_fast, mime_headers


def test_a_plain_date_reads_as_email_utils_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates in the plain RFC 5322 form skip email.utils; they read exactly
    as the general path reads them, out-of-range and impossible ones too."""
    rng = random.Random(20261206)
    days = ["Mon, ", "Sun, ", ""]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    years = [1899, 1900, 1969, 1970, 1999, 2000, 2026, 2099, 2100, 2101]
    values = []
    for _ in range(20000):
        year = rng.choice(years) if rng.random() < 0.5 else rng.randrange(1900, 2100)
        values.append(
            f"{rng.choice(days)}{rng.randrange(0, 40):0{rng.choice([1, 2])}d} "
            f"{rng.choice(months)} {year} "
            f"{rng.randrange(0, 26):02d}:{rng.randrange(0, 62):02d}:{rng.randrange(0, 62):02d} "
            f"{rng.choice('+-')}{rng.randrange(0, 26):02d}{rng.randrange(0, 100):02d}"
        )
    values += ["Thu, 01 Jan 2026 00:07:00 -0000", "Fri, 29 Feb 2028 23:59:59 +0300"]
    plain = 0
    for value in values:
        fast = header_fast.date(value)
        plain += fast is not False
        got = mime_headers._date(value)
        with monkeypatch.context() as general:  # a pattern nothing matches: email.utils only
            general.setattr(header_fast, "PLAIN_DATE", re.compile(r"(?!)"))
            slow = mime_headers._date(value)
        assert got == slow, value
        assert (got.tzinfo if got else None) == (slow.tzinfo if slow else None), value
    assert plain > 0.5 * len(values)
