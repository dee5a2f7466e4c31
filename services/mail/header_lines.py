"""A plain header block split into its fields without the email package.

compat32's header parser reads a block line by line in Python with a
pattern per line; the header scan's blocks are nearly all plain (every line
a ``Name:`` field or its continuation, CRLF or LF line ends), and for those
the split is simple. ``plain_fields`` gives the (name, raw value) pairs the
parser gives; ``plain_values`` goes one step further for the scan: the
unfolded, trimmed values of the fields it reads, keyed by lower-case name,
as ``mime_headers.read_headers`` collects them. Both return None for any
other block, which then takes the general way.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"[!-9;-~]+:")
# One field of a block whose line ends are "\n": its name, then its value
# up to the next line that does not start with a space or tab.
_FIELD = re.compile(r"([!-9;-~]+):([^\n]*(?:\n[ \t][^\n]*)*)(?:\n|\Z)")


def plain_fields(block: bytes) -> list[tuple[str, str]] | None:
    """The (name, raw value) pairs compat32's header parser gives for a
    plain header block, split without it (a third of the header scan);
    None for anything else, which the parser then reads."""
    if block.count(b"\r") != block.count(b"\r\n"):  # a lone CR ends a line for the parser
        return None
    fields: list[tuple[str, list[str]]] = []
    # lines without their "\n" (a CRLF line keeps its "\r", which rstrip removes below)
    for line in block.decode("ascii", "surrogateescape").split("\n"):
        if line in ("\r", ""):
            break
        if line[0] in " \t":
            if not fields:
                return None
            fields[-1][1].append(line)
        elif _NAME.match(line):
            name, _, rest = line.partition(":")
            fields.append((name, [rest.lstrip(" \t")]))
        else:
            return None
    return [(name, "\n".join(parts).rstrip("\r\n")) for name, parts in fields]


def plain_values(
    block: bytes, used: frozenset[str], max_chars: int, max_values: int
) -> dict[str, list[str]] | None:
    """The unfolded, trimmed values of the USED fields of a plain block, in
    order; None for a block ``plain_fields`` refuses, one longer than
    MAX_CHARS (a value could pass the bound) or with a field more than
    MAX_VALUES times (the general path notes it).

    Equal to ``plain_fields`` then ``read_headers``' unfolding: every CR
    of a plain block ends a line, a line break before a continuation line
    is what the unfolding removes, so the value without its line breaks,
    trimmed, is the same; one match a field instead of a loop over lines."""
    if len(block) > max_chars or block.count(b"\r") != block.count(b"\r\n"):
        return None
    text = block.decode("ascii", "surrogateescape")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    fields: dict[str, list[str]] = {}
    position, end, match = 0, len(text), _FIELD.match
    while position < end:
        found = match(text, position)
        if found is None:
            if text[position] == "\n":  # the empty line: the rest is the body
                break
            return None  # a line that is neither a field nor its continuation
        position = found.end()
        key = found[1].lower()
        if key not in used:
            continue
        values = fields.get(key)
        if values is None:
            values = fields[key] = []
        elif len(values) >= max_values:
            return None
        value = found[2]
        values.append((value.replace("\n", "") if "\n" in value else value).strip())
    return fields
