"""What the server checks before it takes a laptop's attachment (kind
``attachment``, docs/offline-sync.md "Attachments").

The row crosses the wire without ``path`` (each machine keeps the file
under its own data folder, derived from the hash); the file's bytes go up
in the same transaction: creating the row on the server fires the blob
hook (services/interactions/attachment_blobs.py), which streams the file
from this laptop's data folder, checks it against the row's hash and size
and stores it by hash unless the server already holds those bytes. The
checks here are the attachments use case's: a file of at most 25 MB, a
name without folders or control characters, a hash that is a SHA-256, on
cards the user sees.
"""

from __future__ import annotations

from typing import Any

from services.core import access
from services.core.access import Actor
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.interactions.attachment_blobs import valid_digest
from services.interactions.attachments import MAX_FILE_BYTES

# The cards an attachment may sit on, each checked when set.
CARDS = (
    ("client_id", "client"),
    ("lead_id", "lead"),
    ("deal_id", "deal"),
    ("contact_id", "contact"),
    ("interaction_id", "interaction"),
)


def check_cards(uow: UnitOfWork, actor: Actor, obj: Any) -> None:
    for column, kind in CARDS:
        if getattr(obj, column) is not None:
            access.check(uow, actor, kind, getattr(obj, column))


def _size(_uow: UnitOfWork, _actor: Actor, value: Any) -> int:
    size = value if isinstance(value, int) and not isinstance(value, bool) else -1
    if not 0 <= size <= MAX_FILE_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_FILE_BYTES >> 20} MB",
            "file",
            code="sync.apply.attachment_too_large",
            params={"limit": str(MAX_FILE_BYTES >> 20)},
        )
    return size


def _digest(_uow: UnitOfWork, _actor: Actor, value: Any) -> str:
    if not valid_digest(value):
        raise ValidationError(
            "The attachment does not name its file by a SHA-256 hash",
            "sha256",
            code="sync.apply.attachment_digest",
        )
    return str(value)


VALIDATORS = {
    ("attachment", "size"): _size,
    ("attachment", "sha256"): _digest,
}
