"""vCard 2.1 / 3.0 / 4.0 reader for contact import; stdlib only, no Qt, no ORM.

Real exports break the RFCs in the same few ways (Outlook, Android, iOS,
Lotus Notes, Evolution, KDE), so the reader is lenient: a card it cannot use
becomes a ``RejectedRecord`` with a reason and the next card is read anyway.

Files are read as bytes and each value is decoded on its own: a 2.1 card may
carry ``CHARSET=SHIFT_JIS`` or ``CHARSET=UTF-8`` quoted-printable values next
to plain ASCII ones, and a folded 3.0 line may split a UTF-8 character in two,
so no single decoding of the whole file is right. Structure is parsed on a
latin-1 view of the bytes (one char per byte); values are decoded afterwards.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from services.exchange.contact_records import (
    ContactRecord,
    ParseResult,
    RejectedRecord,
    build_record,
    shown,
)

_BREAK = re.compile(r"\r*\n|\r+")  # iOS writes CR CR LF: one break, not two
_BEGIN = re.compile(r"[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_END = re.compile(r"[ \t]*END[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_AGENT_BEGIN = re.compile(
    r"[ \t]*(?:[^:;]*\.)?AGENT\b[^:]*:[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*", re.I
)
_VERSION = re.compile(r"[ \t]*VERSION[ \t]*:[ \t]*([0-9.]+)", re.IGNORECASE)
_BASE64_LINE = re.compile(r"[ \t]*[A-Za-z0-9+/=]+[ \t]*")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_QP_RUN = re.compile(r"(?:=[0-9A-Fa-f]{2})+")
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_WANTED = {"FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "NOTE", "UID"}
_BLANK = " \t\x1a"  # DOS end-of-file marker included
_FALLBACK_CHARSETS = ("utf-8", "cp1251")


@dataclass(frozen=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str  # raw: still escaped, still quoted-printable, still bytes in byte mode

    def has(self, key: str, *values: str) -> bool:
        return any(v.upper() in values for v in self.params.get(key, ()))

    @property
    def charset(self) -> str | None:
        found = self.params.get("CHARSET")
        return found[0] if found else None


def parse_vcard_text(text: str, source: str) -> ParseResult:
    """Parse vCards already decoded to text (CHARSET then only matters for QP)."""
    return _parse(text.lstrip("\ufeff"), source, byte_mode=False)


def parse_vcard_bytes(data: bytes, source: str) -> ParseResult:
    """Parse a vCard file's bytes, decoding every value by its own CHARSET."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return parse_vcard_text(data.decode("utf-16", errors="replace"), source)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return _parse(data.decode("latin-1"), source, byte_mode=True)


def _parse(text: str, source: str, *, byte_mode: bool) -> ParseResult:
    records: list[ContactRecord] = []
    rejected: list[RejectedRecord] = []
    lines = _BREAK.split(text)
    ends = _matching_ends(lines)
    count = 0
    i = 0
    while i < len(lines):
        if _BEGIN.fullmatch(lines[i]):
            count += 1
            where = f"{source}#{count}"
            end = ends.get(i)
            if end is None:
                reason = f"BEGIN:VCARD on line {i + 1} has no matching END:VCARD"
                rejected.append(RejectedRecord(where, reason))
                # A card that never ends was most likely cut short; the next
                # BEGIN then starts the next card rather than a nested one.
                i += 1
                while i < len(lines) and not _BEGIN.fullmatch(lines[i]):
                    i += 1
                continue
            result = _card(_card_lines(lines, i, end), where, byte_mode=byte_mode)
            if isinstance(result, ContactRecord):
                records.append(result)
            else:
                rejected.append(result)
            i = end + 1
        elif lines[i].strip(_BLANK):
            start = i
            while i < len(lines) and not _BEGIN.fullmatch(lines[i]):
                i += 1
            reason = "text outside BEGIN:VCARD ... END:VCARD (a card without BEGIN:VCARD?)"
            rejected.append(RejectedRecord(f"{source}:line {start + 1}", reason))
        else:
            i += 1
    return ParseResult(tuple(records), tuple(rejected))


