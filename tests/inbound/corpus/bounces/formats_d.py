"""Remote refusals relayed by our own MTA (Postfix, Exim, Sendmail, Kerio, Exchange), each provider's own words."""
from __future__ import annotations

from tests.inbound.corpus.bounces.build import OURS, headers, plain, report, status_fields
from tests.inbound.corpus.bounces.formats_a import rcpt, want

# (reason, class, status, the remote server's reply); the words are the providers' documented ones
REMOTE = [
    ("user_unknown", "hard", "5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: undeliverable address: host "
     "mx.{d}[192.0.2.7] said: 550 No Such User Here"),
    ("user_unknown", "hard", "5.0.0", "550 5.0.0 <{r}>... No such user"),
    ("user_unknown", "hard", "5.1.1", "550 5.1.1 {r}: Email address could not be found, or was misspelled (G8)"),
    ("user_unknown", "hard", "5.1.1", "550 5.1.1 Unknown or illegal alias: {r}"),
    ("host_unknown", "hard", "5.1.2", "550 5.1.2 Host unknown (Name server: {d}: no data known)"),
    ("host_unknown", "hard", "5.1.10", "556 5.1.10 Recipient address {r} has null MX"),
    ("moved", "hard", "5.1.6", "551 5.1.6 User not local; please try <new.address@{d}>"),
    ("mailbox_full", "soft", "5.2.2", "552 5.2.2 Quota exceeded (mailbox for user is full)"),
    ("mailbox_full", "soft", "4.2.2", "452 4.2.2 Insufficient system storage"),
    ("suspended", "soft", "5.2.1", "550 5.2.1 This mailbox has been suspended for inactivity"),
    ("suspended", "soft", "5.7.13", "525 5.7.13 User account disabled"),
    ("auth_failure", "sender", "5.7.26", "550 5.7.26 Multiple authentication checks failed: DKIM and SPF both fail"),
    ("auth_failure", "sender", "5.7.1", "550 5.7.1 Email rejected per DMARC policy for sequencer.test"),
    ("auth_failure", "sender", "5.7.23", "550 5.7.23 The message was rejected because of Sender Policy Framework "
     "violation"),
    ("auth_failure", "sender", "5.7.27", "550 5.7.27 Sender address has null MX"),
    ("blocked", "sender", "5.7.1", "554 5.7.1 Rejected: IP 203.0.113.9 is listed by b.barracudacentral.org"),
    ("blocked", "sender", "5.7.25", "550 5.7.25 Client host rejected: cannot find your reverse hostname, "
     "[203.0.113.9]"),
    ("blocked", "sender", "5.7.1", "554 5.7.1 Service unavailable; client [203.0.113.9] blocked using "
     "bl.spamcop.net"),
    ("spam", "sender", "5.7.1", "550 5.7.1 Your message looks like SPAM or has been reported as SPAM, please read "
     "https://help.example/spam"),
    ("spam", "sender", "5.7.0", "554 5.7.0 Rejected: Bulk mail not accepted (high spam score)"),
    ("content", "sender", "5.7.1", "550 5.7.1 Message rejected: attachment type not allowed (.exe)"),
    ("content", "sender", "5.6.0", "554 5.6.0 Message contains invalid header: the message content was rejected"),
    ("too_large", "sender", "5.3.4", "552 5.3.4 Error: message file too big"),
    ("rate_limited", "soft", "4.7.0", "421 4.7.0 Too many concurrent SMTP connections from this IP address; please "
     "try again later"),
    ("rate_limited", "soft", "4.7.28", "421 4.7.28 Flood: too many messages from 203.0.113.9, throttled"),
    ("policy", "sender", "5.7.1", "550 5.7.1 Recipient {r} only accepts mail from authorised senders"),
    ("policy", "sender", "5.7.1", "553 5.7.1 Sender address rejected: not owned by user"),
    ("network", "soft", "4.3.0", "451 4.3.0 Temporary system failure, please try again later"),
    ("network", "soft", "4.4.2", "421 4.4.2 Connection dropped due to timeout"),
    ("on_hold", "soft", "4.7.1", "450 4.7.1 Message held for moderation by the list owner (pending approval)"),
    ("user_unknown", "hard", "5.1.1", "550 5.1.1 Not our Customer"),
    ("user_unknown", "hard", "5.1.1", "550 Requested action not taken: mailbox unavailable 5.1.1 <{r}>"),
    ("suspended", "soft", "5.2.1", "550 5.2.1 Mailbox inactive: the account has been deactivated"),
    ("mailbox_full", "soft", "5.2.2", "552 5.2.2 Requested mail action aborted: exceeded storage allocation"),
    ("blocked", "sender", "5.7.1", "550 5.7.1 Connection refused - 203.0.113.9 is on the RBL (dnsbl.sorbs.net)"),
    ("auth_failure", "sender", "5.7.26", "550 5.7.26 DKIM signature verification failed for sequencer.test"),
    ("host_unknown", "hard", "5.4.4", "550 5.4.4 Unable to route: no mail hosts for domain"),
    ("expired", "soft", "4.4.7", "451 4.4.7 Message could not be delivered within 5 days: giving up"),
    ("policy", "sender", "5.7.1", "550 5.7.1 Relaying denied for <{r}>"),
    ("spam", "sender", "5.7.1", "554 5.7.1 Message refused: content looks like spam (SpamAssassin score 9.1)"),
    ("user_unknown", "hard", "5.4.1", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
     "[DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]"),
    ("blocked", "sender", "5.7.1", "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. Please contact "
     "your Internet service provider since part of their network is on our block list (S3150)"),
    ("blocked", "sender", "5.7.1", "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.9, because the "
     "ip is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html"),
    ("host_unknown", "hard", "5.4.4", "550 5.4.4 all relevant MX records point to non-existent hosts"),
    ("greylisted", "soft", "4.7.1", "451 4.7.1 Greylisting in action, please come back later"),
]
RELAYS = ["postfix", "exim", "sendmail", "kerio"]


