"""TLS contexts are built once per CA file and shared, yet an edited CA file
or the passing of time gives a fresh one (services/mail/imap.py)."""

from __future__ import annotations

import shutil
import ssl
from pathlib import Path
from typing import Any

import imapclient
import pytest

from services.core.errors import EnvironmentFault
from services.mail import imap


def _verifies(server: dict[str, Any], context: ssl.SSLContext) -> bool:
    try:
        client = imapclient.IMAPClient(
            server["host"], server["tls_port"], ssl=True, ssl_context=context, timeout=30
        )
    except ssl.SSLCertVerificationError:
        return False
    client.shutdown()
    return True


def test_a_ca_file_is_read_once_and_again_when_edited(
    imap_server: dict[str, Any], tmp_path: Path
) -> None:
    ca = tmp_path / "удостоверяющий центр.pem"
    shutil.copy(imap_server["other_ca_file"], ca)
    wrong = imap.tls_context(str(ca))
    assert imap.tls_context(str(ca)) is wrong  # the system store is not loaded again
    assert not _verifies(imap_server, wrong)
    shutil.copy(imap_server["ca_file"], ca)  # the user fixes the file: same name
    right = imap.tls_context(str(ca))
    assert right is not wrong
    assert _verifies(imap_server, right)
    assert imap.tls_context(None) is imap.tls_context(None)
    assert imap.tls_context(None) is not right


def test_a_context_expires(imap_server: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first = imap.tls_context(imap_server["ca_file"])
    later = imap.time.monotonic() + imap.CONTEXT_TTL_S + 1
    monkeypatch.setattr(imap.time, "monotonic", lambda: later)
    again = imap.tls_context(imap_server["ca_file"])
    assert again is not first
    assert _verifies(imap_server, again)


def test_an_unusable_ca_file_is_refused_every_time(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN CERTIFICATE-----\nне сертификат\n-----END CERTIFICATE-----\n")
    for _ in range(2):
        with pytest.raises(EnvironmentFault) as refused:
            imap.tls_context(str(broken))
        assert refused.value.code == "mail.imap.ca_file_holds_no"
    with pytest.raises(EnvironmentFault) as missing:
        imap.tls_context(str(tmp_path / "missing.pem"))
    assert missing.value.code == "mail.imap.ca_file_cannot_read"
