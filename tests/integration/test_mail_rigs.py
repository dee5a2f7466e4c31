"""The mail rigs do what the mail tests will rely on: prove them once, here."""

from __future__ import annotations

import base64
import imaplib
import smtplib
import ssl
import time
from email.message import EmailMessage
from typing import Any

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from tests import servers
from tests.mail_fixtures import ALICE, BOB, append_messages, imap_client, tls_context


def _message(n: int, size: int = 0) -> bytes:
    body = (f"Message {n}.\r\n" + "x" * size).encode()
    head = (
        f"From: Client {n} <client{n}@example.test>\r\n"
        f"To: {ALICE}\r\n"
        f"Subject: Test {n}\r\n"
        f"Message-ID: <rig-{n}@example.test>\r\n"
        "Date: Tue, 24 Nov 2026 09:00:00 +0000\r\n\r\n"
    ).encode()
    return head + body


def _mail(subject: str = "Hello") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = ALICE
    msg["To"] = "client@example.test"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{subject.replace(' ', '-')}@example.test>"
    msg.set_content("Body text.\n")
    return msg


# --- IMAP ---------------------------------------------------------------------


def test_imap_implicit_tls_verifies_ca_and_ip_address(imap_server: dict[str, Any]) -> None:
    context = tls_context(imap_server)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    client = IMAPClient(
        imap_server["host"], imap_server["tls_port"], ssl=True, ssl_context=context, timeout=10
    )
    try:
        cert = client.socket().getpeercert()
        assert ("IP Address", "127.0.0.1") in cert["subjectAltName"]
        client.login(ALICE, imap_server["users"][ALICE])
        client.noop()
    finally:
        client.logout()


def test_imap_starttls_on_plain_port(imap_server: dict[str, Any]) -> None:
    with imap_client(imap_server, None, tls="starttls") as client:
        assert isinstance(client.socket(), ssl.SSLSocket)
        client.login(BOB, imap_server["users"][BOB])
        assert client.select_folder("INBOX")[b"EXISTS"] >= 0


def test_imap_plain_port_allows_explicit_plaintext_login(imap_server: dict[str, Any]) -> None:
    with imap_client(imap_server, None, tls="none") as client:
        caps = client.capabilities()
        assert b"STARTTLS" in caps
        assert b"LOGINDISABLED" not in caps
        assert not isinstance(client.socket(), ssl.SSLSocket)
        client.login(ALICE, imap_server["users"][ALICE])


@pytest.mark.parametrize("tls", ["implicit", "starttls"])
def test_imap_untrusted_ca_is_refused(imap_server: dict[str, Any], tls: str) -> None:
    with (
        pytest.raises(ssl.SSLCertVerificationError),
        imap_client(imap_server, None, tls=tls, ca_file=imap_server["other_ca_file"]),
    ):
        pass


def test_imap_wrong_password_is_refused(imap_server: dict[str, Any]) -> None:
    with imap_client(imap_server, None) as client, pytest.raises(LoginError):
        client.login(ALICE, "not-the-password")


def test_imap_folders_special_use_and_subfolder(mailbox: dict[str, Any]) -> None:
    with imap_client(mailbox) as client:
        folders = {name: flags for flags, _, name in client.list_folders()}
        assert client.find_special_folder(b"\\Sent") == "Sent"
        assert b"\\Sent" in folders["Sent"]
        assert b"\\Drafts" in folders["Drafts"]
        assert b"\\Trash" in folders["Trash"]
        assert "INBOX/Projects" in folders
        assert b"\\HasChildren" in folders["INBOX"]


def test_imap_condstore_and_qresync(mailbox: dict[str, Any]) -> None:
    with imap_client(mailbox) as client:
        caps = client.capabilities()
        assert {b"CONDSTORE", b"QRESYNC", b"UIDPLUS", b"MULTIAPPEND", b"SPECIAL-USE"} <= set(caps)
        assert client.enable("CONDSTORE") == [b"CONDSTORE"]
        assert b"HIGHESTMODSEQ" in client.select_folder("INBOX")