def _postfix(r: str, d: str, status: str, reply: str, seed: str) -> str:
    notice = ("This is the mail system at host out2.sequencer.test.\n\nI'm sorry to have to inform you that your "
              f"message could not\nbe delivered to one or more recipients.\n\n<{r}>: host mx.{d}[192.0.2.8] said: "
              f"{reply}\n    (in reply to RCPT TO command)\n")
    action = "delayed" if status.startswith("4") else "failed"
    return report(headers("MAILER-DAEMON@out2.sequencer.test (Mail Delivery System)", "Undelivered Mail Returned to "
                          "Sender" if action == "failed" else "Delayed Mail (still being retried)", seed,
                          "out2.sequencer.test"), notice, status_fields("out2.sequencer.test", r, action, status,
                                                                         reply, f"mx.{d}"), r, seed, "headers")


def _exim(r: str, d: str, status: str, reply: str, seed: str) -> str:
    text = ("This message was created automatically by mail delivery software.\n\nA message that you sent could not "
            "be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) "
            f"failed:\n\n  {r}\n    host mx.{d} [192.0.2.9]\n    SMTP error from remote mail server after RCPT "
            f"TO:<{r}>:\n    {reply}\n")
    if status.startswith("4"):
        text = text.replace("This is a permanent error.", "This is a temporary error; delivery will be retried.")
    return plain(headers("Mail Delivery System <Mailer-Daemon@out3.sequencer.test>", "Mail delivery failed: returning "
                         "message to sender", seed, "out3.sequencer.test", f"X-Failed-Recipients: {r}\n"), text, r, seed)


def _sendmail(r: str, d: str, status: str, reply: str, seed: str) -> str:
    notice = ("The original message was received at Wed, 9 Dec 2026 10:05:01 GMT\nfrom app1.sequencer.test [10.0.0.5]\n"
              f"\n   ----- The following addresses had permanent fatal errors -----\n<{r}>\n\n   ----- Transcript of "
              f"session follows -----\n... while talking to mx.{d}.:\n>>> DATA\n<<< {reply}\n")
    action = "delayed" if status.startswith("4") else "failed"
    return report(headers("Mail Delivery Subsystem <MAILER-DAEMON@out4.sequencer.test>", "Returned mail: see transcript "
                          "for details", seed, "out4.sequencer.test"), notice, status_fields("out4.sequencer.test", r,
                          action, status, reply, f"mx.{d}", original_rcpt=False), r, seed, "full")


def _kerio(r: str, d: str, status: str, reply: str, seed: str) -> str:
    notice = (f"Kerio Connect at mail.sequencer-office.test\n\nYour message to {r} could not be delivered.\n\n"
              f"Remote server mx.{d} said: {reply}\n")
    action = "delayed" if status.startswith("4") else "failed"
    return report(headers("Kerio Connect <postmaster@sequencer-office.test>", "Undeliverable: Quick question", seed,
                          "mail.sequencer-office.test", "X-Mailer: Kerio Connect 10.0.2\n"), notice,
                  status_fields("mail.sequencer-office.test", r, action, status, reply, f"mx.{d}"), r, seed, "headers")


BUILD = {"postfix": _postfix, "exim": _exim, "sendmail": _sendmail, "kerio": _kerio}


def samples() -> list:
    out = []
    for i, (reason, klass, status, reply) in enumerate(REMOTE):
        relay = RELAYS[i % len(RELAYS)]
        d = ["northwind.test", "contoso.test", "globex.test", "initech.test", "umbrella.test"][i % 5]
        r, seed = rcpt(i + 7, d), f"relay-{relay}-{i}"
        text = reply.format(r=r, d=d)
        delayed = status.startswith("4") and relay in ("postfix", "sendmail", "kerio")
        want_class = "soft" if delayed else klass
        reason = "network" if reason == "greylisted" else reason
        out.append((f"relay_{relay}_{reason}_{i}", BUILD[relay](r, d, status, text, seed),
                    want(relay, reason, want_class, r, status)))
    return out


__all__ = ["samples", "OURS"]
