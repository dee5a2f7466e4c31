"""A QTextBrowser that shows mail HTML without reaching outside the message.

QTextBrowser makes no network requests, but its ``loadResource`` reads
``file://`` URLs; here only ``cid:`` parts of the message and ``data:`` URLs
load. Remote images load only after the user asks, for this message alone,
and are fetched off the GUI thread by whoever owns the widget. Anything else
(``file:``, Windows shares as ``\\\\host\\share`` or ``file://host/``,
relative paths) is refused. Images are decoded only as PNG, JPEG, GIF or WebP,
with the format named and detection off (services/mail/image_types.py).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QUrl, Signal
from PySide6.QtGui import QImage, QImageReader, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from services.mail.image_types import declared_type, raster_format

MAX_DATA_URL = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # decoded at 4 bytes a pixel: 160 MB at most


def decode_image(data: bytes, declared: str | None = None) -> QImage | None:
    """A raster image of an allowed format, decoded as that format only."""
    kind = raster_format(data, declared)
    if kind is None:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, kind.encode())
    reader.setAutoDetectImageFormat(False)
    reader.setDecideFormatFromContent(False)
    size: QSize = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return None
    image = reader.read()
    return None if image.isNull() else image


def decode_data_url(url: str) -> bytes | None:
    """Bytes of a ``data:[<type>][;base64],<data>`` URL, None when malformed."""
    if not url.startswith("data:") or "," not in url:
        return None
    meta, _, payload = url[5:].partition(",")
    if len(payload) > MAX_DATA_URL * 2:
        return None
    try:
        if meta.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


class SafeMailBrowser(QTextBrowser):
    # remote URLs the message wanted and did not get (once per URL)
    remote_blocked = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # links open in the system browser, on click, by the owner
        self.setOpenExternalLinks(False)
        self._inline: dict[str, bytes] = {}
        self._remote: dict[str, bytes] = {}
        self._blocked: list[str] = []
        self.refused: list[str] = []  # every URL refused, for tests and the log

    @property
    def blocked_remote(self) -> tuple[str, ...]:
        return tuple(self._blocked)

    def show_message(
        self,
        html: str | None,
        text: str,
        inline: Mapping[str, bytes] | None = None,
        remote: Mapping[str, bytes] | None = None,
    ) -> None:
        """Show one message; ``remote`` holds images the user allowed and the
        owner fetched. Everything else outside the message stays blocked."""
        self._inline = {k.strip("<>"): v for k, v in (inline or {}).items()}
        self._remote = dict(remote or {})
        self._blocked = []
        self.refused = []
        if html:
            self.setHtml(html)
        else:
            self.setPlainText(text)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 - Qt override
        text = url.toString() if isinstance(url, QUrl) else str(url)
        scheme = text.split(":", 1)[0].lower() if ":" in text else ""
        data: bytes | None = None
        declared = ""
        if scheme == "cid":
            data = self._inline.get(unquote_to_bytes(text[4:]).decode("utf-8", "replace"))
        elif scheme == "data":
            data = decode_data_url(text)
            declared = declared_type(text)
        elif scheme in ("http", "https"):
            data = self._remote.get(text)
            if data is None and text not in self._blocked:
                self._blocked.append(text)
                self.remote_blocked.emit(text)
        image = None
        if data is not None and kind == QTextDocument.ResourceType.ImageResource.value:
            image = decode_image(data, declared)
        if image is None:  # not an allowed image; no other kind of resource loads
            self.refused.append(text)
            # Not None: on a null answer QTextDocument loads the URL itself, reading
            # local files and decoding data: URLs with format detection (SVG).
            return QImage() if kind == QTextDocument.ResourceType.ImageResource.value else b""
        return image
