"""Writing user files atomically: a failed export leaves no half file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from services.core.errors import EnvironmentFault, ValidationError


@contextlib.contextmanager
def atomic_text(path: Path, *, encoding: str = "utf-8", newline: str = "") -> Iterator[IO[str]]:
    try:
        folder = path.resolve().parent
        if not folder.is_dir():
            raise ValidationError(
                f"Folder does not exist: {folder}",
                code="core.files.folder_does_not_exist",
                params={"folder": str(folder)},
            )
        if path.is_dir():
            raise ValidationError(
                f"{path} is a folder, not a file",
                code="core.files.folder_not_file",
                params={"path": str(path)},
            )
    except OSError as exc:  # a name too long, a folder we may not look into
        raise ValidationError(
            f"Cannot write {str(path)[:80]!r}: {exc.strerror}",
            code="core.files.cannot_write",
            params={"path": repr(str(path)[:80]), "strerror": str(exc.strerror)},
        ) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise EnvironmentFault(
            f"Cannot write to {folder}: {exc.strerror}",
            code="core.files.cannot_write_2",
            params={"folder": str(folder), "strerror": str(exc.strerror)},
        ) from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise EnvironmentFault(
            f"Cannot write {path}: {exc.strerror}",
            code="core.files.cannot_write",
            params={"path": str(path), "strerror": str(exc.strerror)},
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
