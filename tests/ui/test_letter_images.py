"""Images in a letter: only PNG, JPEG, GIF and WebP, decoded as what they
declare and are; never SVG (it reads local files), PDF or TIFF; nothing from
the disk or a Windows share."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from services.mail.image_types import raster_format
from tests.sentinel import FifoSentinel
from ui.mail import safe_browser
from ui.mail.safe_browser import SafeMailBrowser

# Qt writes no GIF: the smallest GIF there is (1x1, one colour), by hand.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _encoded(image: QImage, kind: str) -> bytes:
    if kind == "GIF":
        return GIF
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, kind)
    return bytes(data.data())


def _picture() -> QImage:
    image = QImage(4, 3, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    return image


def _data_url(kind: str, data: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _svg_reading(path: Path) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' width="8" height="8"><image xlink:href="file://{path}" width="8" height="8"/>'
        f'<image href="{path}" width="8" height="8"/></svg>'
    ).encode()


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    """What reaches a Qt image decoder from the viewer: (bytes, format)."""
    seen: list[tuple[bytes, str]] = []
    real = safe_browser.QImageReader

    def spy(device: Any, kind: bytes) -> Any:
        seen.append((bytes(device.data().data()), bytes(kind).decode()))
        return real(device, kind)

    monkeypatch.setattr(safe_browser, "QImageReader", spy)
    return seen


def test_an_svg_image_never_reaches_a_decoder_and_reads_no_file(
    qtbot: QtBot, tmp_path: Path, decoded: list[tuple[bytes, str]]
) -> None:
    png = _encoded(_picture(), "PNG")
    with FifoSentinel(tmp_path) as fifo:
        svg = _svg_reading(fifo.path)
        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
        tiff = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32
        html = "".join(
            f'<img src="{url}">'
            for url in (
                _data_url("image/svg+xml", svg),
                _data_url("image/png", svg),  # lies about its type
                _data_url("image/png", pdf),
                _data_url("image/tiff", tiff),
                _data_url("image/jpeg", png),  # a real PNG, declared as something else
                _data_url("image/png", png),
            )
        )
        view = SafeMailBrowser()
        qtbot.addWidget(view)
        view.show_message(html, "")
        view.show()
        qtbot.waitExposed(view)
        view.document().size()  # lays out: every image is asked for
    assert not fifo.opened
    assert [kind for _data, kind in decoded] == ["png"]
    assert decoded[0][0] == png
    assert len(view.refused) == 5


def test_svg_from_a_cid_part_is_refused_too(
    qtbot: QtBot, tmp_path: Path, decoded: list[tuple[bytes, str]]
) -> None:
    with FifoSentinel(tmp_path) as fifo:
        view = SafeMailBrowser()
        qtbot.addWidget(view)
        view.show_message('<img src="cid:logo">', "", inline={"logo": _svg_reading(fifo.path)})
        view.show()
        qtbot.waitExposed(view)
        view.document().size()
    assert not fifo.opened
    assert decoded == []
    assert view.refused == ["cid:logo"]


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
def test_raster_images_show_when_type_and_bytes_agree(
    qtbot: QtBot, kind: str, decoded: list[tuple[bytes, str]]
) -> None:
    data = _encoded(_picture(), kind)
    view = SafeMailBrowser()
    qtbot.addWidget(view)
    view.show_message(f'<img src="{_data_url("image/" + kind.lower(), data)}">', "")
    view.show()
    qtbot.waitExposed(view)
    assert view.refused == []
    assert [name for _data, name in decoded] == [kind.lower()]


def test_local_files_and_windows_shares_are_refused(qtbot: QtBot, tmp_path: Path) -> None:
    with FifoSentinel(tmp_path) as fifo:
        sources = [
            f"file://{fifo.path}",
            str(fifo.path),
            "file://fileserver/share/logo.png",
            "\\\\fileserver\\share\\logo.png",
            "//fileserver/share/logo.png",
        ]
        view = SafeMailBrowser()
        qtbot.addWidget(view)
        view.show_message("".join(f'<img src="{s}">' for s in sources), "")
        view.show()
        qtbot.waitExposed(view)
        view.document().size()
    assert not fifo.opened
    assert len(view.refused) == len(sources)
    assert view.blocked_remote == ()


def test_the_format_rule_without_qt() -> None:
    gif = b"GIF89a" + b"\x00" * 10
    assert raster_format(gif, "image/gif") == "gif"
    assert raster_format(gif, None) == "gif"
    assert raster_format(gif, "image/png") is None
    assert raster_format(b"<svg/>", "image/svg+xml") is None
    assert raster_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp") == "webp"
    assert raster_format(b"II*\x00", None) is None
