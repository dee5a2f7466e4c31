"""A FETCH command's answer read off the connection without imaplib's per-line work.

imaplib reads an answer line by line through ``_get_response``: per line a
repr for its command log, three or four pattern matches through
``_match`` and a method call for every piece it stores, about half of
reading the header scan's answer (200 letters a command, each one line, a
literal and a closing line). ``command_complete`` reads the untagged FETCH
lines itself and stores them as imaplib does (``untagged_responses
["FETCH"]``, a literal as ``(line, bytes)``), with imaplib's own reads: a
line through ``readline`` within its ``_MAXLINE``, a literal through
``read(size)``, both under the socket's timeout. Every other line (the
tagged completion, EXISTS, EXPUNGE, BYE, a broken or cut line) is handed
to imaplib's ``_get_response`` as if it had read it, so what imaplib does
with it, and the errors it raises, are unchanged. With the protocol log on
(``imap.quiet_protocol_log``) imaplib reads everything, so the log keeps
every line.
"""

from __future__ import annotations

import re
from typing import Any

# What imaplib's Untagged_status reads as type FETCH with data2 (it joins
# "<seq> <data2>"); an empty data2, which it drops, is left to it.
_FETCH_LINE = re.compile(rb"\* ([0-9]+) FETCH (.+)")


def command_complete(imap: Any, name: str, tag: bytes) -> tuple[str, list[Any]]:
    """``imap._command_complete(name, tag)``: the tagged result of a command
    whose answer holds untagged FETCH lines, with the same checks and errors."""
    if imap.debug:  # someone reads the protocol log: imaplib logs each line it reads
        result: tuple[str, list[Any]] = imap._command_complete(name, tag)
        return result
    imap._check_bye()
    try:
        typ, data = _tagged_response(imap, tag)
    except imap.abort as val:
        raise imap.abort(f"command: {name} => {val}") from val
    except imap.error as val:
        raise imap.error(f"command: {name} => {val}") from val
    imap._check_bye()
    if typ == "BAD":
        raise imap.error(f"{name} command error: {typ} {data}")
    return typ, data


def _tagged_response(imap: Any, tag: bytes) -> tuple[str, list[Any]]:
    """imaplib's ``_get_tagged_response`` with its FETCH lines read here."""
    readline, read, literal = imap.readline, imap.read, imap.Literal
    commands, untagged = imap.tagged_commands, imap.untagged_responses
    while True:
        result = commands[tag]
        if result is not None:
            del commands[tag]
            return result  # type: ignore[no-any-return]
        imap._check_bye()
        line = readline()
        found = _FETCH_LINE.fullmatch(line, 0, len(line) - 2) if line.endswith(b"\r\n") else None
        if found is None:
            _replay(imap, line)
            continue
        records = untagged.setdefault("FETCH", [])
        dat = found[1] + b" " + found[2]
        while (size := literal.match(dat)) is not None:
            records.append((dat, read(int(size["size"]))))
            dat = _line(imap)
        records.append(dat)


def _line(imap: Any) -> bytes:
    """imaplib's ``_get_line`` without its command log."""
    line: bytes = imap.readline()
    if not line:
        raise imap.abort("socket error: EOF")
    if not line.endswith(b"\r\n"):
        raise imap.abort(f"socket error: unterminated line: {line!r}")
    return line[:-2]


def _replay(imap: Any, line: bytes) -> None:
    """imaplib's ``_get_response`` on a line already read: its first
    ``readline`` gives the line back, any further one reads on."""

    def once() -> bytes:
        del imap.readline  # the class's readline again
        return line

    imap.readline = once
    try:
        imap._get_response()
    finally:
        imap.__dict__.pop("readline", None)
