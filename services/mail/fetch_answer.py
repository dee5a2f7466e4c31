"""FETCH answers of the shape the import asks for, read without imapclient's lexer.

imapclient tokenizes an answer one byte at a time in Python, the field list
the server echoes with every ``BODY[HEADER.FIELDS (...)]`` item included:
more CPU than the rest of reading the answer. The import asks only for
UID, RFC822.SIZE and BODY sections, whose answers have one shape,
``<seq> (<item> <value> ...)`` with numbers, NIL, literals and plain quoted
strings. ``parse`` reads exactly that shape and returns what imapclient's
``parse_fetch_response`` returns for it; any other answer (flags, nested
lists, escapes, unexpected spacing, a literal of the wrong length) gives
None and ``fetch`` hands it to imapclient's parser, which reads it as
before. Literals are the ones imaplib already read, within its own bounds.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from imapclient.imapclient import seq_to_parenstr_upper
from imapclient.response_parser import parse_fetch_response

from services.mail import fetch_reader

Answer = dict[int, dict[bytes, Any]]

_TOKEN = re.compile(
    rb" *(?:(\()|(\))|\{([0-9]+)\}\Z|\"([^\"\\\r\n]*)\"|"  # ( ) {literal} "plain quoted"
    # a number, NIL or an item name, ending where imapclient's lexer ends it
    rb"([A-Za-z0-9.]+(?:\[[^\]\r\n]*\](?:<[0-9]+>)?)?)(?=[ ()]|\Z))"
)
_NUMBER = re.compile(rb"0|[1-9][0-9]*")
_NUMERIC_ITEMS = (b"UID", b"RFC822.SIZE")


def _tokens(records: Sequence[Any]) -> list[object] | None:
    """The answer's tokens: b"(" and b")" as themselves, atoms as bytes,
    quoted strings and literals as ``(bytes,)`` (their value); None when
    something is not of the plain shape."""
    out: list[object] = []
    for record in records:
        if isinstance(record, tuple) and len(record) == 2:
            text, literal = record
        elif isinstance(record, bytes):
            text, literal = record, None
        else:
            return None
        if not isinstance(text, bytes):
            return None
        position, end = 0, len(text)
        while position < end:
            token = _TOKEN.match(text, position)
            if token is None or token.end() == position:
                return None
            position = token.end()
            opened, closed, size, quoted, atom = token.groups()
            if size is not None:  # only at the end of a record that carries its literal
                if not isinstance(literal, bytes) or len(literal) != int(size):
                    return None
                out.append((literal,))
                literal = None
            elif quoted is not None:
                out.append((quoted,))
            else:
                out.append(opened or closed or atom)
        if literal is not None:  # a literal no {n} asked for
            return None
    return out


# One letter's answer as Dovecot gives the import: its line up to one BODY
# literal, with UID and RFC822.SIZE before it, then ")" on its own.
_ONE = re.compile(
    rb"(0|[1-9][0-9]*) \((?:(UID|RFC822\.SIZE) (0|[1-9][0-9]*) )?"
    rb"(?:(UID|RFC822\.SIZE) (0|[1-9][0-9]*) )?(BODY\[[^\]\r\n]*\](?:<[0-9]+>)?) \{([0-9]+)\}"
)


def _one_literal_each(records: Sequence[Any]) -> Answer | None:
    """``parse`` of an answer whose every letter has the shape of ``_ONE``
    (one pattern match a letter instead of a token loop); None otherwise."""
    if not records or len(records) % 2:
        return None
    found: Answer = {}
    pairs = iter(records)
    for record, closing in zip(pairs, pairs, strict=True):
        if closing != b")" or type(record) is not tuple or len(record) != 2:
            return None
        text, literal = record
        if type(text) is not bytes or type(literal) is not bytes:
            return None
        one = _ONE.fullmatch(text)
        if one is None or len(literal) != int(one[7]):
            return None
        key = seq = int(one[1])
        data: dict[bytes, Any] = {b"SEQ": seq}
        for name, value in ((one[2], one[3]), (one[4], one[5])):
            if name == b"UID":
                key = int(value)
            elif name is not None:
                data[name] = int(value)
        data[one[6].upper()] = literal
        found.setdefault(key, {}).update(data)
    return found


def parse(records: Sequence[Any]) -> Answer | None:
    """imapclient's ``parse_fetch_response(records)`` keyed by UID, for the
    plain shape only; None for anything else."""
    quick = _one_literal_each(records)
    if quick is not None:
        return quick
    tokens = _tokens(records)
    if tokens is None:
        return None
    found: Answer = {}
    index, count = 0, len(tokens)
    while index < count:
        seq = tokens[index]
        if not isinstance(seq, bytes) or not _NUMBER.fullmatch(seq):
            return None
        if index + 1 >= count or tokens[index + 1] != b"(":
            return None
        index += 2
        data: dict[bytes, Any] = {b"SEQ": int(seq)}
        key = int(seq)
        while index < count and tokens[index] != b")":
            if index + 1 >= count:
                return None
            name, value = tokens[index], tokens[index + 1]
            if not isinstance(name, bytes) or name in (b"(", b")"):
                return None
            word = name.upper()
            if word in _NUMERIC_ITEMS:
                if not isinstance(value, bytes) or not _NUMBER.fullmatch(value):
                    return None
                if word == b"UID":
                    key = int(value)
                else:
                    data[word] = int(value)
            elif word.startswith(b"BODY["):
                if isinstance(value, tuple):
                    data[word] = value[0]
                elif value == b"NIL":
                    data[word] = None
                else:
                    return None
            else:
                return None
            index += 2
        if index >= count:  # no closing parenthesis
            return None
        index += 1
        found.setdefault(key, {}).update(data)
    return found


def uid_set(uids: Sequence[int]) -> str:
    """UIDS as an IMAP sequence set, each run of consecutive ascending UIDs
    as ``first:last``: a batch of a thousand UIDs is a few bytes on the
    command line instead of ~7,000 (servers refuse lines of some KB)."""
    parts: list[str] = []
    first = last = -1
    for uid in uids:
        if uid == last + 1 and last >= 0:
            last = uid
            continue
        if last >= 0:
            parts.append(str(first) if first == last else f"{first}:{last}")
        first = last = uid
    if last >= 0:
        parts.append(str(first) if first == last else f"{first}:{last}")
    return ",".join(parts)


@dataclasses.dataclass(frozen=True)
class Sent:
    """A UID FETCH written to the server whose answer is not read yet
    (``tag`` None: the client is not imapclient's and is asked in ``complete``)."""

    uids: tuple[int, ...]
    items: tuple[bytes, ...]
    tag: bytes | None


def send(client: Any, uids: Sequence[int], items: Sequence[bytes]) -> Sent:
    """Write ``UID FETCH uids items`` without waiting for its answer, so the
    server prepares it while we work; ``complete`` reads it. Until then the
    caller sends nothing else on this connection: the answer's untagged lines
    would be read, and taken, by the other command."""
    imap = getattr(client, "_imap", None)
    if not uids or imap is None or getattr(client, "use_uid", None) is not True:
        return Sent(tuple(uids), tuple(items), None)
    tag = imap._command("UID", "FETCH", uid_set(uids), seq_to_parenstr_upper(items))
    return Sent(tuple(uids), tuple(items), tag)


def complete(client: Any, sent: Sent) -> Answer:
    """The answer of a ``send``, by UID, read by ``parse`` when it has the
    plain shape (imapclient's parser otherwise)."""
    if not sent.uids:
        return {}
    if sent.tag is None:
        return dict(client.fetch(list(sent.uids), list(sent.items)))
    imap = client._imap
    typ, data = fetch_reader.command_complete(imap, "FETCH", sent.tag)
    client._checkok("fetch", typ, data)
    typ, data = imap._untagged_response(typ, data, "FETCH")
    answer = parse(data) if data != [None] else {}
    if answer is None:
        answer = dict(parse_fetch_response(data, client.normalise_times, True))
    return {uid: answer[uid] for uid in sent.uids if uid in answer}


def fetch(client: Any, uids: Sequence[int], items: Sequence[bytes]) -> Answer:
    """``client.fetch(uids, items)`` by UID, its answer read by ``parse`` when
    it has the plain shape. A client that is not imapclient's (a test's
    fake, a wrapper) is simply asked."""
    return complete(client, send(client, uids, items))


class Ahead:
    """One batch's FETCH sent while the batch before it is written, so the
    server prepares the answer during our work instead of after it.

    ``queue`` names the next batch, ``send`` writes its FETCH; ``take`` gives a batch's answer
    (the one sent ahead when it was for these UIDs, else asked now);
    ``settle`` reads an answer still on the wire, and must come before any
    other command on the connection (a batch retried letter by letter, a
    cancelled sync), whose reading would otherwise take its lines."""

    def __init__(self, client: Any, items: Sequence[bytes]) -> None:
        self.client = client
        self.items = tuple(items)
        self._sent: Sent | None = None
        self._answer: tuple[tuple[int, ...], Answer] | None = None
        self._queued: tuple[int, ...] = ()

    def queue(self, uids: Sequence[int]) -> None:
        """The UIDs ``send`` asks for: the batch after the one being imported."""
        self._queued = tuple(uids)

    def send(self) -> None:
        uids, self._queued = self._queued, ()
        if uids and self._sent is None and self._answer is None:
            self._sent = send(self.client, uids, self.items)

    def settle(self) -> None:
        if self._sent is not None:
            sent, self._sent = self._sent, None
            self._answer = (sent.uids, complete(self.client, sent))

    def take(self, uids: Sequence[int]) -> Answer:
        self.settle()
        if self._answer is not None and self._answer[0] == tuple(uids):
            answer, self._answer = self._answer[1], None
            return answer
        return fetch(self.client, uids, self.items)
