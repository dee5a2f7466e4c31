"""Sanitized HTML of a letter and the plain text of it (see mime.py).

The viewer (a QTextBrowser) runs no scripts, but stored HTML outlives the
viewer, so it is cleaned here once with nh3: no script/style/iframe/object or
forms, no event handlers, no CSS that can fetch, links only to
http(s)/mailto/tel. Images keep ``cid:``, raster ``data:image/...`` (never
SVG: Qt's SVG decoder reads local files) and remote http(s) sources; the
viewer blocks remote ones until the user asks for them.

The text side (charsets, header words, attachment names) is mime_text.py,
the quoted history mime_quoted.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from services.mail.html_bounds import bound_html

__all__ = ["html_to_text", "sanitize_html"]

# --- HTML ---------------------------------------------------------------------------

# Word lists read better than 120 quoted strings, hence the noqa.
_TAGS = set(
    """a abbr acronym address area article aside b bdi bdo big blockquote br caption center
    cite code col colgroup dd del details dfn div dl dt em figcaption figure font footer
    h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd li map mark nav ol p pre q s samp
    section small span strike strong sub summary sup table tbody td tfoot th thead time
    tr tt u ul wbr""".split()  # noqa: SIM905
)
# Removed together with their content; everything not in _TAGS loses the tag only.
_DROP_WITH_CONTENT = {"script", "style", "title", "head", "iframe", "object", "embed"}
_DROP_WITH_CONTENT |= {"noscript", "template", "svg", "math", "select", "textarea", "button"}
_CELL = {"align", "valign", "bgcolor", "width", "height", "colspan", "rowspan", "nowrap"}
_ATTRIBUTES = {
    "*": {"style", "title", "dir", "lang", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "border", "hspace", "vspace"},
    "font": {"color", "face", "size"},
    "table": {"border", "cellpadding", "cellspacing", "width", "bgcolor", "height"},
    "td": _CELL,
    "th": _CELL,
    "tr": {"valign", "bgcolor", "height"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "hr": {"width", "size", "noshade"},
    "blockquote": {"type", "cite"},
    "div": {"bgcolor"},
    "span": {"color"},
    "time": {"datetime"},
}
# CSS that cannot fetch anything (no url(), no background shorthand) or hide content.
_STYLE = set(
    """color background-color font font-family font-size font-style font-weight text-align
    text-decoration text-indent text-transform line-height letter-spacing vertical-align
    white-space word-break margin margin-top margin-right margin-bottom margin-left padding
    padding-top padding-right padding-bottom padding-left border border-top border-right
    border-bottom border-left border-color border-style border-width border-collapse
    border-spacing border-radius width height max-width min-width list-style-type""".split()  # noqa: SIM905
)
# Raster data: only; the viewer checks the bytes again (services/mail/image_types.py).
_IMAGE_SOURCE = re.compile(
    r"^(cid:|data:image/(png|x-png|apng|jpeg|jpg|pjpeg|gif|webp)[;,]|https?://)", re.IGNORECASE
)
_LINK = re.compile(r"^(https?://|mailto:|tel:|#)", re.IGNORECASE)


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    """Second check on URLs: an image may be cid:/data:image/http(s); a link never data:."""
    if attribute == "src":
        return value if _IMAGE_SOURCE.match(value.strip()) else None
    if attribute == "href":
        return value if _LINK.match(value.strip()) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    attribute_filter=_allowed_value,
    url_schemes={"http", "https", "mailto", "tel", "cid", "data"},
    filter_style_properties=_STYLE,
    url_relative="deny",
)


def sanitize_html(html: str) -> str:
    """Safe HTML for the viewer ('' when nothing is left), within the bounds of
    html_bounds.py (what was cut is marked at its start)."""
    raw = bound_html(html, raw=True)
    clean = _CLEANER.clean(raw.html).strip()
    if not clean:
        return ""
    return bound_html(clean, also=raw.simplified).html


_BLOCK = {"div", "tr", "dt", "dd", "li", "center", "address", "section", "article", "header"}
_BLOCK |= {"footer", "figure", "details", "summary", "caption", "hr"}
_PARAGRAPH = {"p", "table", "ul", "ol", "dl", "pre", "blockquote"}
_PARAGRAPH |= {"h1", "h2", "h3", "h4", "h5", "h6"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextWriter(HTMLParser):
    """Text of (sanitized) HTML: blocks become lines, paragraphs blank lines, quotes '> '."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.quote = 0
        self.pre = 0
        self.line_has_text = False
        self.blank_lines = 0

    def _newline(self) -> None:
        self.pieces.append("\n" + "> " * self.quote)
        self.blank_lines = 0 if self.line_has_text else self.blank_lines + 1
        self.line_has_text = False

    def _break(self, *, paragraph: bool = False) -> None:
        if self.line_has_text:
            self._newline()
        if paragraph and self.blank_lines == 0 and self.pieces:
            self._newline()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._newline()
        elif tag in _PARAGRAPH or tag in _BLOCK:
            self._break(paragraph=tag in _PARAGRAPH)
        elif tag in ("td", "th"):
            self.pieces.append(" ")
        if tag == "li":
            self.pieces.append("- ")
        elif tag == "blockquote":
            self.quote += 1
            self.pieces.append("> ")
        elif tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._break()
            self.quote = max(self.quote - 1, 0)
        if tag in _PARAGRAPH or tag in _BLOCK:
            self._break(paragraph=tag in _PARAGRAPH)
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.pre:
            lines = data.replace("\r\n", "\n").split("\n")
            for number, line in enumerate(lines):
                if number:
                    self._newline()
                self.pieces.append(line)
                self.line_has_text = self.line_has_text or bool(line.strip())
        else:
            self.pieces.append(_SPACES.sub(" ", data))
            self.line_has_text = self.line_has_text or bool(data.strip())


def html_to_text(html: str) -> str:
    """Readable plain text of HTML that went through sanitize_html (well-formed)."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    lines = [line.strip() for line in "".join(writer.pieces).split("\n")]
    for index in range(len(lines) - 1, -1, -1):  # empty quote lines that end a quote
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if lines[index] and not lines[index].strip("> ") and not following.startswith(">"):
            lines[index] = ""
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
