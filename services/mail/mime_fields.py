"""A part's Content-* fields as the MIME walker reads them (see mime.py).

``content_fields`` copies them into a compat32 ``Message``; the walker then
asks it the content type, the disposition, the charset, the filename and
name parameters and the Content-ID. Those answers cost ~25 µs a part in the
email package's parameter parsing, and most letters' leaf parts carry the
same few field sets (``text/plain; charset="utf-8"`` with base64, and so
on). ``remembered_fields`` hands out one shared copy per distinct field set
whose answers are computed once: the same answers by construction, as the
copy is never changed after it is made.
"""

from __future__ import annotations

import functools
from email import policy
from email.message import Message
from typing import Any

from services.mail.mime_text import decode_bytes, to_bytes

_MISSING = object()


def content_fields(part: Message) -> Message:
    """The part's Content-* fields read the compat32 way, whatever the parse policy.

    policy.default silently drops parameters it cannot parse (an unquoted
    ``filename==?koi8-r?B?...?=``, a boundary with '='); compat32 keeps them
    but turns raw 8-bit values into U+FFFD, so those are decoded first.
    """
    fields = Message(policy=policy.compat32)
    _fill(fields, part.get_default_type(), _content_items(part))
    return fields


# Field sets longer than this are read afresh: the cache holds at most
# 512 x 4 KB of a hostile sender's values, not 512 megabyte-long ones.
_REMEMBERED_CHARS = 4096


def remembered_fields(part: Message) -> Message:
    """``content_fields`` of PART, shared with every part that has the same
    fields and default type, its answers kept (see above)."""
    items = _content_items(part)
    if sum(len(name) + len(text) for name, text in items) > _REMEMBERED_CHARS:
        fields = Message(policy=policy.compat32)
        _fill(fields, part.get_default_type(), items)
        return fields
    return _remembered(part.get_default_type(), tuple(items))


def _content_items(part: Message) -> list[tuple[str, str]]:
    return [(n, str(v)) for n, v in part.raw_items() if n.lower().startswith("content-")]


def _fill(fields: Message, default_type: str, items: list[tuple[str, str]]) -> None:
    fields.set_default_type(default_type)  # message/rfc822 inside a digest
    for name, text in items:
        fields[name] = text if text.isascii() else decode_bytes(to_bytes(text), None)


@functools.lru_cache(maxsize=512)
def _remembered(default_type: str, items: tuple[tuple[str, str], ...]) -> Message:
    fields = _Remembered()
    _fill(fields, default_type, list(items))
    return fields


class _Remembered(Message):
    """A compat32 Message that keeps the answers of the readings the walker
    makes; never changed once filled (``_remembered``)."""

    def __init__(self) -> None:
        super().__init__(policy=policy.compat32)
        self._answers: dict[tuple[object, ...], Any] = {}

    def _answer(self, key: tuple[object, ...], read: Any) -> Any:
        found = self._answers.get(key, _MISSING)
        if found is _MISSING:
            found = self._answers[key] = read()
        return found

    def get(self, name: str, failobj: Any = None) -> Any:
        if not isinstance(failobj, str | None):
            return super().get(name, failobj)
        return self._answer(
            ("get", name.lower(), failobj), lambda: super(_Remembered, self).get(name, failobj)
        )

    def get_content_type(self) -> str:
        answer: str = self._answer(("type",), super().get_content_type)
        return answer

    def get_content_disposition(self) -> str | None:
        answer: str | None = self._answer(("disposition",), super().get_content_disposition)
        return answer

    def get_content_charset(self, failobj: Any = None) -> Any:
        if failobj is not None:
            return super().get_content_charset(failobj)
        return self._answer(("charset",), super().get_content_charset)

    def get_param(
        self, param: str, failobj: Any = None, header: str = "content-type", unquote: bool = True
    ) -> Any:
        if failobj is not None:
            return super().get_param(param, failobj, header, unquote)
        return self._answer(
            ("param", param, header, unquote),
            lambda: super(_Remembered, self).get_param(param, None, header, unquote),
        )
