"""``fetch_reader.command_complete`` ends a FETCH exactly as imaplib's
``_command_complete`` does: the same tagged result, the same untagged
responses left for the caller, the same errors, on answers a scripted
server sends (plain ones, other untagged lines among them, cut or broken ones)."""

from __future__ import annotations

import imaplib
import random
import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest

from services.mail import fetch_reader

HEAD = "From: Иван <ivan@romashka.ru>\r\nSubject: счёт\r\n\r\n".encode()


def _letter(seq: int, literal: bytes = HEAD) -> bytes:
    return (
        b"* %d FETCH (UID %d RFC822.SIZE 8000 BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}\r\n"
        % (
            seq,
            seq + 100,
            len(literal),
        )
        + literal
        + b")\r\n"
    )


PLAIN = b"".join(_letter(n) for n in range(1, 4)) + b"TAG OK Fetch completed.\r\n"

SCRIPTS = {
    "plain": PLAIN,
    "two literals a letter": b"* 1 FETCH (UID 9 BODY[HEADER] {4}\r\nab\r\n BODY[TEXT]<0> {2}\r\n"
    b"xy)\r\n" + b"TAG OK done\r\n",
    "no literal": b"* 1 FETCH (UID 9 RFC822.SIZE 3)\r\nTAG OK done\r\n",
    "exists and expunge among them": _letter(1)
    + b"* 7 EXISTS\r\n* 2 EXPUNGE\r\n"
    + _letter(3)
    + b"* OK [HIGHESTMODSEQ 5] x\r\nTAG OK done\r\n",
    "flags": b"* 1 FETCH (FLAGS (\\Seen) UID 9)\r\n" + _letter(2) + b"TAG OK done\r\n",
    "empty data": b"* 1 FETCH \r\n* 2 FETCH\r\nTAG OK done\r\n",
    "lower-case fetch": b"* 1 fetch (UID 9)\r\nTAG OK done\r\n",
    "no": _letter(1) + b"TAG NO [SERVERBUG] sorry\r\n",
    "bad": b"TAG BAD Error in IMAP command\r\n",
    "bye": _letter(1) + b"* BYE going away\r\n",
    "bye then ok": _letter(1) + b"* BYE going away\r\nTAG OK done\r\n",
    "cut in a literal": _letter(1) + b"* 2 FETCH (UID 9 BODY[] {400}\r\nabc",
    "cut after a literal": b"* 2 FETCH (UID 9 BODY[] {3}\r\nabc",
    "cut line": _letter(1) + b"* 2 FETCH (UID 9",
    "nothing": b"",
    "another tag": b"XYZ1 OK done\r\n",
    "continuation": b"+ go on\r\n" + _letter(1) + b"TAG OK done\r\n",
    "lone cr": b"* 1 FETCH (UID 9 \r RFC822.SIZE 3)\r\nTAG OK done\r\n",
    "utf-8": '* 1 FETCH (UID 9 BODY[HEADER] "щ")\r\nTAG OK done\r\n'.encode(),
    "garbage": b"hello\r\nTAG OK done\r\n",
}


def _server(script: bytes) -> int:
    """A one-connection IMAP server: greets, answers CAPABILITY, then sends
    SCRIPT (TAG made the command's tag) for the next command and closes."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run() -> None:
        with listener:
            conn, _ = listener.accept()
            with conn, conn.makefile("rb") as lines:
                conn.sendall(b"* OK ready\r\n")
                for line in lines:
                    tag, _, command = line.partition(b" ")
                    if command.startswith(b"CAPABILITY"):
                        conn.sendall(b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK done\r\n")
                        continue
                    conn.sendall(script.replace(b"TAG", tag))
                    break

    threading.Thread(target=run, daemon=True).start()
    return int(listener.getsockname()[1])


def _outcome(script: bytes, complete: Callable[[Any, str, bytes], Any]) -> str:
    """What the caller is left with, its tag written TAG (each connection has its own)."""
    imap = imaplib.IMAP4("127.0.0.1", _server(script), timeout=10)
    tag = imap._new_tag()
    del imap.tagged_commands[tag]
    return repr(_left(imap, complete)).replace(tag.decode()[:-1], "TAG")


def _left(imap: Any, complete: Callable[[Any, str, bytes], Any]) -> tuple[object, ...]:
    imap.debug = 0
    imap.state = "SELECTED"
    try:
        tag = imap._command("UID", "FETCH", "1:3", "(BODY.PEEK[])")
        try:
            typ, data = complete(imap, "FETCH", tag)
        except imaplib.IMAP4.error as exc:
            return (type(exc), str(exc), imap.untagged_responses)
        return (typ, data, imap.untagged_responses, imap.tagged_commands)
    finally:
        imap.shutdown()


def _imaplib(imap: Any, name: str, tag: bytes) -> Any:
    return imap._command_complete(name, tag)


@pytest.mark.parametrize("name", SCRIPTS)
def test_an_answer_ends_as_imaplib_ends_it(name: str) -> None:
    script = SCRIPTS[name]
    assert _outcome(script, fetch_reader.command_complete) == _outcome(script, _imaplib)


def test_the_plain_answer_is_stored_as_imaplib_stores_it() -> None:
    imap = imaplib.IMAP4("127.0.0.1", _server(PLAIN), timeout=10)
    typ, data, untagged, _tags = _left(imap, fetch_reader.command_complete)
    assert (typ, data) == ("OK", [b"Fetch completed."])
    literal = b"BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}" % len(HEAD)
    assert untagged["FETCH"][:2] == [(b"1 (UID 101 RFC822.SIZE 8000 " + literal, HEAD), b")"]


def test_seeded_damaged_answers_end_as_imaplib_ends_them() -> None:
    rng = random.Random(1617)
    pieces = (b"\r\n", b"{3}", b"{0}\r\n", b"* ", b"FETCH ", b")", b"\r", b"TAG OK x\r\n", b"")
    for _ in range(60):
        cut = rng.randrange(len(PLAIN) + 1)
        script = PLAIN[:cut] + rng.choice(pieces) + PLAIN[cut + rng.randrange(4) :]
        ours = _outcome(script, fetch_reader.command_complete)
        assert ours == _outcome(script, _imaplib), script
