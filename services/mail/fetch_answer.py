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

import re
from collections.abc import Sequence
from typing import Any

from imapclient.imapclient import join_message_ids, seq_to_parenstr_upper
from imapclient.response_parser import parse_fetch_response

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


def parse(records: Sequence[Any]) -> Answer | None:
    """imapclient's ``parse_fetch_response(records)`` keyed by UID, for the
    plain shape only; None for anything else."""
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


def fetch(client: Any, uids: Sequence[int], items: Sequence[bytes]) -> Answer:
    """``client.fetch(uids, items)`` by UID, its answer read by ``parse`` when
    it has the plain shape. A client that is not imapclient's (a test's
    fake, a wrapper) is simply asked."""
    if not uids:
        return {}
    imap = getattr(client, "_imap", None)
    if imap is None or getattr(client, "use_uid", None) is not True:
        return dict(client.fetch(list(uids), list(items)))
    tag = imap._command("UID", "FETCH", join_message_ids(list(uids)), seq_to_parenstr_upper(items))
    typ, data = imap._command_complete("FETCH", tag)
    client._checkok("fetch", typ, data)
    typ, data = imap._untagged_response(typ, data, "FETCH")
    answer = parse(data) if data != [None] else {}
    if answer is None:
        answer = dict(parse_fetch_response(data, client.normalise_times, True))
    return {uid: answer[uid] for uid in uids if uid in answer}
