"""Secrets go only to an OS keyring, checked on the backend that would store (#15 item 7).

The OS stores cannot run here (no D-Bus session, no Keychain), so their case
is the check on the backend's class: the real classes from keyring, not
instantiated against a service. Everything else is real: keyrings.alt's
files in a temporary HOME, keyring's own chainer, null and fail backends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyrings.alt import file as alt_file

from services.ai import settings as ai_settings
from services.core import bootstrap, keyring_store
from services.core.errors import EnvironmentFault
from services.core.storage import Database
from services.mail import credentials
from tests.memory_keyring import MemoryKeyring, _store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def use_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Install a backend for one test; keyrings.alt's files go under tmp_path."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    saved = keyring.get_keyring()

    def install(backend: KeyringBackend) -> None:
        keyring.set_keyring(backend)

    try:
        yield install
    finally:
        keyring.set_keyring(saved)


def _chain(*backends: KeyringBackend) -> keyring.backends.chainer.ChainerBackend:
    class Chain(keyring.backends.chainer.ChainerBackend):
        pass

    Chain.backends = list(backends)  # type: ignore[assignment,misc]
    return Chain()


def _plaintext(tmp_path: Path) -> alt_file.PlaintextKeyring:
    backend = alt_file.PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    return backend


def test_the_tests_memory_store_is_accepted_and_round_trips(use_backend: object) -> None:
    assert credentials.backend_problem() is None
    credentials.store("acc-1", "imap", "пароль-1")
    assert credentials.load("acc-1", "imap") == "пароль-1"
    # The probe left nothing behind.
    assert not [k for k in _store if k[0] == "Touchpoint keyring check"]
    credentials.forget("acc-1", "imap")
    with pytest.raises(EnvironmentFault, match="No IMAP password"):
        credentials.load("acc-1", "imap")


def test_memory_store_is_refused_unless_chosen_explicitly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    assert "is not an OS keyring" in (credentials.backend_problem() or "")


@pytest.mark.parametrize(
    ("module", "name", "label"),
    [
        ("keyring.backends.Windows", "WinVaultKeyring", "Windows Credential Locker"),
        ("keyring.backends.macOS", "Keyring", "macOS Keychain"),
        ("keyring.backends.SecretService", "Keyring", "Secret Service"),
        ("keyring.backends.libsecret", "Keyring", "Secret Service (libsecret)"),
        ("keyring.backends.kwallet", "DBusKeyring", "KWallet"),
    ],
)
def test_os_stores_are_the_accepted_ones(module: str, name: str, label: str) -> None:
    import importlib

    cls = getattr(importlib.import_module(module), name)
    assert keyring_store.OS_STORES[f"{cls.__module__}.{cls.__qualname__}"] == label


def test_plaintext_file_is_refused_and_nothing_written(use_backend: object, tmp_path: Path) -> None:
    backend = _plaintext(tmp_path)
    use_backend(backend)  # type: ignore[operator]
    assert "plain file" in (credentials.backend_problem() or "")
    with pytest.raises(EnvironmentFault, match=r"plain file.*the mail password was not saved"):
        credentials.store("acc-1", "imap", "secret-imap")
    assert not Path(backend.file_path).exists()


def test_chainer_ending_in_a_plaintext_file_is_refused(use_backend: object, tmp_path: Path) -> None:
    """The bug: the top backend is the chainer, the one that stores is the file."""
    plain = _plaintext(tmp_path)
    use_backend(_chain(plain))  # type: ignore[operator]
    problem = credentials.backend_problem() or ""
    assert "keyrings.alt.file.PlaintextKeyring" in problem
    with pytest.raises(EnvironmentFault, match="plain file"):
        credentials.store("acc-1", "smtp", "secret-smtp")
    assert not Path(plain.file_path).exists()


def test_chainer_is_judged_by_its_highest_priority_backend(
    use_backend: object, tmp_path: Path
) -> None:
    plain = _plaintext(tmp_path)
    # MemoryKeyring (priority 1) outranks the plaintext file (0.5): it stores.
    use_backend(_chain(plain, MemoryKeyring()))  # type: ignore[operator]
    assert credentials.backend_problem() is None
    credentials.store("acc-2", "imap", "через цепочку")
    assert credentials.load("acc-2", "imap") == "через цепочку"
    assert not Path(plain.file_path).exists()
    credentials.forget("acc-2", "imap")


def test_empty_chainer_means_no_keyring(use_backend: object) -> None:
    use_backend(_chain())  # type: ignore[operator]
    assert "No OS keyring" in (credentials.backend_problem() or "")


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (keyring.backends.null.Keyring, "null backend.*silently discards"),
        (keyring.backends.fail.Keyring, "No OS keyring is available"),
    ],
)
def test_null_and_fail_backends_are_refused(
    use_backend: object, backend: type[KeyringBackend], reason: str
) -> None:
    use_backend(backend())  # type: ignore[operator]
    with pytest.raises(EnvironmentFault, match=reason):
        credentials.store("acc-1", "imap", "secret")


def test_encrypted_file_without_its_library_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    """PYTHON_KEYRING_BACKEND naming EncryptedKeyring, pycryptodome absent:
    keyring itself raises on every call; the CLI says why, in one line."""
    env = dict(os.environ)
    env.update(
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.EncryptedKeyring",
        HOME=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    code = (
        "from services.mail import credentials\n"
        "print(credentials.backend_problem())\n"
        "try:\n"
        "    credentials.store('acc', 'imap', 'secret')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    first, second = run.stdout.strip().splitlines()
    assert "could not be loaded (pycryptodome" in first
    assert second.startswith("EnvironmentFault")
    assert "was not saved" in second


def test_encrypted_file_is_refused_even_when_loadable(use_backend: object) -> None:
    class EncryptedKeyring(alt_file.EncryptedKeyring):
        """keyrings.alt's class as if pycryptodome were installed."""

        priority = 1
        _get_crypto_impl = staticmethod(dict)

    EncryptedKeyring.__module__ = alt_file.__name__
    EncryptedKeyring.__qualname__ = "EncryptedKeyring"
    use_backend(EncryptedKeyring())  # type: ignore[operator]
    problem = credentials.backend_problem() or ""
    assert "keyrings.alt.file.EncryptedKeyring" in problem
    assert "file of its own, not in an OS keyring" in problem