def _matching_ends(lines: list[str]) -> dict[int, int]:
    """For each BEGIN line, the END line that closes it (nested AGENT cards included)."""
    ends: dict[int, int] = {}
    open_at: list[int] = []
    for index, line in enumerate(lines):
        if _BEGIN.fullmatch(line) or _AGENT_BEGIN.fullmatch(line):
            open_at.append(index)
        elif _END.fullmatch(line) and open_at:
            ends[open_at.pop()] = index
    return ends


def _card_lines(lines: list[str], begin: int, end: int) -> list[str]:
    """The card's own lines, nested (AGENT) cards left out."""
    body: list[str] = []
    depth = 0
    for line in lines[begin + 1 : end]:
        if _BEGIN.fullmatch(line) or _AGENT_BEGIN.fullmatch(line):
            depth += 1
        elif _END.fullmatch(line) and depth:
            depth -= 1
        elif depth == 0:
            body.append(line)
    return body


def _card(body: list[str], source: str, *, byte_mode: bool) -> ContactRecord | RejectedRecord:
    version = next((m[1] for m in map(_VERSION.match, body) if m), "")
    legacy = not version.startswith(("3", "4"))
    names: list[str] = []
    n_names: list[str] = []
    orgs: list[str] = []
    titles: list[str] = []
    emails: list[str] = []
    phones: list[str] = []
    notes: list[str] = []
    uids: list[str] = []
    warnings: list[str] = []
    for prop in _properties(body, legacy=legacy):
        if prop.name not in _WANTED:
            continue
        text = _decode(prop, byte_mode=byte_mode)
        if prop.name == "N":
            parts = _components(text, legacy=legacy) + [""] * 5
            family, given, additional, prefix, suffix = parts[:5]
            n_names.append(" ".join(p for p in (prefix, given, additional, family, suffix) if p))
        elif prop.name == "ORG":
            orgs.append(_components(text, legacy=legacy)[0])
        else:
            value = _unescape(text, legacy=legacy).strip()
            if prop.name == "TEL":
                raw, value = value, _phone(value)
                if raw and not value:
                    warnings.append(f"phone {shown(raw)} skipped: not a telephone URI")
            {
                "FN": names,
                "TITLE": titles,
                "EMAIL": emails,
                "TEL": phones,
                "NOTE": notes,
                "UID": uids,
            }[prop.name].append(value)
    return build_record(
        source,
        full_name=_first(names) or _first(n_names),
        organization=_first(orgs),
        position=_first(titles),
        emails=emails,
        phones=phones,
        note="\n".join(n for n in notes if n) or None,
        uid=_first(uids),
        warnings=warnings,
    )


def _first(values: list[str]) -> str | None:
    return next((v.strip() for v in values if v.strip()), None)


def _properties(lines: list[str], *, legacy: bool) -> Iterator[_Property]:
    """Logical properties: lines unfolded, QP soft breaks joined, blobs skipped."""
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip(_BLANK) or line[0] in " \t":
            continue  # blank, or a stray continuation of something already skipped
        pieces = [line]
        prop = _split(line)
        qp = prop is not None and _is_qp(prop)
        while i < len(lines):
            nxt = lines[i]
            if qp and pieces[-1].endswith("=") and not _END.fullmatch(nxt):
                pieces[-1] = pieces[-1][:-1]  # quoted-printable soft line break
                pieces.append(nxt)
            elif nxt[:1] in (" ", "\t"):
                pieces.append(nxt[1:])  # RFC folding: the break and one blank go away
            else:
                break
            i += 1
            if prop is None:  # the header itself was folded: look again
                prop = _split("".join(pieces))
                qp = prop is not None and _is_qp(prop)
        if len(pieces) > 1:
            prop = _split("".join(pieces))  # joined once: photos run to thousands of lines
        if prop is None:
            continue  # no colon at all: a comment or a truncated line
        if prop.has("ENCODING", "BASE64", "B") and legacy:
            # 2.1 writers put base64 lines flush left; the blob ends at a blank line.
            while i < len(lines) and _BASE64_LINE.fullmatch(lines[i]):
                i += 1
            if i < len(lines) and not lines[i].strip(_BLANK):
                i += 1
        yield prop


