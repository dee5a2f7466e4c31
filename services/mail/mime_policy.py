"""A compat32 parse that proves it reads a message as policy.default would.

``policy.default`` turns a header value into a parsed object every time the
parser or our walker asks for it (Content-Type several times a part), which
makes a whole parse 2.5-3.5x as slow as compat32's. Yet only two fields are
read through the policy at all: Content-Type (its type, boundary and
charset, as ``Message.get_content_type`` and ``get_param`` see the value's
text) and
Content-Transfer-Encoding (which of four decodings applies); the walker
takes every other field from raw values.

``CHECKED`` parses the compat32 way and, for those two fields, works out
what policy.default makes of the same raw value (once per distinct value).
When the two readings differ in anything the email package goes on to use,
or policy.default cannot read the value at all, it raises
``ReadsDifferently`` and the caller parses with policy.default after all.
A parse that completes under ``CHECKED`` therefore builds the same tree and
decodes the same bytes as one under policy.default.

The check is cached by value, yet nearly every multipart's Content-Type
differs from every other by its boundary alone, and working out
policy.default's reading costs ~150 µs. A boundary of plain characters
(quoted: letters, digits and ``_.=+/:-``; bare: letters, digits and
``_.+-``) in a value without backslashes, comments or encoded words is
handed on as it is by both readings, so whether they agree does not depend
on which plain boundary it is: such a value is checked with a fixed
boundary in its place (``_shape``; test_mime_policy.py checks the claim).
"""

from __future__ import annotations

import functools
import re
from email import policy
from email.message import Message
from email.policy import Compat32
from typing import Any

_WATCHED = ("content-type", "content-transfer-encoding")
_DECODINGS = ("quoted-printable", "base64", "x-uuencode", "uuencode", "uue", "x-uue")


class ReadsDifferently(Exception):
    """policy.default would read a Content-* field differently: parse with it."""


def _reading(key: str, value: Any) -> tuple[object, ...]:
    """What the email package derives from one field value (read the
    compat32 way, as a plain str or compat32's Header for 8-bit bytes)."""
    if key == "content-transfer-encoding":
        cte = str(value).lower()
        return (cte if cte in _DECODINGS else "",)
    probe = Message(policy=policy.compat32)
    probe.set_raw("Content-Type", value)
    return (probe.get_content_type(), probe.get_param("boundary"), probe.get_param("charset"))


_PLAIN_BOUNDARY = re.compile(
    r'(;[ \t\r\n]*boundary=)("[A-Za-z0-9_.=+/:-]{1,200}"|[A-Za-z0-9_.+-]{1,200})'
    r"(?=[ \t\r\n]*(?:;|\Z))",
    re.IGNORECASE,
)
_NOT_PLAIN = ("\\", "(", "=?")


def _shape(value: str) -> str:
    """VALUE with its plain boundary replaced by a fixed one (see above); a
    value with anything else in it as it is."""
    if any(mark in value for mark in _NOT_PLAIN):
        return value
    shaped, count = _PLAIN_BOUNDARY.subn(
        lambda m: m.group(1) + ('"b"' if m.group(2).startswith('"') else "b"), value
    )
    return shaped if count == 1 else value


@functools.lru_cache(maxsize=256)  # a part's Content-Type is read several times a parse
def same_reading(key: str, value: str) -> bool:
    """Whether policy.default reads the field KEY: VALUE as compat32 does."""
    return _same_reading(key, _shape(value) if key == "content-type" else value)


@functools.lru_cache(maxsize=2048)
def _same_reading(key: str, value: str) -> bool:
    try:
        mine = _reading(key, policy.compat32.header_fetch_parse(key, value))
        # policy.default's header object as its str: what Message methods read
        theirs = _reading(key, str(policy.default.header_fetch_parse(key, value)))
    except Exception:  # noqa: BLE001 - any doubt sends the message to policy.default
        return False
    return mine == theirs


class _Checked(Compat32):
    def header_fetch_parse(self, name: str, value: str) -> Any:
        key = name.lower()
        if key in _WATCHED and not same_reading(key, value):
            raise ReadsDifferently(name)
        return super().header_fetch_parse(name, value)


CHECKED = _Checked()
