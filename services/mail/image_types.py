"""Which image bytes from a letter may reach an image decoder, and as what.

Qt picks a decoder by sniffing the bytes unless told otherwise, and some of
its decoders read more than pixels: the SVG one follows ``<image href>`` to
local files (a FIFO blocks it for ever), the PDF and TIFF ones are large
parsers nobody needs for a letter. So only four raster formats pass, and only
when the declared type (if any) and the magic bytes agree; the viewer then
decodes with that format named and format detection off.
"""

from __future__ import annotations

# Qt's format names (QImageReader) for the raster types a letter may show.
_DECLARED = {
    "image/png": "png",
    "image/x-png": "png",
    "image/apng": "png",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/pjpeg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
}
# A declared type that says nothing (cid: parts, servers) is judged by the bytes.
_UNDECLARED = {"", "application/octet-stream", "image", "image/*"}


def sniffed_format(data: bytes) -> str | None:
    """The raster format the bytes start with, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def raster_format(data: bytes, declared: str | None = None) -> str | None:
    """The format to decode ``data`` as, or None when it must not be decoded:
    unknown magic (SVG, PDF, TIFF, ...) or a declared type that disagrees."""
    found = sniffed_format(data)
    if found is None:
        return None
    kind = (declared or "").split(";", 1)[0].strip().lower()
    if kind in _UNDECLARED:
        return found
    return found if _DECLARED.get(kind) == found else None


def declared_type(data_url: str) -> str:
    """The media type a ``data:`` URL declares ('' when none)."""
    meta = data_url[5:].split(",", 1)[0] if data_url.startswith("data:") else ""
    return meta.split(";", 1)[0].strip().lower()
