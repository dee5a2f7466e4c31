"""Where README.md names a JSON field of a command, for test_cli_json_fields.

The text documenting a command is its table rows (not their first cell, the
synopsis) and its "JSON shapes" lines; a field is documented when that text
names it as a field (a list item, a lone name or a quoted key of a code span);
inside ``parent{…}`` only what README lists there counts, and ``name{}`` is
a map keyed by data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tests.integration.test_cli_documented import UNITS, _documents

NESTING = 8  # objects and lists within each other: deeper than any shape README documents


def readme_for(places: tuple[str, ...]) -> str:
    """The README text documenting a command's JSON: what its table rows say
    (not their first cell: the synopsis's flags, ``--client ID``, name no
    field) and its JSON shapes lines."""
    found = []
    for place in places:
        if place.startswith("- "):
            units = [u for u in UNITS if u.startswith(f"{place}:")]
        else:
            rows = [u for u in UNITS if u.startswith("| `") and _documents(u, place)]
            units = [re.split(r"(?<!\\)\|", row, maxsplit=2)[2] for row in rows]
        assert units, f"README.md has no {place!r} to document a command's JSON"
        found += units
    return "\n".join(found)


def field_names(text: str) -> set[str]:
    """The names README gives as fields in the code spans of ``text``: the
    items of a list (``id, name, steps[{…}]``), a lone name (`` `pushed` ``),
    a quoted key (``{"ran": …}``); not a word of a flag (``--if-version N``),
    of a value (``mail:ID``) or of the choices in parentheses
    (``state (queued|sent)``), which name no field."""
    names: set[str] = set()
    for span in re.findall(r"`([^`]+)`", text):
        names |= set(re.findall(r'"(\w+)"\s*:', span))
        while re.search(r"\([^()]*\)", span):
            span = re.sub(r"\([^()]*\)", " ", span)
        for piece in re.split(r"[,{}\[\]]", span):
            if re.fullmatch(r"\w+", piece.strip()):
                names.add(piece.strip())
    return names


def members(text: str, parent: str) -> set[str] | None:
    """The names README lists inside ``parent{…}`` or ``parent[{…}]`` (every
    place it does), or None where it gives no list (``contacts[]``, a shape
    named elsewhere such as ``party{…client…}``): then any field name of the text
    counts."""
    names: set[str] = set()
    listed = False
    for span in re.findall(r"`([^`]+)`", text):
        for found in re.finditer(rf"(?<!\w){re.escape(parent)}\[?\{{", span):
            depth, end = 1, found.end()
            while end < len(span) and depth:
                depth += {"{": 1, "}": -1}.get(span[end], 0)
                end += 1
            inside = span[found.end() : end - 1]
            if "…" in inside and not re.search(r"\w+,", inside):
                continue  # ``{…client…}`` or ``{…}``: the shape is listed elsewhere
            listed = True
            names |= field_names(f"`{inside}`")
    return names if listed else None


def data_maps(text: str) -> set[str]:
    """Fields README writes as ``name{}``: maps keyed by data, not by field names."""
    return set(re.findall(r"(\w+)\{\}", text))


def paths(value: Any, maps: set[str], prefix: str = "", depth: int = 0) -> Iterator[str]:
    """Every field path of a JSON value: an object's keys, a list's items' keys, nested."""
    if depth > NESTING:
        return
    if isinstance(value, list):
        for item in value:
            yield from paths(item, maps, prefix, depth + 1)
    elif isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            if key not in maps:
                yield from paths(inner, maps, path, depth + 1)


def not_in_readme(args: list[str], places: tuple[str, ...], output: Any) -> list[str]:
    """Each field path of ``output`` README does not name where ``places`` say."""
    text = readme_for(places)
    documented, maps = field_names(text), data_maps(text)
    missing = []
    for path in sorted(set(paths(output, maps))):
        *parents, leaf = path.split(".")
        listed = members(text, parents[-1]) if parents else None
        if leaf not in (documented if listed is None else listed):
            missing.append(f"{' '.join(args)}: {path}")
    return missing
