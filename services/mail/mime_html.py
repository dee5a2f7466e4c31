"""Content side of the MIME layer (see mime.py): bytes and header words to text,
safe attachment names, sanitized HTML and its text, folded quoted history.

Charsets: the declared one is used when Python knows it (with a few WHATWG
substitutes such as gb2312 -> gb18030). Unknown, missing or lying labels fall
back to utf-8, then to koi8-r/cp1251 when the bytes look Cyrillic, then
latin-1 with replacement, and the fallback is noted for the warnings.

HTML: the viewer (a QTextBrowser) runs no scripts, but stored HTML outlives the
viewer, so it is cleaned here once with nh3: no script/style/iframe/object or
forms, no event handlers, no CSS that can fetch, links only to
http(s)/mailto/tel. Images keep ``cid:``, raster ``data:image/...`` (never
SVG: Qt's SVG decoder reads local files) and remote http(s) sources; the
viewer blocks remote ones until the user asks for them.
"""

from __future__ import annotations

import binascii
import codecs
import mimetypes
import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

import nh3

from services.mail.html_bounds import bound_html

# --- charsets and header words ------------------------------------------------

_SUBSTITUTES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "win-1251": "cp1251",
    "tis-620": "cp874",
    "shift_jis": "cp932",
}
_UNDECLARED = {"", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "unknown", "default", "8bit"}
_UNSAFE_CODECS = {"unicode-escape", "raw-unicode-escape", "undefined", "punycode", "idna"}
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


@lru_cache(maxsize=256)
def _codec(label: str) -> str | None:
    """Python codec for a MIME charset label, or None (unknown, or not a text codec)."""
    name = label.strip().strip("\"'").lower().removeprefix("charset=").split("*")[0]
    name = _SUBSTITUTES.get(name, name)
    for candidate in (name, name.removeprefix("x-"), re.sub(r"[^a-z0-9]", "", name)):
        try:
            info = codecs.lookup(candidate[:40])
        except (LookupError, ValueError):  # ValueError: NUL in the name
            continue
        text_codec = getattr(info, "_is_text_encoding", True)
        return info.name if text_codec and info.name not in _UNSAFE_CODECS else None
    return None


