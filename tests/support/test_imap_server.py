"""The IMAP test fixtures themselves: a real Dovecot, and a server that breaks the protocol on purpose."""
from __future__ import annotations

import imaplib

import pytest

from tests.support.dovecot import DovecotServer
from tests.support.misbehaving_imap import MisbehavingImapServer


def message(subject: str) -> bytes:
    return (f"From: Ann <ann@customer.test>\r\nTo: rep@sequencer.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '-')}@customer.test>\r\n\r\nHello\r\n").encode()


def test_append_count_and_unseen(imap_server: DovecotServer) -> None:
    imap_server.append("INBOX", message("one"))
    imap_server.append("INBOX", message("two"))
    imap_server.create_folder("Sales")
    imap_server.append("Sales", message("three"))

    assert imap_server.count("INBOX") == 2
    assert imap_server.count("Sales") == 1
    assert imap_server.seen_flags("INBOX") == [False, False]
    assert imap_server.seen_flags("INBOX") == [False, False]  # reading flags did not mark them read
    assert imap_server.seen_flags("Sales") == [False]
    assert imap_server.uidvalidity("INBOX") > 0


def test_flags_and_a_non_ascii_folder(imap_server: DovecotServer) -> None:
    imap_server.create_folder("Ventes & Prospects é")
    imap_server.append("Ventes & Prospects é", message("read"), flags=("\\Seen",))
    imap_server.append("Ventes & Prospects é", message("unread"))
    assert imap_server.seen_flags("Ventes & Prospects é") == [True, False]
    assert "Ventes &- Prospects &AOk-" in imap_server.folders()


def test_a_real_client_sees_the_messages(imap_server: DovecotServer) -> None:
    imap_server.append("INBOX", message("hello"))
    with imap_server.connect() as conn:
        conn.select("INBOX")
        typ, data = conn.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    assert typ == "OK" and b"Subject: hello" in data[0][1]

    conn = imaplib.IMAP4(imap_server.host, imap_server.port)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        conn.login(imap_server.username, "wrong password")
    conn.shutdown()


def test_clear_empties_everything(imap_server: DovecotServer) -> None:
    imap_server.create_folder("Sales")
    imap_server.create_folder("Sales.Leads")
    imap_server.append("INBOX", message("one"))
    imap_server.append("Sales", message("two"))
    imap_server.append("Sales.Leads", message("three"))
    sales_validity = imap_server.uidvalidity("Sales")

    imap_server.clear()

    assert imap_server.folders() == ["INBOX"]
    assert imap_server.count("INBOX") == 0
    assert imap_server.seen_flags("INBOX") == []
    imap_server.create_folder("Sales")
    assert imap_server.count("Sales") == 0
    assert imap_server.uidvalidity("Sales") != sales_validity  # a re-created folder is a new folder


def test_each_test_starts_clean(imap_server: DovecotServer) -> None:
    assert imap_server.folders() == ["INBOX"]
    assert imap_server.count("INBOX") == 0


def test_garbage_greeting(misbehaving_imap_server: MisbehavingImapServer) -> None:
    misbehaving_imap_server.set_mode("garbage")
    with pytest.raises(imaplib.IMAP4.abort, match="unexpected response"):
        imaplib.IMAP4(misbehaving_imap_server.host, misbehaving_imap_server.port, timeout=2)
    assert misbehaving_imap_server.connections == 1


def test_disconnect_on_accept(misbehaving_imap_server: MisbehavingImapServer) -> None:
    misbehaving_imap_server.set_mode("disconnect")
    with pytest.raises(imaplib.IMAP4.abort, match="EOF"):
        imaplib.IMAP4(misbehaving_imap_server.host, misbehaving_imap_server.port, timeout=2)
    assert misbehaving_imap_server.connections == 1


def test_disconnect_after_login(misbehaving_imap_server: MisbehavingImapServer) -> None:
    misbehaving_imap_server.set_mode("disconnect_after_login")
    conn = imaplib.IMAP4(misbehaving_imap_server.host, misbehaving_imap_server.port, timeout=2)
    assert "IMAP4REV1" in conn.capabilities
    assert conn.login("rep@sequencer.test", "anything")[0] == "OK"
    with pytest.raises(imaplib.IMAP4.abort, match="EOF"):
        conn.select("INBOX")
    conn.shutdown()


def test_silent_server_times_out(misbehaving_imap_server: MisbehavingImapServer) -> None:
    misbehaving_imap_server.set_mode("silent")
    with pytest.raises(TimeoutError):
        imaplib.IMAP4(misbehaving_imap_server.host, misbehaving_imap_server.port, timeout=0.2)


def test_unknown_mode_is_refused(misbehaving_imap_server: MisbehavingImapServer) -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        misbehaving_imap_server.set_mode("polite")