def _split(line: str) -> _Property | None:
    """``group.NAME;param=a,b;BARE:value`` split at the first colon outside quotes."""
    colon = _find_outside_quotes(line, ":")
    if colon < 0:
        colon = line.find(":")  # an unbalanced quote: take the first colon
        if colon < 0:
            return None
    head, value = line[:colon], line[colon + 1 :]
    parts = _split_outside_quotes(head, ";")
    name = parts[0].strip(" \t").rsplit(".", 1)[-1].upper()
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        part = part.strip(" \t")
        if not part:
            continue
        key, eq, raw = part.partition("=")
        if not eq:
            key, raw = ("ENCODING" if part.upper() in _BARE_ENCODINGS else "TYPE"), part
        values = [v.strip(" \t").strip('"') for v in _split_outside_quotes(raw, ",")]
        params.setdefault(key.strip(" \t").upper(), []).extend(values)
    return _Property(name, params, value)


def _find_outside_quotes(text: str, char: str) -> int:
    quoted = False
    for index, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            return index
    return -1


def _split_outside_quotes(text: str, char: str) -> list[str]:
    parts: list[str] = []
    while (index := _find_outside_quotes(text, char)) >= 0:
        parts.append(text[:index])
        text = text[index + 1 :]
    parts.append(text)
    return parts


def _is_qp(prop: _Property) -> bool:
    return prop.has("ENCODING", "QUOTED-PRINTABLE")


def _decode(prop: _Property, *, byte_mode: bool) -> str:
    value = prop.value
    if _is_qp(prop):
        value = value.rstrip("=")  # a soft break with nothing after it
        if byte_mode:
            data = _QP_ESCAPE.sub(lambda m: bytes.fromhex(m[1].decode()), value.encode("latin-1"))
            value = _to_text(data, prop.charset)
        else:
            value = _QP_RUN.sub(
                lambda m: _to_text(bytes.fromhex(m[0].replace("=", "")), prop.charset), value
            )
    elif byte_mode:
        value = _to_text(value.encode("latin-1"), prop.charset)
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _to_text(data: bytes, charset: str | None) -> str:
    """The declared charset if it fits, else UTF-8, else cp1251 (Russian Windows)."""
    usable = None
    for name in (charset, *_FALLBACK_CHARSETS):
        if not name:
            continue
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        usable = usable or name
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode(usable or "utf-8", errors="replace")


def _unescape(text: str, *, legacy: bool) -> str:
    out: list[str] = []
    chars = iter(text)
    for c in chars:
        if c != "\\":
            out.append(c)
            continue
        nxt = next(chars, "")
        if nxt in (";", ",", "\\", ":", '"'):  # \" is not RFC, but Google and Apple write it
            out.append(nxt)
        elif nxt in ("n", "N") and not legacy:
            out.append("\n")
        else:
            out.append(c + nxt)
    return "".join(out)


def _components(text: str, *, legacy: bool) -> list[str]:
    """A structured value (N, ORG) split at unescaped ``;``, each part unescaped."""
    parts: list[str] = []
    start = 0
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == ";":
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return [_unescape(p, legacy=legacy).strip() for p in parts]


def _phone(value: str) -> str:
    """``tel:`` URIs unwrapped; other URIs (``sip:``) are not phone numbers."""
    if value.lower().startswith("tel:"):
        return value[4:].strip()
    if _URI_SCHEME.match(value):
        return ""
    return value