def _guess(data: bytes) -> tuple[str, str]:
    """Text of bytes in no known charset: utf-8, else Cyrillic, else latin-1."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = sum(1 for byte in data if byte >= 0xC0)
    if high * 5 > sum(1 for byte in data if 0x41 <= byte <= 0x7A):  # mostly non-Latin letters
        # Lower-case letters dominate text: 0xE0-0xFF in cp1251, 0xC0-0xDF in koi8-r.
        upper = sum(1 for byte in data if 0xC0 <= byte < 0xE0)
        codec = "koi8-r" if upper * 2 > high else "cp1251"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1", "replace"), "latin-1"


def decode_bytes(data: bytes, charset: str | None, notes: list[str] | None = None) -> str:
    """Text in the declared charset, falling back (and noting it) when that fails."""
    label = (charset or "").strip().lower()
    codec = None if label in _UNDECLARED else _codec(label)
    text: str | None = None
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = data.decode(codec, "replace")
            bad = text.count("\ufffd")
            if bad * 10 > sum(1 for char in text if not char.isascii()) and bad > 2:
                text = None  # mostly invalid: mislabelled, guess instead
            elif notes is not None:
                notes.append(f"invalid {label} bytes replaced")
        except (LookupError, UnicodeError):  # e.g. codecs that always fail
            text = None
    if text is None:
        if data.isascii():
            text = data.decode("ascii")
        else:
            text, used = _guess(data)
            if notes is not None:
                if label in _UNDECLARED:
                    reason = f"8-bit text with charset {label!r}" if label else "no charset"
                else:
                    reason = f"unknown charset {label}" if codec is None else f"not {label}"
                notes.append(f"{reason}, decoded as {used}")
    # ascii and utf-8 text holds no surrogates (the utf-8 codec refuses them)
    clean = (
        "\x00" not in text if text.isascii() or codec == "utf-8" else not _BAD_CHARS.search(text)
    )
    if not clean:
        text = _BAD_CHARS.sub("", text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    return text


_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def to_bytes(value: str, codec: str = "utf-8") -> bytes:
    """Bytes of a string holding surrogate-escaped raw 8-bit data."""
    try:
        return value.encode(codec, "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace")


def decode_words(value: str, notes: list[str] | None = None) -> str:
    """One-line text of a header value: RFC 2047 words and raw 8-bit decoded."""
    if not value.isascii():
        value = decode_bytes(to_bytes(value), None)
    if "=?" not in value:
        return _CONTROL.sub(" ", value).strip()
    pieces: list[tuple[str | None, bytes | str]] = []  # (charset, bytes) or (None, text)
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        position = match.end()
        if between and not (between.isspace() and pieces and pieces[-1][0] is not None):
            pieces.append((None, between))
        charset, encoding, payload = match.groups()
        try:
            if encoding in "bB":
                if _NOT_BASE64.search(payload):
                    raise binascii.Error("not base64")
                payload = payload.rstrip("=")  # then padded right: some senders get it wrong
                data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
            else:
                data = binascii.a2b_qp(payload.encode("utf-8", "replace"), header=True)
        except (binascii.Error, ValueError):
            pieces.append((None, match.group(0)))
            continue
        charset = charset.split("*")[0].lower()
        previous = pieces[-1][1] if pieces and pieces[-1][0] == charset else None
        if isinstance(previous, bytes):  # a character may be split across two words
            pieces[-1] = (charset, previous + data)
        else:
            pieces.append((charset, data))
    pieces.append((None, value[position:]))
    text = "".join(
        data if isinstance(data, str) else decode_bytes(data, charset, notes)
        for charset, data in pieces
    )
    return _CONTROL.sub(" ", text).strip()


# --- attachment names ---------------------------------------------------------------

_FILENAME_UNSAFE = re.compile(r'[<>:"|?*\\/\x00-\x1f\x7f]')
_PATH = re.compile(r"([a-z]:)?[\\/]|\.\.?[\\/]", re.IGNORECASE)
_RESERVED_NAME = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.IGNORECASE)
_EXTENSIONS = {"text/calendar": ".ics", "application/ics": ".ics", "text/rfc822-headers": ".txt"}
_EXTENSIONS |= {"message/delivery-status": ".txt", "message/disposition-notification": ".txt"}


@lru_cache(maxsize=128)
def _extension(content_type: str) -> str:
    # A private MimeTypes holds only Python's built-in table: the same on every machine.
    known = _EXTENSIONS.get(content_type) or mimetypes.MimeTypes().guess_extension(content_type)
    return known or ".bin"


def safe_filename(name: str | None, content_type: str, index: int) -> str:
    """A name without directories, control or reserved characters; at most 200 characters.

    A full path ("C:\\Users\\x\\cv.pdf", "/tmp/cv.pdf", "../cv.pdf") keeps its last
    part; other slashes ("Report 1/2.pdf") become "_".
    """
    name = name or ""
    if _PATH.match(name):
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        c for c in " ".join(name.split()) if unicodedata.category(c) not in ("Cc", "Cf", "Cs")
    )
    name = _FILENAME_UNSAFE.sub("_", name).strip(" .")
    if _RESERVED_NAME.fullmatch(name):
        name = "_" + name
    if len(name) > 200 or len(name.encode()) > 255:
        stem, dot, extension = name.rpartition(".")
        extension = dot + extension if dot and 0 < len(extension) <= 16 else ""
        stem = stem if extension else name
        while len(stem) + len(extension) > 200 or len((stem + extension).encode()) > 255:
            stem = stem[: max(len(stem) - 8, 0)]
        name = stem.rstrip(" .") + extension
    if name.strip("_ ."):
        return name
    return f"attachment-{index}{_extension(content_type)}"


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


# --- quoted history ---------------------------------------------------------------

_SEPARATOR = re.compile(
    r"-{2,}\s*(original message|forwarded message|attached message|исходное сообщение"
    r"|пересылаемое сообщение|перенаправленное сообщение)\s*-{2,}",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"(wrote|writes|пишет|написал|написала|написал\(а\)|<[^<>\s]+@[^<>\s]+>)\s*:$", re.IGNORECASE
)
# How a wrapped attribution starts: "On ...", or a date ("15.01.2024, ...", "пн, 15 янв. ...").
_ATTRIBUTION_START = re.compile(r"(on|le|am|el)\s|\W*\w{0,12}[,.]?\s*\d", re.IGNORECASE)
_HEADER_FROM = re.compile(r"\*?(from|от|отправитель)\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"\*?(sent|date|отправлено|дата)\s*:", re.IGNORECASE)
_RULE = re.compile(r"_{8,}|-{8,}")


class _Lines:
    """Stripped lines of a reply, with what follows each line precomputed (O(n))."""

    def __init__(self, text: str) -> None:
        self.raw = text.replace("\r\n", "\n").split("\n")
        self.lines = [line.strip() for line in self.raw]
        count = len(self.lines)
        # From index i on: all non-blank lines quoted? the first non-blank line?
        self.quoted_tail = [True] * (count + 1)
        self.next_text = [""] * (count + 1)
        for index in range(count - 1, -1, -1):
            line = self.lines[index]
            self.quoted_tail[index] = self.quoted_tail[index + 1] and line[:1] in ("", ">")
            self.next_text[index] = line or self.next_text[index + 1]

    def attribution(self, index: int) -> bool:
        """Whether an attribution line (maybe wrapped over 3 lines) starts at index."""
        for width in (1, 2, 3):
            joined = " ".join(self.lines[index : index + width])
            if width > 1 and not _ATTRIBUTION_START.match(joined):
                return False
            if not _ATTRIBUTION.search(joined):
                continue
            rest = min(index + width, len(self.lines))
            following = self.next_text[rest]
            if following.startswith(">"):
                return self.quoted_tail[rest]  # not when answers are interleaved
            # Followed by unquoted history (text made from HTML): needs a date.
            return bool(following) and bool(re.search(r"\d", joined))
        return False

    def history_start(self) -> int | None:
        """Index of the first line of quoted history, or None."""
        lines = self.lines
        for index, line in enumerate(lines):
            if not line or line.startswith(">"):
                continue
            if _SEPARATOR.fullmatch(line):
                return index
            ahead = lines[index + 1 : index + 6]
            if _HEADER_FROM.match(line) and any(_HEADER_NEXT.match(other) for other in ahead):
                return index - 1 if index > 0 and _RULE.fullmatch(lines[index - 1]) else index
            if self.attribution(index):
                return index
        tail = len(lines)  # else the trailing run of quoted lines
        while tail > 0 and lines[tail - 1][:1] in ("", ">"):
            tail -= 1
        while tail < len(lines) and not lines[tail]:
            tail += 1
        return tail if tail < len(lines) else None


def fold_quoted(text: str) -> tuple[str, str | None]:
    """(new part, quoted history) of a plain-text reply; history None when there is none.

    History is everything from an attribution ("On ... wrote:", "... пишет:"),
    an "Original Message"/"Исходное сообщение" rule or an Outlook "From:/Sent:"
    block, or else the trailing run of "> " lines. Quotes interleaved with
    answers stay in the new part, and nothing is folded if no new text is left.
    """
    lines = _Lines(text)
    start = lines.history_start()
    if start is None:
        return text, None
    new = "\n".join(lines.raw[:start]).rstrip()
    history = "\n".join(lines.raw[start:]).strip("\n")
    if not new.strip() or not history.strip():
        return text, None
    return new, history
