"""The CLI's promise on bad input, kept once for every command.

"Bad input: exit 2, one line, nothing changed" must hold for commands
written later too, so it lives here and not in each command: the parser
class refuses in one line instead of printing its usage block, every
integer option is bounded to what the database can store, arguments that
are not valid text are refused before anything runs, and a reader that
goes away (``| head -1``) ends the output quietly.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from services.core.errors import UserError

# argparse looks its own messages up in gettext's catalogues for every parser
# it makes: ~550 lookups of a few stat() calls each, ~45 ms of every CLI call
# (issue #16). A message's translation cannot change within a process.
setattr(argparse, "_", functools.cache(getattr(argparse, "_")))  # noqa: B009, B010

#: The largest integer SQLite and PostgreSQL's BIGINT can hold.
INT_MAX = 2**63 - 1


class ArgumentRefused(UserError):
    """The command line itself is wrong: no command ran."""


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line and exit 2 like every refusal.

    Sub-parsers inherit the class (argparse makes them with ``type(self)``).
    """

    def error(self, message: str) -> NoReturn:
        where = self.prog.removeprefix("touchpoint").strip()
        reason = " ".join(message.split())
        raise ArgumentRefused(f"{where}: {reason}" if where else reason)


def whole_number(text: str) -> int:
    """An id, count or size: a whole number the database can store."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {_one_line(text)!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    if value > INT_MAX:
        raise argparse.ArgumentTypeError(f"{_one_line(text, 30)} is too large (at most {INT_MAX})")
    return value


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every sub-parser below it, each once."""
    seen: set[int] = set()
    stack = [parser]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())


def harden(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give every ``type=int`` option of every command the bounded whole-number type."""
    for each in parsers(parser):
        for action in each._actions:
            if action.type is int:
                action.type = whole_number
    return parser


def check_text(argv: Sequence[str], env: dict[str, str] | None = None) -> None:
    """Refuse arguments that are not text before any command sees them.

    On POSIX, bytes that are not UTF-8 reach Python as lone surrogates
    (surrogateescape); they cannot be stored, printed or sent anywhere.
    """
    environ = os.environ if env is None else env
    named = [(f"argument {n}", a) for n, a in enumerate(argv, 1)]
    named += [(f"${k}", environ[k]) for k in ("TOUCHPOINT_DB", "TOUCHPOINT_USER") if k in environ]
    for what, value in named:
        if "\x00" in value:
            raise ArgumentRefused(f"{what} contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "replace").decode("utf-8")
            raise ArgumentRefused(
                f"{what} is not valid UTF-8 text ({_one_line(shown)!r}); "
                "check the terminal's or the script's encoding"
            ) from None


def quiet_stdout() -> None:
    """The reader of our output went away: send the rest to the void.

    As Python's documentation on SIGPIPE recommends, devnull is put over
    stdout so the interpreter's final flush does not fail again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (captured in tests): nothing to flush there
    finally:
        os.close(devnull)


def new_sqlite_file(db: str | None) -> Path | None:
    """The SQLite file this command would create, or None when it exists or is no file."""
    from services.core.storage import resolve_url

    url = resolve_url(db)
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = Path(url.removeprefix(prefix).split("?", 1)[0])
    if not str(path) or str(path) == ":memory:" or path.exists():
        return None
    return path


def forget_new_file(path: Path | None) -> None:
    """A refused command leaves no database behind that it created itself."""
    if path is None:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
