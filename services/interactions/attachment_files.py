"""A card's attachment handed to the desktop ("Open") or to a folder the user
picks ("Save as…"). The stored file came from a letter or a disk, so it is
outside input: only a regular file inside the attachments folder is read (a
row pointing elsewhere, a FIFO or a file of another size is refused), and it
is copied, never handed over in place. The copy for opening sits in its own
private temporary folder under the cleaned name, read-only and without the
execute bit, so the program that opens it can neither change the stored
file nor run it directly; whether a type runs when opened is the desktop's
decision, which is why the window asks first for ``is_executable`` names."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from services.core.errors import EnvironmentFault, ValidationError
from services.core.paths import attachments_dir
from services.interactions.attachments import AttachmentView, clean_filename

# Types a desktop runs (or installs, or follows) when "opened" rather than
# showing them; compared case-insensitively on the last extension.
EXECUTABLE_EXTENSIONS = frozenset(
    {
        "app", "apk", "appimage", "bash", "bat", "cmd", "com", "command", "cpl", "csh",
        "deb", "desktop", "dll", "dmg", "exe", "gadget", "hta", "inf", "ins", "isp", "jar",
        "js", "jse", "ksh", "lnk", "msc", "msi", "msp", "mst", "pif", "pkg", "pl", "ps1",
        "ps1xml", "ps2", "psc1", "psm1", "py", "pyw", "rb", "reg", "rpm", "run", "scf",
        "scr", "sct", "sh", "shb", "url", "vb", "vbe", "vbs", "ws", "wsc", "wsf", "wsh",
        "xbap", "zsh",
    }
)  # fmt: skip
_CHUNK = 1024 * 1024


def is_executable(filename: str) -> bool:
    """True for a name whose type runs when opened ("счёт.pdf.exe" too)."""
    stem, dot, ext = clean_filename(filename).rpartition(".")
    return bool(dot and stem) and ext.casefold() in EXECUTABLE_EXTENSIONS


def copy_for_opening(view: AttachmentView, root: str | Path | None = None) -> Path:
    """A read-only copy of the stored file in a fresh private folder (mode
    0700, under ``root`` or the system's temporary folder), named as the
    user knows it; two files of the same name never meet."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="touchpoint-open-", dir=root))
    except OSError as exc:
        raise _cannot_write(Path(root or tempfile.gettempdir()), exc) from exc
    target = folder / clean_filename(view.filename)
    try:
        with _writing(target, lambda: target.open("xb")) as out:
            _copy(view, out)
        target.chmod(stat.S_IRUSR)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def save_copy(view: AttachmentView, destination: str | Path) -> Path:
    """The stored file written to ``destination`` (the user chose it in a
    save dialog, which asked about replacing). Written beside it first, so a
    failed copy leaves no half file under the chosen name."""
    target = Path(destination)
    try:
        fd, partial = tempfile.mkstemp(prefix=".touchpoint-", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    try:
        with _writing(target, lambda: os.fdopen(fd, "wb")) as out:
            _copy(view, out)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def _stored_path(view: AttachmentView) -> Path:
    folder = attachments_dir().resolve()
    path = Path(view.path).resolve()
    if not path.is_relative_to(folder):
        raise ValidationError(
            f"The stored file of {view.filename} is outside the attachments folder",
            "file",
            code="interactions.attachment_files.outside_folder",
            params={"name": view.filename},
        )
    return path


@contextlib.contextmanager
def _writing(target: Path, opener: Callable[[], BinaryIO]) -> Iterator[BinaryIO]:
    """The opened file, closed afterwards; a failure to open or write is
    told as the target's (a full disk, a read-only folder)."""
    try:
        with opener() as out:
            yield out
    except OSError as exc:
        raise _cannot_write(target, exc) from exc


def _cannot_write(target: Path, exc: OSError) -> EnvironmentFault:
    return EnvironmentFault(
        f"Cannot write {target}: {exc.strerror}",
        code="interactions.attachment_files.cannot_write",
        params={"name": str(target), "exc": str(exc.strerror)},
    )


@contextlib.contextmanager
def open_stored(path: Path, name: str) -> Iterator[BinaryIO]:
    """A stored file opened for reading, only if it is a regular file: a FIFO
    put in its place neither blocks the open (O_NONBLOCK) nor is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ValidationError(
            f"The file {name} is no longer in the data folder; "
            "it may have been removed or the folder restored from an older backup",
            "file",
            code="interactions.attachment_files.missing",
            params={"name": name},
        ) from None
    except OSError as exc:
        raise EnvironmentFault(
            f"Cannot read {name}: {exc.strerror}",
            code="exchange.contact_files.cannot_read",
            params={"name": name, "exc": str(exc.strerror)},
        ) from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise changed(name)
        yield handle


def changed(name: str) -> ValidationError:
    return ValidationError(
        f"The stored file of {name} was changed outside Touchpoint",
        "file",
        code="interactions.attachment_files.changed",
        params={"name": name},
    )


def _copy(view: AttachmentView, out: BinaryIO) -> None:
    """Exactly ``view.size`` bytes of the stored file into ``out``."""
    with open_stored(_stored_path(view), view.filename) as stored:
        size = os.fstat(stored.fileno()).st_size
        left = view.size
        if size == view.size:
            while left > 0:
                chunk = stored.read(min(_CHUNK, left))
                if not chunk:
                    break
                out.write(chunk)
                left -= len(chunk)
    if left or size != view.size:
        raise changed(view.filename)
