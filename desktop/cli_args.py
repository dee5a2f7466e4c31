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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

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

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction[Any]:
        kwargs.setdefault("action", Described)
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        where = self.prog.removeprefix("touchpoint").strip()
        reason = " ".join(message.split())
        raise ArgumentRefused(f"{where}: {reason}" if where else reason)


class _Unbuilt:
    """What a command not named on the command line gets instead of its parser.

    Building all ~180 sub-parsers was ~20 ms of every call (issue #16); only
    the command given is parsed, so the others are names with their help
    line (``touchpoint --help`` and "invalid choice" list them all) and this
    stand-in, which takes every ``add_argument``, ``add_subparsers`` and
    ``set_defaults`` and builds nothing.
    """

    _actions: tuple[argparse.Action, ...] = ()

    def __init__(self, **_kwargs: Any) -> None:
        pass

    def __getattr__(self, _name: str) -> Callable[..., _Unbuilt]:
        return self._ignore

    def _ignore(self, *_args: Any, **_kwargs: Any) -> _Unbuilt:
        return self


class _NotBuilt(Exception):
    """The parse reached a command that was not built: guessed wrong, build all."""


class Described(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Sub-parsers whose ``--help`` opens with their help line.

    argparse shows ``help=`` only in the parent's list; without this,
    ``touchpoint clients add --help`` printed usage and options but never
    said what the command does.
    """

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        kwargs.setdefault("description", kwargs.get("help"))
        return super().add_parser(name, **kwargs)


class Commands(Described):
    """The commands' sub-parsers, building only ``wanted``'s (None: all)."""

    wanted: str | None = None

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        aliases = kwargs.get("aliases", ())
        if self.wanted is None or self.wanted == name or self.wanted in aliases:
            return super().add_parser(name, **kwargs)
        real = self._parser_class
        self._parser_class = _Unbuilt  # registers the name and its help line as argparse does
        try:
            return super().add_parser(name, **kwargs)
        finally:
            self._parser_class = real

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if isinstance(self.choices.get(values[0]), _Unbuilt):
            raise _NotBuilt
        super().__call__(parser, namespace, values, option_string)


# The top-level options that take a value (``--db URL``), to find the command.
_VALUED = frozenset({"--db", "--user"})


def command_named(argv: Sequence[str]) -> str:
    """The command word on a command line ("" when there is none).

    A guess that argparse would not share (``--us LOGIN``, an abbreviation)
    is harmless: the parse then reaches an unbuilt command and ``parse``
    builds them all.
    """
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


def parse(build: Callable[[str | None], argparse.ArgumentParser], argv: Sequence[str]) -> Any:
    """``build(command).parse_args(argv)`` with only the command named in argv built."""
    try:
        return build(command_named(argv)).parse_args(argv)
    except _NotBuilt:
        return build(None).parse_args(argv)


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