def test_imap_multiappend_200_then_fetch_by_uid(mailbox: dict[str, Any]) -> None:
    t0 = time.perf_counter()
    uids = append_messages(mailbox, ALICE, "INBOX", [_message(n) for n in range(200)])
    appended = time.perf_counter() - t0
    assert len(uids) == 200
    assert uids == sorted(set(uids))
    with imap_client(mailbox) as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search(["ALL"]) == uids
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "RFC822.SIZE"])
    assert set(fetched) == set(uids)
    ids = {
        fetched[uid][b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip().decode().split(": ")[1]
        for uid in uids
    }
    assert ids == {f"<rig-{n}@example.test>" for n in range(200)}
    assert appended < 10, f"MULTIAPPEND of 200 took {appended:.1f}s"


def test_reset_mailbox_empties_folders_and_drops_extra_ones(imap_server: dict[str, Any]) -> None:
    append_messages(imap_server, BOB, "INBOX", [_message(1), _message(2)])
    append_messages(imap_server, BOB, "Sent", [_message(3)])
    with imap_client(imap_server, BOB) as client:
        client.create_folder("Archive")
        client.create_folder("Archive/2026")
        before = client.folder_status("INBOX", ["UIDVALIDITY", "UIDNEXT"])
    append_messages(imap_server, BOB, "Archive/2026", [_message(4)])

    servers.reset_mailbox(imap_server, BOB)

    with imap_client(imap_server, BOB) as client:
        names = {name for _, _, name in client.list_folders()}
        assert names == set(servers.IMAP_STANDARD_FOLDERS)
        for name in names:
            assert client.folder_status(name, ["MESSAGES"])[b"MESSAGES"] == 0
        after = client.folder_status("INBOX", ["UIDVALIDITY", "UIDNEXT"])
    assert after[b"UIDVALIDITY"] == before[b"UIDVALIDITY"]
    assert after[b"UIDNEXT"] >= before[b"UIDNEXT"]


def test_set_uidvalidity(mailbox: dict[str, Any]) -> None:
    servers.set_uidvalidity(mailbox, ALICE, "INBOX", 4242)
    with imap_client(mailbox) as client:
        assert client.folder_status("INBOX", ["UIDVALIDITY"])[b"UIDVALIDITY"] == 4242


# --- SMTP ---------------------------------------------------------------------


def test_smtp_starttls_login_delivers(smtp: servers.SmtpRig) -> None:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    msg = _mail("Starttls")
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.ehlo()
        assert client.has_extn("starttls")
        assert not client.has_extn("auth")  # not offered before TLS
        client.starttls(context=context)
        client.ehlo()
        assert client.has_extn("auth")
        client.login(ALICE, "secret")
        client.send_message(msg, to_addrs=["client@example.test", "boss@example.test"])
    (got,) = smtp.messages
    assert got.mail_from == ALICE
    assert got.rcpt_tos == ("client@example.test", "boss@example.test")
    assert got.login == ALICE
    assert got.port == smtp.port
    assert not got.dropped
    assert b"Message-ID: <Starttls@example.test>" in got.data
    assert got.data.endswith(b"Body text.\r\n")


def test_smtps_implicit_tls_login_delivers(smtp: servers.SmtpRig) -> None:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    with smtplib.SMTP_SSL(smtp.host, smtp.tls_port, context=context, timeout=10) as client:
        client.login(BOB, "secret2")
        client.send_message(_mail("Smtps"))
    (got,) = smtp.wait_for(1)
    assert (got.login, got.port) == (BOB, smtp.tls_port)


def test_smtp_refuses_auth_and_mail_without_tls(smtp: servers.SmtpRig) -> None:
    token = base64.b64encode(f"\0{ALICE}\0secret".encode()).decode()
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.ehlo()
        with pytest.raises(smtplib.SMTPNotSupportedError):
            client.login(ALICE, "secret")
        code, _ = client.docmd("AUTH", f"PLAIN {token}")
        assert code == 530  # STARTTLS first
        code, _ = client.docmd("MAIL", f"FROM:<{ALICE}>")
        assert code == 530
    assert smtp.messages == []


def test_smtp_refuses_mail_without_auth(smtp: servers.SmtpRig) -> None:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    with smtplib.SMTP_SSL(smtp.host, smtp.tls_port, context=context, timeout=10) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.send_message(_mail("No auth"))
        assert refused.value.smtp_code == 530
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.login(ALICE, "wrong")


def test_smtp_untrusted_ca_is_refused(smtp: servers.SmtpRig, imap_server: dict[str, Any]) -> None:
    context = ssl.create_default_context(cafile=imap_server["other_ca_file"])
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.ehlo()
        with pytest.raises(ssl.SSLCertVerificationError):
            client.starttls(context=context)
        client.close()


def _send(smtp: servers.SmtpRig, msg: EmailMessage) -> None:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    with smtplib.SMTP_SSL(smtp.host, smtp.tls_port, context=context, timeout=10) as client:
        client.login(ALICE, "secret")
        client.send_message(msg)


def test_smtp_fail_next_gives_temporary_451(smtp: servers.SmtpRig) -> None:
    smtp.fail_next(2)
    for _ in range(2):
        with pytest.raises(smtplib.SMTPDataError) as failed:
            _send(smtp, _mail("Retry me"))
        assert failed.value.smtp_code == 451
    assert smtp.messages == []
    _send(smtp, _mail("Retry me"))
    assert len(smtp.messages) == 1


def test_smtp_drop_after_dot_keeps_message_but_never_answers(smtp: servers.SmtpRig) -> None:
    smtp.drop_next()
    with pytest.raises(smtplib.SMTPServerDisconnected):  # not a hang: pytest's timeout
        _send(smtp, _mail("Maybe sent"))
    (taken,) = smtp.messages
    assert taken.dropped
    # the client cannot tell, retries, and the message arrives twice
    _send(smtp, _mail("Maybe sent"))
    first, second = smtp.messages
    assert not second.dropped
    assert first.data == second.data


# --- TCP proxy ----------------------------------------------------------------


def test_proxy_forwards_and_counts(mailbox: dict[str, Any], tcp_proxy: Any) -> None:
    proxy = tcp_proxy(mailbox["host"], mailbox["tls_port"])
    with imap_client(mailbox, host=proxy.host, port=proxy.port) as client:
        client.noop()
        assert proxy.active == 1
    assert proxy.connections == 1
    assert proxy.bytes_to_server > 0
    assert proxy.bytes_to_client > 0
    deadline = time.monotonic() + 5
    while proxy.active and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proxy.active == 0


def test_proxy_cut_breaks_a_fetch_and_keeps_listening(
    mailbox: dict[str, Any], tcp_proxy: Any
) -> None:
    uids = append_messages(mailbox, ALICE, "INBOX", [_message(n) for n in range(5)])
    proxy = tcp_proxy(mailbox["host"], mailbox["tls_port"])
    with imap_client(mailbox, host=proxy.host, port=proxy.port) as client:
        client.select_folder("INBOX")
        assert proxy.cut() == 1
        with pytest.raises((OSError, imaplib.IMAP4.abort)):
            client.fetch(uids, ["RFC822.SIZE"])
    assert proxy.cuts == 1
    with imap_client(mailbox, host=proxy.host, port=proxy.port) as client:
        client.select_folder("INBOX")
        assert len(client.fetch(uids, ["RFC822.SIZE"])) == 5


def test_proxy_cut_after_bytes_breaks_mid_fetch_once(
    mailbox: dict[str, Any], tcp_proxy: Any
) -> None:
    uids = append_messages(mailbox, ALICE, "INBOX", [_message(n, 8000) for n in range(40)])
    proxy = tcp_proxy(mailbox["host"], mailbox["tls_port"])
    with imap_client(mailbox, host=proxy.host, port=proxy.port) as client:
        client.select_folder("INBOX")
        proxy.cut_after_bytes(100_000)
        received_before = proxy.bytes_to_client
        with pytest.raises((OSError, imaplib.IMAP4.abort)):
            client.fetch(uids, ["BODY.PEEK[]"])
    assert proxy.cuts == 1
    assert proxy.bytes_to_client - received_before == 100_000
    # one-shot: the next connection goes through
    with imap_client(mailbox, host=proxy.host, port=proxy.port) as client:
        client.select_folder("INBOX")
        assert len(client.fetch(uids, ["BODY.PEEK[]"])) == 40


def test_proxy_stall_makes_a_client_time_out(mailbox: dict[str, Any], tcp_proxy: Any) -> None:
    proxy = tcp_proxy(mailbox["host"], mailbox["tls_port"])
    with imap_client(mailbox, host=proxy.host, port=proxy.port, timeout=1) as client:
        client.noop()
        proxy.stall()
        t0 = time.perf_counter()
        with pytest.raises(TimeoutError):
            client.noop()
        waited = time.perf_counter() - t0
        client.shutdown()
    assert waited > 0.9  # the client's own 1 s timeout, not an early error
    proxy.stall(False)
    with imap_client(mailbox, host=proxy.host, port=proxy.port, timeout=5) as client:
        client.noop()