def test_a_store_that_loses_secrets_fails_the_round_trip(
    use_backend: object, monkeypatch: pytest.MonkeyPatch, sqlite_db: Database
) -> None:
    monkeypatch.setattr(MemoryKeyring, "set_password", lambda self, s, u, p: None)
    with pytest.raises(EnvironmentFault, match="did not give back a test secret"):
        credentials.store("acc-1", "imap", "secret")
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        with pytest.raises(EnvironmentFault, match=r"did not give back.*API key was not saved"):
            ai_settings.save(
                uow, actor, base_url="https://api.example.com/v1", model="m", api_key="sk-1"
            )


def test_a_store_that_keeps_deleted_secrets_fails_the_round_trip(
    use_backend: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MemoryKeyring, "delete_password", lambda self, s, u: None)
    with pytest.raises(EnvironmentFault, match="kept a test secret after deleting it"):
        credentials.store("acc-1", "imap", "secret")
    _store.clear()


def test_ai_key_refused_under_a_plaintext_chainer(
    use_backend: object, tmp_path: Path, sqlite_db: Database
) -> None:
    plain = _plaintext(tmp_path)
    use_backend(_chain(plain))  # type: ignore[operator]
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        assert "plain file" in (ai_settings.keyring_problem() or "")
        with pytest.raises(EnvironmentFault, match=r"plain file.*API key was not saved"):
            ai_settings.save(
                uow, actor, base_url="https://api.example.com/v1", model="m", api_key="sk-1"
            )
    assert not Path(plain.file_path).exists()


def test_selftest_names_the_backend_that_would_store(use_backend: object, tmp_path: Path) -> None:
    from desktop import selftest

    use_backend(_chain(_plaintext(tmp_path)))  # type: ignore[operator]
    # A keyring that cannot store is a warning (the selftest still passes),
    # and the warning names the backend that would have stored.
    with pytest.raises(selftest.DegradedError) as warned:
        selftest._keyring()
    assert "keyrings.alt.file.PlaintextKeyring" in str(warned.value)
    assert "cannot be stored" in str(warned.value)
