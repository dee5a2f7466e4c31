"""Mail passwords in the OS keyring, never in the database, a file or a log.

With no usable keyring (a headless Linux box has none) storing is refused
with the reason; Touchpoint never falls back to a plaintext store by itself.
Tests choose a backend explicitly through ``PYTHON_KEYRING_BACKEND``.
"""

from __future__ import annotations

import keyring
import keyring.errors

from services.core.errors import EnvironmentFault, ValidationError

SERVICE = "Touchpoint mail"
# Windows Credential Manager caps a secret near 1,280 characters.
MAX_SECRET = 1200
PLAINTEXT_BACKENDS = ("PlaintextKeyring", "EncryptedKeyring")


def _key(account_uid: str, which: str) -> str:
    return f"{account_uid}/{which}"


def backend_problem() -> str | None:
    """Why secrets cannot be stored here, or None when they can."""
    backend = keyring.get_keyring()
    name = type(backend).__name__
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or name == "NullKeyring":
        return (
            "No OS keyring is available to keep the mail password safe "
            "(on Linux install and unlock GNOME Keyring or KWallet)"
        )
    if name in PLAINTEXT_BACKENDS and module.startswith("keyrings.alt"):
        return f"The keyring backend {module}.{name} would store the password in a plain file"
    return None


def store(account_uid: str, which: str, password: str) -> None:
    if not password:
        raise ValidationError("The password must not be empty", "password")
    if len(password) > MAX_SECRET:
        raise ValidationError(f"The password is longer than {MAX_SECRET} characters", "password")
    problem = backend_problem()
    if problem:
        raise EnvironmentFault(problem + "; the password was not saved")
    try:
        keyring.set_password(SERVICE, _key(account_uid, which), password)
    except keyring.errors.KeyringError as exc:
        raise EnvironmentFault(f"The keyring refused the password: {exc}") from exc


def load(account_uid: str, which: str) -> str:
    try:
        secret = keyring.get_password(SERVICE, _key(account_uid, which))
    except keyring.errors.KeyringError as exc:
        raise EnvironmentFault(f"The keyring could not be read: {exc}") from exc
    if secret is None:
        raise EnvironmentFault(
            f"No {which.upper()} password is saved for this account; enter it again"
        )
    return secret


def forget(account_uid: str, which: str) -> None:
    try:
        keyring.delete_password(SERVICE, _key(account_uid, which))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise EnvironmentFault(f"The keyring could not delete the password: {exc}") from exc
