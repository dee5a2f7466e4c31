"""Bytes and header words to text, and safe attachment names: the text side
of the MIME layer (see mime.py).

Charsets: the declared one is used when Python knows it (with a few WHATWG
substitutes such as gb2312 -> gb18030). Unknown, missing or lying labels fall
back to utf-8, then to koi8-r/cp1251 when the bytes look Cyrillic, then
latin-1 with replacement, and the fallback is noted for the warnings.
"""

from __future__ import annotations

import binascii
import codecs
import mimetypes
import re
import unicodedata
from functools import lru_cache

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
