"""IMAP polling against a real Dovecot: ingested once, left unread, UIDVALIDITY respected, bad servers survived."""
from __future__ import annotations

from sqlalchemy import func, select

from sequencer.inbound.imap import FLAG_AFTER, flagged, poll_mailbox
from sequencer.models import EnrollmentStatus, ImapFolderState, InboundMessage
from sequencer.models.mail import SmtpSecurity
from sequencer.platform.security import SecretBox
from tests.inbound.messages import reply
from tests.support.dovecot import PASSWORD, USERNAME

SECRETS = SecretBox("test-secret-key-not-for-production")
DANA = "Dana Kowalski <dana.kowalski@acme-corp.test>"


def _point(mailbox, host, port, folders=()):
    mailbox.imap_host, mailbox.imap_port, mailbox.imap_username = host, port, USERNAME
    mailbox.imap_password_encrypted = SECRETS.encrypt(PASSWORD)
    mailbox.imap_security, mailbox.imap_folders = SmtpSecurity.NONE, list(folders)


def _stored(session) -> int:
    return session.scalar(select(func.count()).select_from(InboundMessage))


def test_poll_ingests_new_mail_once_and_leaves_it_unread(session, corpus_world, now, imap_server):
    mailbox = corpus_world["mailbox"]
    _point(mailbox, imap_server.host, imap_server.port, folders=["Sales"])
    session.commit()
    imap_server.create_folder("Sales")
    imap_server.append("INBOX", reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Interested!"))
    imap_server.append("INBOX", reply(sender="news@elsewhere.test", body="Our newsletter"))
    imap_server.append("Sales", reply(sender="Tom Baker <tom.baker@widgetco.test>",
                                      in_reply_to="<sr501.corpus@sequencer.test>", body="Please unsubscribe me."))

    first = poll_mailbox(session, mailbox, SECRETS, now)
    assert (first.ingested, first.error, first.folders) == (3, None, {"INBOX": 2, "Sales": 1})
    assert imap_server.seen_flags("INBOX") == [False, False] and imap_server.seen_flags("Sales") == [False]
    dana = corpus_world["enrollments"]["dana.kowalski@acme-corp.test"]
    session.refresh(dana)
    assert dana.status == EnrollmentStatus.EXITED
    assert {r.classification for r in session.scalars(select(InboundMessage))} == {"reply", "unmatched", "unsubscribe"}
    assert {r.source for r in session.scalars(select(InboundMessage))} == {"imap"}

    second = poll_mailbox(session, mailbox, SECRETS, now)
    assert (second.ingested, second.duplicates, second.folders) == (0, 0, {"INBOX": 0, "Sales": 0})
    assert _stored(session) == 3

    imap_server.append("INBOX", reply(sender="Eve Ng <eve.ng@acme-corp.test>",
                                      in_reply_to="<sr401.corpus@sequencer.test>", body="Talk to my colleague Jo."))
    third = poll_mailbox(session, mailbox, SECRETS, now)
    assert (third.ingested, third.folders["INBOX"]) == (1, 1)
    assert mailbox.imap_failures == 0 and mailbox.imap_checked_at == now


def test_a_new_uidvalidity_rereads_the_folder_without_double_effects(session, corpus_world, now, imap_server):
    mailbox = corpus_world["mailbox"]
    _point(mailbox, imap_server.host, imap_server.port)
    session.commit()
    imap_server.append("INBOX", reply(sender=DANA, in_reply_to="<sr101.corpus@sequencer.test>", body="Yes, let's talk"))
    poll_mailbox(session, mailbox, SECRETS, now)
    state = session.scalars(select(ImapFolderState)).one()
    state.uidvalidity += 1  # as if the server had renumbered the folder
    session.commit()

    again = poll_mailbox(session, mailbox, SECRETS, now)
    assert (again.ingested, again.duplicates) == (0, 1)
    assert _stored(session) == 1
    session.refresh(state)
    assert state.uidvalidity == imap_server.uidvalidity("INBOX") and state.last_uid > 0


def test_a_broken_server_is_retried_and_flagged_after_repeated_failures(session, corpus_world, now,
                                                                        misbehaving_imap_server):
    mailbox = corpus_world["mailbox"]
    _point(mailbox, misbehaving_imap_server.host, misbehaving_imap_server.port)
    session.commit()
    for mode in ("garbage", "disconnect", "disconnect_after_login"):
        misbehaving_imap_server.set_mode(mode)
        result = poll_mailbox(session, mailbox, SECRETS, now)
        assert result.error and result.ingested == 0
    assert mailbox.imap_failures == FLAG_AFTER and flagged(mailbox) and mailbox.imap_error


def test_recovery_clears_the_flag(session, corpus_world, now, imap_server):
    mailbox = corpus_world["mailbox"]
    _point(mailbox, imap_server.host, imap_server.port)
    mailbox.imap_failures, mailbox.imap_error = 5, "ConnectionRefusedError"
    session.commit()
    assert poll_mailbox(session, mailbox, SECRETS, now).error is None
    assert (mailbox.imap_failures, mailbox.imap_error, flagged(mailbox)) == (0, None, False)


def test_wrong_password_is_a_failure_not_a_crash(session, corpus_world, now, imap_server):
    mailbox = corpus_world["mailbox"]
    _point(mailbox, imap_server.host, imap_server.port)
    mailbox.imap_password_encrypted = SECRETS.encrypt("wrong")
    session.commit()
    result = poll_mailbox(session, mailbox, SECRETS, now)
    assert result.error and mailbox.imap_failures == 1
