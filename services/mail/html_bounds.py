"""Bounds on a letter's HTML, so that neither the sanitizer nor the viewer
can be made to work for minutes.

Measured on hostile letters: html5ever (nh3) is quadratic in nesting depth
(100k nested ``<div>``: 168 s to sanitize), and QTextDocument lays out nested
tables exponentially (20 levels, 304 bytes: 30-50 s) and long documents
slowly (29 MB of text: 45 s). So before and after cleaning, one linear pass
keeps the first ``MAX_HTML_CHARS`` of the letter, at most ``MAX_DEPTH``
nested elements, ``MAX_TABLE_DEPTH`` nested tables, ``MAX_ELEMENTS``
elements and ``MAX_IMAGES`` images. What is past a bound loses its tags and
keeps its text (a flattened table: cells separated by spaces, rows by line
breaks). What was done is recorded in a comment at the start of the stored
HTML (letters cannot forge one: the sanitizer removes their comments), so
the viewer can say so above the letter.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

MAX_HTML_CHARS = 1_000_000
# Before nh3 the letter is raw (unclosed <p>, <td> count as nesting): a loose
# bound that only keeps html5ever fast (depth 256 over 2 MB: 0.4 s).
MAX_RAW_DEPTH = 256
MAX_DEPTH = 48
MAX_TABLE_DEPTH = 6
MAX_ELEMENTS = 20_000
MAX_IMAGES = 200
# What the viewer lays out with formatting; a bigger letter shows its beginning.
# Layout work grows with the text and doubles with each table around it, so a
# character costs 2**(open tables) and an element 48 times that.
MAX_LAYOUT_COST = 300_000
# A word longer than this gets break opportunities (U+200B): laying out one
# 250k-character word took 11 s.
MAX_WORD = 100
_LONG_WORD = re.compile(r"\S{" + str(MAX_WORD) + "}")
_SPACE = re.compile(r"\s")
_ELEMENT_COST = 48

# Why a letter was simplified, in the order the viewer lists them.
REASONS = ("size", "depth", "tables", "elements", "images")
_MARK = re.compile(r"<!--touchpoint-simplified:([a-z,]*)-->")

_VOID = {"br", "hr", "img", "wbr", "col", "area", "input", "meta", "link", "base"}
_VOID |= {"source", "param", "track", "embed", "keygen"}
_TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"}
_TABLE_PARTS |= {"col"}


@dataclasses.dataclass(frozen=True)
class BoundedHtml:
    html: str
    simplified: tuple[str, ...]  # codes from REASONS, empty when nothing was cut


class _Bounder(HTMLParser):
    """Re-emits HTML as it came, minus the tags past the bounds."""

    def __init__(
        self, max_depth: int, max_tables: int, max_elements: int, max_cost: int | None = None
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.max_depth = max_depth
        self.max_tables = max_tables
        self.max_elements = max_elements
        self.max_cost = max_cost
        self.cost = 0
        self.word = 0  # characters since the last space, across elements
        self.trust_marks = False  # only in HTML that went through nh3 (no letter comments)
        self.full = False  # past max_cost: the rest of the letter is left out
        self.out: list[str] = []
        self.stack: list[str] = []  # kept open elements
        self.dropped: dict[str, int] = {}  # dropped open elements by name
        self.tables = 0  # kept open tables
        self.flat_tables = 0  # dropped open tables: their parts lose their tags too
        self.elements = 0
        self.images = 0
        self.reasons: set[str] = set()

    def _drop(self, tag: str, reason: str) -> None:
        self.reasons.add(reason)
        if tag not in _VOID:
            self.dropped[tag] = self.dropped.get(tag, 0) + 1
            if tag == "table":
                self.flat_tables += 1

    def _limit(self, tag: str) -> str | None:
        """Why this start tag must go, or None to keep it."""
        if tag in _TABLE_PARTS and self.flat_tables:
            return "tables"
        if self.elements >= self.max_elements:
            return "elements"
        if tag == "img" and self.images >= MAX_IMAGES:
            return "images"
        if tag in _VOID:
            return None
        if len(self.stack) >= self.max_depth:
            return "depth"
        if tag == "table" and self.tables >= self.max_tables:
            return "tables"
        return None

    def _spend(self, amount: int) -> bool:
        """Whether this much more layout work fits; past the budget, nothing does."""
        if self.max_cost is None:
            return True
        self.cost += amount << self.tables
        if self.cost > self.max_cost:
            self.full = True
            self.reasons.add("size")
        return not self.full

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.full:
            return
        reason = self._limit(tag)
        if reason is not None:
            self._drop(tag, reason)
            return
        if not self._spend(_ELEMENT_COST):
            return
        self.elements += 1
        self.images += tag == "img"
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in _VOID:
            self.stack.append(tag)
            self.tables += tag == "table"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.full:
            return
        if self.dropped.get(tag):
            self.dropped[tag] -= 1
            if tag == "table":
                self.flat_tables -= 1
            if self.flat_tables or tag == "table":
                self.out.append({"td": " ", "th": " ", "tr": "<br>"}.get(tag, ""))
            return
        if tag not in self.stack:
            return  # a stray end tag: nothing to close
        while self.stack:
            open_tag = self.stack.pop()
            self.tables -= open_tag == "table"
            self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.full or not self._spend(len(data)):
            return
        if self.max_cost is not None:  # for display: no endless words
            data = self._breakable(data)
        self.out.append(data.replace("<", "&lt;"))

    def _breakable(self, data: str) -> str:
        data = _LONG_WORD.sub(lambda word: word.group(0) + "\u200b", data)
        spaces = list(_SPACE.finditer(data))
        if not spaces:
            self.word += len(data)
            if self.word >= MAX_WORD:
                self.word = 0
                return "\u200b" + data
            return data
        self.word = len(data) - spaces[-1].end()
        return data

    def handle_entityref(self, name: str) -> None:
        if not self.full and self._spend(1):
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.full and self._spend(1):
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        found = self.trust_marks and _MARK.fullmatch(f"<!--{data}-->")
        if found:  # ours, from an earlier pass: keep what it says
            self.reasons.update(code for code in found.group(1).split(",") if code in REASONS)

    def close_all(self) -> None:
        self.close()
        self.out.extend(f"</{tag}>" for tag in reversed(self.stack))
        self.stack.clear()


_LIMITS = (MAX_DEPTH, MAX_TABLE_DEPTH, MAX_ELEMENTS)  # of sanitized HTML
_RAW_LIMITS = (MAX_RAW_DEPTH, MAX_RAW_DEPTH, 10 * MAX_HTML_CHARS)  # of a letter's HTML

# HTML that a _Bounder pass gives back unchanged: lower-case start tags with
# plain attributes (quoted values without < or >), their exact end tags, void
# tags, and text without '<' whose every '&' starts an entity with its ';'.
# HTMLParser tokenizes such HTML exactly as written, so only the nesting, the
# bounds and the end are left to check. One split finds every tag: the text
# between them, then per tag its name if it ends an element, else its name and
# whether it ends in "/>".
_PLAIN_TAGS = re.compile(
    r"<(?:/([a-z][a-z0-9]*)|([a-z][a-z0-9]*)"  # an exact end tag, or a start tag
    r"(?:[ \t\n\r\f]+[a-z][a-z0-9_:.-]*"  # attributes
    r"(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:\"[^\"<>]*\"|'[^'<>]*'|[^ \t\n\r\f\"'=<>`/]+))?)*"
    r"[ \t\n\r\f]*(/?))>"
)
# An '&' that starts an entity; text is joined with NUL, which no entity holds.
_PLAIN_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
# Text HTMLParser reads raw (script, style), or that later Pythons treat specially.
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
_RAW_TEXT |= {"noscript", "plaintext"}


def _unchanged(html: str, max_depth: int, max_tables: int, max_elements: int) -> bool:
    """Whether a pass of _Bounder with these bounds would give ``html`` back
    as it is: plain tokens only (see above), every element closed by its own
    end tag, no bound reached. Far cheaper than the pass itself, so HTML
    within the bounds (most letters, nearly all sanitized HTML) skips it."""
    pieces = _PLAIN_TAGS.split(html)
    if len(pieces) // 4 != html.count("<"):  # a '<' that starts no plain tag
        return False
    if "&" in html:
        text = "\0".join(pieces[::4])
        if text.count("&") != len(_PLAIN_ENTITY.findall(text)):
            return False
    ends, starts, empties = pieces[1::4], pieces[2::4], pieces[3::4]
    opened = len(starts) - starts.count(None)
    if opened > max_elements or starts.count("img") > MAX_IMAGES:
        return False
    if (
        opened <= max_depth  # then no depth is reached, nor a table depth
        and starts.count("table") <= max_tables
        and "/" not in empties
        and _RAW_TEXT.isdisjoint(starts)
    ):
        return _nested(ends, starts)
    stack: list[str] = []
    tables = 0
    for end, tag, empty in zip(ends, starts, empties, strict=True):
        if end is not None:  # closing the innermost element
            if not stack or stack.pop() != end:
                return False
            tables -= end == "table"
        elif tag in _VOID:
            continue
        elif empty or tag in _RAW_TEXT or len(stack) >= max_depth:  # <p/> becomes <p/></p>
            return False
        else:
            if tag == "table":
                if tables >= max_tables:
                    return False
                tables += 1
            stack.append(tag)
    return not stack


def _nested(ends: list[str | None], starts: list[str | None]) -> bool:
    """The loop above for HTML that reaches no bound and holds no "/>" nor
    raw-text tag: whether every element is closed by its own end tag."""
    stack: list[str | None] = []
    push, pop = stack.append, stack.pop
    for end, tag in zip(ends, starts, strict=True):
        if end is None:
            if tag not in _VOID:
                push(tag)
        elif not stack or pop() != end:
            return False
    return not stack


def bound_html(
    html: str,
    *,
    max_chars: int = MAX_HTML_CHARS,
    raw: bool = False,
    also: tuple[str, ...] = (),
    for_display: bool = False,
) -> BoundedHtml:
    """The HTML within the bounds, with its simplifications marked at its start.

    ``raw``: a letter before nh3 (only depth and size are bounded, loosely, so
    that nh3 stays fast). Otherwise sanitized HTML: after nh3, and in the
    viewer for letters stored before these bounds existed. Linear in the
    length of ``html``. ``also``: simplifications done before, to be marked.
    ``for_display``: also within the layout budget (MAX_LAYOUT_COST).
    """
    limits = _RAW_LIMITS if raw else _LIMITS
    if not for_display and len(html) <= max_chars and _unchanged(html, *limits):
        return _marked(html, set(also))
    return _bounded(html, max_chars=max_chars, raw=raw, also=also, for_display=for_display)


def _marked(body: str, reasons: set[str]) -> BoundedHtml:
    found = tuple(code for code in REASONS if code in reasons)
    mark = f"<!--touchpoint-simplified:{','.join(found)}-->" if found else ""
    return BoundedHtml(mark + body, found)


def _bounded(
    html: str, *, max_chars: int, raw: bool, also: tuple[str, ...], for_display: bool
) -> BoundedHtml:
    """``bound_html`` by a full _Bounder pass (the reference its shortcut is tested against)."""
    if raw:
        bounder = _Bounder(*_RAW_LIMITS)
    else:
        cost = MAX_LAYOUT_COST if for_display else None
        bounder = _Bounder(*_LIMITS, cost)
    bounder.reasons.update(also)
    bounder.trust_marks = not raw
    if len(html) > max_chars:
        bounder.reasons.add("size")
        html = html[:max_chars]
    bounder.feed(html)
    bounder.close_all()
    return _marked("".join(bounder.out), bounder.reasons)


def simplified_by(html: str) -> tuple[str, ...]:
    """The simplifications recorded at the start of stored HTML."""
    found = _MARK.match(html)
    codes = found.group(1).split(",") if found else []
    return tuple(code for code in REASONS if code in codes)
