"""Mail passwords in the OS keyring, never in the database, a file or a log.

With no usable keyring (a headless Linux box has none) storing is refused
with the reason; Touchpoint never falls back to a plaintext store by itself.
Tests choose a backend explicitly through ``PYTHON_KEYRING_BACKEND``.
"""

from __future__ import annotations

from services.core import keyring_store
from services.core.errors import PasswordMissing, ValidationError

SERVICE = "Touchpoint mail"
# Windows Credential Manager caps a secret near 1,280 characters.
MAX_SECRET = 1200
WHAT = "the mail password"


def _key(account_uid: str, which: str) -> str:
    return f"{account_uid}/{which}"


def backend_problem() -> str | None:
    """Why secrets cannot be stored here, or None when they can."""
    return keyring_store.problem(WHAT)


def store(account_uid: str, which: str, password: str) -> None:
    if not password:
        raise ValidationError(
            "The password must not be empty",
            "password",
            code="mail.credentials.password_must_not_empty",
        )
    if len(password) > MAX_SECRET:
        raise ValidationError(
            f"The password is longer than {MAX_SECRET} characters",
            "password",
            code="mail.credentials.password_longer_than_characters",
            params={"max_secret": str(MAX_SECRET)},
        )
    keyring_store.put(SERVICE, _key(account_uid, which), password, WHAT)


def load(account_uid: str, which: str) -> str:
    secret = keyring_store.get(SERVICE, _key(account_uid, which), WHAT)
    if secret is None:
        raise PasswordMissing(
            f"No {which.upper()} password is saved for this account; enter it again",
            params={"which": which.upper()},
        )
    return secret


def forget(account_uid: str, which: str) -> None:
    keyring_store.delete(SERVICE, _key(account_uid, which), WHAT)
