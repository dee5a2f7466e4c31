"""The common shapes of Subject, Date and Message-ID read without the general path.

The header scan reads the Subject, Date and Message-ID of every letter in a
mailbox, and nearly all of them have one of a few shapes: a Subject of
RFC 2047 words in UTF-8, KOI8-R or Windows-1251 (B or Q) with plain ASCII
around them, a Date in RFC 5322's canonical form, a Message-ID as one
``<token>``. Each reader here returns exactly what the general reader in
``mime_headers`` / ``mime_text`` returns for such a value and a sentinel
(None, or False for the date) for anything else, which then goes the
general way: a value it is not sure of is never guessed at. Nothing here
writes warnings, so a value whose general reading would note one (an
undecodable word, an unknown charset) is left to the general path.
``tests/unit/test_header_fast.py`` compares both paths on every header of
the test corpora and on seeded tricky values.
"""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime, timedelta

# The charsets taken here, by their lower-cased label, and the codec the
# general path (mime_text._codec) chooses for each.
_CODECS = {"utf-8": "utf-8", "koi8-r": "koi8-r", "windows-1251": "cp1251"}
# An encoded word of one of those charsets, its payload without spaces or
# '?': where it matches, the general pattern (mime_text._ENCODED_WORD)
# matches the same characters, since both end the charset and the payload
# at the next '?'.
_WORD = re.compile(r"=\?(utf-8|koi8-r|windows-1251)\?([bBqQ])\?([^?\s]*)\?=", re.IGNORECASE)
_BASE64 = re.compile(r"[A-Za-z0-9+/=]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def words(value: str) -> str | None:
    """``mime_text.decode_words(value)`` of an ASCII value whose every
    ``=?`` starts an encoded word of the charsets above that decodes
    cleanly; None for any other value."""
    if not value.isascii():
        return None
    parts = _WORD.split(value)  # text, (charset, encoding, payload, text)*
    if len(parts) == 1 or "=?" in parts[0]:
        return None
    out = [parts[0]] if parts[0] else []
    run_codec: str | None = None  # the run of adjacent words being joined
    run: list[bytes] = []
    for index in range(1, len(parts), 4):
        charset, encoding, payload, between = parts[index : index + 4]
        if "=?" in between:
            return None
        try:
            if encoding in "bB":
                if _BASE64.fullmatch(payload) is None:
                    return None
                payload = payload.rstrip("=")
                data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
            else:
                data = binascii.a2b_qp(payload.encode(), header=True)
        except (binascii.Error, ValueError):  # the general path keeps such a word as text
            return None
        codec = _CODECS[charset.lower()]
        # Adjacent words of one charset are decoded together: a character
        # may be split across two of them.
        if codec != run_codec and run and not _flush(run_codec, run, out):
            return None
        run_codec = codec
        run.append(data)
        if between and not between.isspace():  # whitespace between two words is dropped
            if not _flush(run_codec, run, out):
                return None
            run_codec = None
            out.append(between)
        elif between and index + 4 >= len(parts):  # trailing whitespace stays
            if not _flush(run_codec, run, out):
                return None
            out.append(between)
    if run and not _flush(run_codec, run, out):
        return None
    return _CONTROL.sub(" ", "".join(out)).strip()


def _flush(codec: str | None, run: list[bytes], out: list[str]) -> bool:
    """Decode the run's bytes into OUT (and empty the run); False when the
    general path would replace or guess (invalid bytes, a NUL)."""
    data = b"".join(run)
    run.clear()
    try:
        text = data.decode(codec or "")
    except (UnicodeDecodeError, LookupError):
        return False
    if "\x00" in text:  # removed by the general path (mime_text._BAD_CHARS)
        return False
    out.append(text)
    return True


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
# The form nearly every letter's Date has; anything else takes email.utils.
PLAIN_DATE = re.compile(
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{{1,2}}) ({'|'.join(_MONTH_NAMES)})"
    r" ((?:19|20)[0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-][0-9]{4})"
)
_DAY = timedelta(days=1)
_SHIFTS: dict[str, timedelta | None] = {}  # "+0300" -> 3 h; at most 20,000 zone texts


def _shift(zone: str) -> timedelta | None:
    """What the zone adds to UTC; None for an offset of a day or more,
    which no zone has (``datetime.timezone`` refuses it)."""
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    shift = None if offset >= _DAY else -offset if zone[0] == "-" else offset
    _SHIFTS[zone] = shift
    return shift


def date(value: str) -> datetime | bool | None:
    """``mime_headers._date`` of a Date in the plain form (UTC, or None
    outside 1970-2100); False for any other value."""
    found = PLAIN_DATE.fullmatch(value)
    if found is None:
        return False
    day, month, year, hour, minute, second, zone = found.groups()
    shift = _SHIFTS[zone] if zone in _SHIFTS else _shift(zone)
    if shift is None:  # the general path decides
        return False
    try:
        local = datetime(
            int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), 0, UTC
        )
    except ValueError:  # day 31 of February, hour 25...
        return False
    moment = local - shift  # the wall time less its zone: UTC (years 1900-2099 stay in range)
    return moment if 1970 <= moment.year <= 2100 else None


# A Message-ID as one <token> of printable ASCII without comments.
_PLAIN_ID = re.compile(r"<([!-'*-;=?-~]{1,998})>")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def message_id(value: str) -> str | None:
    """``mime_headers._msg_id`` of a value that is one plain ``<token>``
    with a letter or digit; None for any other value."""
    found = _PLAIN_ID.fullmatch(value)
    if found is None:
        return None
    token = found.group(1)
    return token if _ALNUM.search(token) else None
