"""Secrets (mail passwords, the AI key) go only to an OS keyring (SPEC H3).

``keyring`` picks a backend by itself, and what it picks is not always a
safe place: its ``ChainerBackend`` hands a secret to the first of its
backends by priority, which may be keyrings.alt's plaintext file (base64);
the ``null`` backend accepts a secret and throws it away. So this module
resolves the backend that would really store, accepts only the OS stores
(and the tests' in-memory one when chosen explicitly), talks to that
backend directly, and proves it works with a write-read-delete round trip
before anything is saved.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from services.core.errors import EnvironmentFault

T = TypeVar("T")

# Module.Class of each OS store, with the name a user knows it by.
OS_STORES = {
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Locker",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.SecretService.Keyring": "Secret Service",
    "keyring.backends.libsecret.Keyring": "Secret Service (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet",
}
# The tests' in-memory store, accepted only when PYTHON_KEYRING_BACKEND names it.
TEST_STORE = "tests.memory_keyring.MemoryKeyring"
_PROBE_SERVICE = "Touchpoint keyring check"
_NO_KEYRING = (
    "No OS keyring is available to keep {what} safe "
    "(on Linux install and unlock GNOME Keyring or KWallet)"
)


def _name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # noqa: BLE001 - a backend's priority may raise anything (missing libraries)
        return float("-inf")


def _resolve() -> tuple[KeyringBackend | None, str | None]:
    """The backend a secret would be written to, or why there is none."""
    try:
        backend: Any = keyring.get_keyring()
        if isinstance(backend, ChainerBackend):
            chained = sorted(backend.backends, key=_priority, reverse=True)
            chained = [b for b in chained if _priority(b) > 0]
            return (chained[0] if chained else None), None
    except Exception as exc:  # noqa: BLE001 - a broken backend raises anything; refuse, no traceback
        return None, f"The keyring backend could not be loaded ({exc or type(exc).__name__})"
    return backend, None


def storing_backend() -> str:
    """Module.Class of the backend a secret would go to, for diagnostics."""
    backend, failure = _resolve()
    if failure:
        return failure
    return _name(backend) if backend is not None else "none"


def problem(what: str) -> str | None:
    """Why ``what`` (e.g. "the mail password") cannot be stored here, or None."""
    backend, failure = _resolve()
    if failure:
        return f"{failure}; {what} cannot be kept safe"
    if backend is None:
        return _NO_KEYRING.format(what=what)
    name = _name(backend)
    if name in OS_STORES:
        return None
    if name == TEST_STORE and os.environ.get("PYTHON_KEYRING_BACKEND") == TEST_STORE:
        return None
    if name.startswith("keyring.backends.fail."):
        return _NO_KEYRING.format(what=what)
    if name.startswith("keyring.backends.null."):
        return f"The keyring is the null backend ({name}), which silently discards {what}"
    if name.startswith("keyrings.alt.file.Plaintext"):
        return f"The keyring backend {name} would store {what} in a plain file (base64)"
    if name.startswith("keyrings.alt."):
        return f"The keyring backend {name} keeps {what} in a file of its own, not in an OS keyring"
    return (
        f"The keyring backend {name} is not an OS keyring (Windows Credential Locker, "
        f"macOS Keychain, Secret Service or KWallet); {what} was not trusted to it"
    )


def _backend(what: str, consequence: str) -> KeyringBackend:
    reason = problem(what)
    backend, _ = _resolve()
    if reason or backend is None:
        raise EnvironmentFault(
            f"{reason or _NO_KEYRING.format(what=what)}; {consequence}",
            code="core.keyring_store.error",
            params={
                "reason": str(reason or _NO_KEYRING.format(what=what)),
                "consequence": str(consequence),
            },
        )
    return backend


def _call(action: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except (keyring.errors.KeyringError, NotImplementedError, OSError, RuntimeError) as exc:
        raise EnvironmentFault(
            f"The keyring could not {action}: {exc or type(exc).__name__}",
            code="core.keyring_store.keyring_could_not",
            params={"action": str(action), "exc": str(exc or type(exc).__name__)},
        ) from exc


def _round_trip(backend: KeyringBackend, what: str) -> None:
    """Write, read and delete a random probe: a store that discards or keeps
    secrets is refused before the real one is handed over."""
    user, probe = f"probe {secrets.token_hex(8)}", secrets.token_urlsafe(24)
    _call("store a test secret", lambda: backend.set_password(_PROBE_SERVICE, user, probe))
    read = _call("read a test secret", lambda: backend.get_password(_PROBE_SERVICE, user))
    if read != probe:
        raise EnvironmentFault(
            f"The keyring {_name(backend)} did not give back a test secret it accepted; "
            f"{what} was not saved",
            code="core.keyring_store.keyring_did_not_give",
            params={"backend": str(_name(backend)), "what": str(what)},
        )
    _call("delete a test secret", lambda: backend.delete_password(_PROBE_SERVICE, user))
    if _call("read a test secret", lambda: backend.get_password(_PROBE_SERVICE, user)):
        raise EnvironmentFault(
            f"The keyring {_name(backend)} kept a test secret after deleting it; "
            f"{what} was not saved",
            code="core.keyring_store.keyring_kept_test_secret",
            params={"backend": str(_name(backend)), "what": str(what)},
        )


def put(service: str, username: str, secret: str, what: str) -> None:
    """Store after proving the OS store round-trips; refuse with the reason otherwise."""
    backend = _backend(what, f"{what} was not saved")
    _round_trip(backend, what)
    _call(f"store {what}", lambda: backend.set_password(service, username, secret))


def get(service: str, username: str, what: str) -> str | None:
    backend = _backend(what, f"{what} cannot be read")
    return _call(f"read {what}", lambda: backend.get_password(service, username))


def delete(service: str, username: str, what: str) -> None:
    """Forget a secret; one that is not there is already forgotten."""
    backend = _backend(what, f"{what} cannot be deleted")
    try:
        backend.delete_password(service, username)
    except keyring.errors.PasswordDeleteError:
        pass
    except (keyring.errors.KeyringError, NotImplementedError, OSError, RuntimeError) as exc:
        raise EnvironmentFault(
            f"The keyring could not delete {what}: {exc}",
            code="core.keyring_store.keyring_could_not_delete",
            params={"what": str(what), "exc": str(exc)},
        ) from exc
