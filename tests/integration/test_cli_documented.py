"""The CLI contract is written down: every command and flag in README.md, none there that is gone.

``touchpoint <command> --json`` is used by scripts, admins and acceptance
checks, who learn it from README.md and ``--help``. These tests walk the
real argparse tree (``build_parser(None)``, the one the CLI parses with when
it builds every command) and fail naming what is undocumented or stale, so
a command added without its README line, or a README line left behind by a
removed command, is noticed at once.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import build_parser, main

README = Path(__file__).resolve().parents[2] / "README.md"

# Flags every command has and README.md documents once for all of them
# ("Every command takes `--json`"), and argparse's own.
COMMON_FLAGS = frozenset({"--json", "--help", "-h"})


def _tree(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser, str | None]]:
    """Every command path below ``parser`` with its parser and its help line."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), sub, helps.get(name)
                yield from _tree(sub, (*path, name))


def _is_group(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)


COMMANDS = [(" ".join(path), sub, help_line) for path, sub, help_line in _tree(build_parser(None))]
LEAVES = [(name, sub) for name, sub, _ in COMMANDS if not _is_group(sub)]


def _units(text: str) -> list[str]:
    """README.md cut into what documents one thing: a table row, a list item, a paragraph."""
    units: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        starts_new = line.startswith(("|", "- ", "#")) or not line.strip()
        if starts_new and current:
            units.append("\n".join(current))
            current = []
        if line.startswith("|") or line.startswith("#"):
            units.append(line)
        elif line.strip():
            current.append(line)
    if current:
        units.append("\n".join(current))
    return units


def _code_spans(unit: str) -> list[str]:
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", unit)]


def _words(span: str) -> list[str]:
    """A code span's leading command words: ``memo add\\|edit KIND`` → memo, add|edit."""
    span = re.sub(r"^touchpoint(\s+--\w+(\s+\S+)?)*\s+", "", span)
    words = []
    for word in span.replace("\\|", "|").split():
        if not re.fullmatch(r"[a-z][a-z0-9_-]*(\|[a-z][a-z0-9_-]*)*", word):
            break
        words.append(word)
    return words


def _documents(unit: str, command: str) -> bool:
    """Does this README unit name the command in a code span (as its leading words)?"""
    wanted = command.split()
    for span in _code_spans(unit):
        words = _words(span)
        if len(words) < len(wanted):
            continue
        if all(w in words[i].split("|") for i, w in enumerate(wanted)):
            return True
    return False


UNITS = _units(README.read_text(encoding="utf-8"))


def _flags(parser: argparse.ArgumentParser) -> list[str]:
    """The command's flags as a user types them (the long form when there is one).

    A flag hidden from ``--help`` (``help=SUPPRESS``: a knob for tests and
    benchmarks) is not part of the contract.
    """
    flags = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        strings = [s for s in action.option_strings if s not in COMMON_FLAGS]
        if strings:
            flags.append(max(strings, key=len))
    return flags


def test_every_command_is_in_readme() -> None:
    missing = [name for name, _s, _h in COMMANDS if not any(_documents(u, name) for u in UNITS)]
    assert not missing, f"commands README.md does not document: {missing}"


def test_every_flag_is_in_readme_beside_its_command() -> None:
    missing = []
    for name, sub in [*LEAVES, ("", build_parser(None))]:
        text = "\n".join(u for u in UNITS if not name or _documents(u, name))
        missing += [
            f"{name or 'touchpoint'} {flag}"
            for flag in _flags(sub)
            if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text)
        ]
    assert not missing, f"flags README.md does not document where it names their command: {missing}"


def _documented_commands(groups: set[str]) -> Iterator[list[str]]:
    """The commands README.md names: its table's first cells, and in prose a group's action.

    In running text only a span that opens with a command group and goes on
    with a word (``admin migrate``) is taken for a command: ``link`` or
    ``settings`` alone may be plain words there.
    """
    for unit in UNITS:
        if unit.startswith("| `"):
            first_cell = re.split(r"(?<!\\)\|", unit)[1]
            yield from (_words(span) for span in _code_spans(first_cell))
        for span in _code_spans(unit):
            words = _words(span)
            if len(words) > 1 and words[0] in groups:
                yield words


def test_no_command_in_readme_is_stale() -> None:
    root = build_parser(None)
    groups = {name for name, sub, _h in COMMANDS if " " not in name and _is_group(sub)}
    stale = []
    for words in _documented_commands(groups):
        parser: argparse.ArgumentParser = root
        for depth, word in enumerate(words):
            subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            if not subs:
                break  # a leaf: the rest are its arguments (client|lead|contact)
            choices = subs[0].choices
            unknown = [w for w in word.split("|") if w not in choices]
            if unknown:
                stale.append(" ".join([*words[:depth], *unknown]))
                break
            parser = choices[word.split("|")[0]]
    assert not stale, f"README.md documents commands that do not exist: {stale}"


@pytest.mark.parametrize("name", [name for name, _sub, _help in COMMANDS])
def test_help_exits_0_and_describes_the_command(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    help_line = next(h for n, _s, h in COMMANDS if n == name)
    assert help_line, f"`touchpoint --help` lists {name!r} without a line"
    assert help_line.strip(), f"`touchpoint --help` lists {name!r} with a blank line"
    capsys.readouterr()
    code = main([*name.split(), "--help"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith(f"usage: touchpoint {name}")
    description = out.split("\n\n")[1]  # argparse: usage, description, argument sections
    assert not description.startswith(("options:", "positional arguments:")), out
    assert len(description.split()) >= 2, out


def test_the_module_entry_point_lists_every_command_with_its_line() -> None:
    """``python -m desktop.cli --help``, in a process of its own as a script
    runs it: every top-level command with its help line (argparse wraps long
    lines, so whitespace is left out of the comparison)."""
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: touchpoint ")
    listed = "".join(proc.stdout.split())
    unlisted = [
        name
        for name, _sub, help_line in COMMANDS
        if " " not in name and "".join(f"{name} {help_line}".split()) not in listed
    ]
    assert not unlisted, f"`touchpoint --help` does not list: {unlisted}"


def _filler(action: argparse.Action) -> str:
    if action.choices:
        return str(next(iter(action.choices)))
    return "1" if action.type not in (None, str) else "x"


def _valid_argv(name: str, parser: argparse.ArgumentParser) -> list[str]:
    """The command with made-up values for what it requires, so only the bad flag is wrong."""
    argv = name.split()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if not action.option_strings and action.nargs not in ("?", "*"):
            argv.append(_filler(action))
        elif action.required:
            argv += [action.option_strings[0], _filler(action)]
    for group in parser._mutually_exclusive_groups:
        if group.required:
            first = group._group_actions[0]
            argv.append(first.option_strings[0])
            if first.nargs != 0:
                argv.append(_filler(first))
    return argv


@pytest.mark.parametrize("name", [name for name, _sub in LEAVES])
def test_an_unknown_flag_is_one_line_and_exit_2(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sub = next(s for n, s in LEAVES if n == name)
    capsys.readouterr()
    db = tmp_path / "untouched.sqlite3"
    code = main(["--db", str(db), *_valid_argv(name, sub), "--no-such-flag"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert "--no-such-flag" in err, err
    assert not db.exists()
