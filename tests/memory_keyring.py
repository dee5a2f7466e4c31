"""An in-memory keyring backend, chosen explicitly by the tests through
``PYTHON_KEYRING_BACKEND=tests.memory_keyring.MemoryKeyring``."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

_store: dict[tuple[str, str], str] = {}


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return _store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        _store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if _store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
