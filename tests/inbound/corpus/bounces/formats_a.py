"""Open-source MTAs: Postfix, Exim, Sendmail, qmail, Courier, OpenSMTPD, Haraka, MDaemon, Zimbra."""
from __future__ import annotations

from tests.inbound.corpus.bounces.build import OURS, headers, plain, report, status_fields

PEOPLE = ["dana.kowalski", "tom.baker", "eve.ng", "j.mueller", "laura.perez", "sarunas.petraitis", "ona.kairiene",
          "mark.smith", "aiko.tanaka", "li.wei", "pia.nielsen", "omar.haddad"]


def want(fmt: str, reason: str, klass: str, rcpt: str | None, status: str | None, kind: str = "bounce",
         mta: str | None = None) -> dict:
    return {"format": fmt, "kind": kind, "reason": reason, "class": klass, "recipient": rcpt, "status": status,
            "mta": mta or fmt}


def rcpt(i: int, domain: str) -> str:
    return f"{PEOPLE[i % len(PEOPLE)]}@{domain}"


POSTFIX_CASES = [
    ("user_unknown", "hard", "5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table",
     "RCPT TO"),
    ("mailbox_full", "soft", "5.2.2", "552 5.2.2 <{r}>: Recipient address rejected: Mailbox full", "RCPT TO"),
    ("auth_failure", "sender", "5.7.26", "550 5.7.26 Unauthenticated email from sequencer.test is not accepted due to "
     "domain's DMARC policy. Please contact the administrator of sequencer.test domain", "end of DATA"),
    ("blocked", "sender", "5.7.1", "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using "
     "zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9", "RCPT TO"),
    ("policy", "sender", "5.7.1", "554 5.7.1 <{r}>: Relay access denied", "RCPT TO"),
    ("too_large", "sender", "5.3.4", "552 5.3.4 Message size exceeds fixed limit", "MAIL FROM"),
    ("spam", "sender", "5.7.1", "550 5.7.1 Message rejected as spam by Content Filtering", "end of DATA"),
]


def postfix() -> list:
    out = []
    for i, (reason, klass, status, diag, stage) in enumerate(POSTFIX_CASES):
        domain = ["widgetco.test", "acme-corp.test", "nordwerk.test", "example-retail.test"][i % 4]
        r, seed = rcpt(i, domain), f"postfix{i}"
        d = diag.format(r=r)
        notice = ("This is the mail system at host out1.sequencer.test.\n\nI'm sorry to have to inform you that your "
                  "message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further "
                  "assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. "
                  "You can\ndelete your own text from the attached returned message.\n\n                   The mail "
                  f"system\n\n<{r}>: host mx1.{domain}[198.51.100.{20 + i}] said: {d[:60]}\n    {d[60:]} (in reply to "
                  f"{stage} command)\n")
        fields = status_fields("out1.sequencer.test", r, "failed", status, d, f"mx1.{domain}",
                               extra_msg=f"X-Postfix-Queue-ID: 4F2N68Mw{i}\nX-Postfix-Sender: rfc822; {OURS}\n")
        hdrs = headers("MAILER-DAEMON@out1.sequencer.test (Mail Delivery System)", "Undelivered Mail Returned to Sender",
                       seed, "out1.sequencer.test", "Auto-Submitted: auto-replied\n")
        layout = "report" if i % 3 else "nested"
        out.append((f"postfix_{reason}{'_nested' if layout == 'nested' else ''}", report(hdrs, notice, fields, r, seed,
                   "full" if i % 2 else "headers", layout=layout), want("postfix", reason, klass, r, status)))
    # host not found (no SMTP conversation at all), and the delay warning that is never a bounce
    r, seed = rcpt(8, "no-such-domain.test"), "postfix-host"
    notice = (f"This is the mail system at host out1.sequencer.test.\n\n<{r}>: Host or domain name not found. Name "
              "service error for\n    name=no-such-domain.test type=AAAA: Host not found\n")
    fields = status_fields("out1.sequencer.test", r, "failed", "5.4.4", None, None)
    fields += "Diagnostic-Code: X-Postfix; Host or domain name not found. Name service error for\n" \
              "    name=no-such-domain.test type=AAAA: Host not found\n"
    out.append(("postfix_host_unknown", report(headers("MAILER-DAEMON@out1.sequencer.test (Mail Delivery System)",
               "Undelivered Mail Returned to Sender", seed, "out1.sequencer.test"), notice, fields, r, seed),
                want("postfix", "host_unknown", "hard", r, "5.4.4")))
    r, seed = rcpt(9, "slowmx.test"), "postfix-delay"
    notice = ("This is the mail system at host out1.sequencer.test.\n\n####################################\n"
              "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
              "####################################\n\nYour message could not be delivered for more than 4 hour(s).\n"
              "It will be retried until it is 5 day(s) old.\n\n"
              f"<{r}>: connect to mx.slowmx.test[192.0.2.44]:25: Connection timed out\n")
    fields = status_fields("out1.sequencer.test", r, "delayed", "4.4.1",
                           None, None) + "Diagnostic-Code: X-Postfix; connect to mx.slowmx.test[192.0.2.44]:25: " \
                                         "Connection timed out\n"
    out.append(("postfix_delayed_warning", report(headers("MAILER-DAEMON@out1.sequencer.test (Mail Delivery System)",
               "Delayed Mail (still being retried)", seed, "out1.sequencer.test"), notice, fields, r, seed, "headers"),
                want("postfix", "network", "soft", r, "4.4.1")))
    r, seed = rcpt(10, "far-away.test"), "postfix-expired"
    notice = ("This is the mail system at host out1.sequencer.test.\n\nI'm sorry to have to inform you that your "
              f"message could not\nbe delivered to one or more recipients.\n\n<{r}>: delivery temporarily suspended: "
              "connect to\n    mx.far-away.test[192.0.2.45]:25: Connection refused\n")
    fields = status_fields("out1.sequencer.test", r, "failed", "4.4.1", None, None) + \
        "Diagnostic-Code: X-Postfix; delivery temporarily suspended: connect to mx.far-away.test: Connection refused\n"
    out.append(("postfix_expired_queue", report(headers("MAILER-DAEMON <>", "Undelivered Mail Returned to Sender",
               seed, "out1.sequencer.test", return_path=None), notice, fields, r, seed),
                want("postfix", "expired", "soft", r, "4.4.1")))
    r, seed = rcpt(11, "widgetco.test"), "postfix-success"
    notice = ("This is the mail system at host out1.sequencer.test.\n\nYour message was successfully delivered to the "
              f"destination(s)\nlisted below.\n\n<{r}>: delivery via mx1.widgetco.test[198.51.100.25]:25: 250 2.0.0 Ok\n")
    fields = status_fields("out1.sequencer.test", r, "relayed", "2.0.0", "250 2.0.0 Ok: queued as 4FYB6b", None)
    out.append(("postfix_success_relayed", report(headers("MAILER-DAEMON@out1.sequencer.test (Mail Delivery System)",
               "Successful Mail Delivery Report", seed, "out1.sequencer.test"), notice, fields, r, seed, "headers"),
                want("postfix", "undetermined", "none", None, None, kind="success")))
    return out


EXIM_CASES = [
    ("user_unknown", "hard", "5.1.1", "SMTP error from remote mail server after RCPT TO:<{r}>:\n    550 5.1.1 <{r}>: "
     "No such user here"),
    ("host_unknown", "hard", None, "Unrouteable address"),
    ("mailbox_full", "soft", "5.2.2", "SMTP error from remote mail server after RCPT TO:<{r}>:\n    552 5.2.2 "
     "Mailbox quota exceeded"),
    ("blocked", "sender", "5.7.1", "SMTP error from remote mail server after RCPT TO:<{r}>:\n    550 5.7.1 "
     "Rejected: 203.0.113.9 listed at bl.spamcop.net"),
    ("auth_failure", "sender", "5.7.23", "SMTP error from remote mail server after end of data:\n    550 5.7.23 "
     "SPF validation failed for sequencer.test"),
    ("expired", "soft", None, "retry timeout exceeded"),
    ("suspended", "soft", "5.2.1", "SMTP error from remote mail server after RCPT TO:<{r}>:\n    550 5.2.1 "
     "Mailbox disabled, not accepting messages"),
]


def exim() -> list:
    out = []
    for i, (reason, klass, status, diag) in enumerate(EXIM_CASES):
        domain = ["nordwerk.test", "baltic-logistics.test", "gmx-like.test", "firma.test"][i % 4]
        r, seed = rcpt(i + 3, domain), f"exim{i}"
        text = ("This message was created automatically by mail delivery software.\n\nA message that you sent could "
                "not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) "
                f"failed:\n\n  {r}\n    {diag.format(r=r)}\n")
        extra = f"X-Failed-Recipients: {r}\nAuto-Submitted: auto-replied\n" if i % 2 == 0 else "Auto-Submitted: auto-replied\n"
        hdrs = headers(f"Mail Delivery System <Mailer-Daemon@mail.{domain}>", "Mail delivery failed: returning message "
                       "to sender", seed, f"mail.{domain}", extra)
        out.append((f"exim_{reason}", plain(hdrs, text, r, seed), want("exim", reason, klass, r, status)))
    return out


def sendmail() -> list:
    cases = [("user_unknown", "hard", "5.1.1", "550 5.1.1 <{r}>... User unknown"),
             ("host_unknown", "hard", "5.1.2", "553 5.1.2 <{r}>... Host unknown (Name server: nowhere.test: host not "
              "found)"),
             ("mailbox_full", "soft", "4.2.2", "452 4.2.2 <{r}>... Mailbox full"),
             ("policy", "sender", "5.7.1", "550 5.7.1 <{r}>... Relaying denied. Proper authentication required."),
             ("content", "sender", "5.7.1", "554 5.7.1 Rejected: message contains a virus (Eicar-Test-Signature)")]
    out = []
    for i, (reason, klass, status, diag) in enumerate(cases):
        domain = ["univ.test", "old-corp.test", "lab.test"][i % 3]
        r, seed = rcpt(i + 1, domain), f"sendmail{i}"
        d = diag.format(r=r)
        notice = (f"The original message was received at Wed, 9 Dec 2026 10:05:01 GMT\nfrom app1.sequencer.test "
                  f"[10.0.0.5]\n\n   ----- The following addresses had permanent fatal errors -----\n<{r}>\n    "
                  f"(reason: {d.split(' ', 1)[1]})\n\n   ----- Transcript of session follows -----\n... while talking "
                  f"to mx.{domain}.:\n>>> RCPT To:<{r}>\n<<< {d}\n")
        if status.startswith("4"):
            notice = notice.replace("had permanent fatal errors", "had transient non-fatal errors")
        fields = status_fields(f"dns; mail.{domain}".split("; ")[1], r, "failed" if status[0] == "5" else "delayed",
                               status, d, f"mx.{domain}", original_rcpt=False)
        hdrs = headers(f"Mail Delivery Subsystem <MAILER-DAEMON@mail.{domain}>", "Returned mail: see transcript for "
                       "details" if status[0] == "5" else "Warning: could not send message for past 4 hours", seed,
                       f"mail.{domain}", "Auto-Submitted: auto-generated (failure)\n")
        out.append((f"sendmail_{reason}", report(hdrs, notice, fields, r, seed, "headers"),
                    want("sendmail", reason, klass, r, status)))
    return out


def qmail() -> list:
    cases = [("user_unknown", "hard", "5.1.1", "Sorry, no mailbox here by that name. (#5.1.1)"),
             ("mailbox_full", "soft", "4.2.2", "The users mailfolder is over the allowed quota (size). (#4.2.2)"),
             ("host_unknown", "hard", "5.1.2", "Sorry, I couldn't find any host named nowhere.test. (#5.1.2)"),
             ("blocked", "sender", "5.7.1", "203.0.113.9 failed after I sent the message.\nRemote host said: 554 5.7.1 "
              "Your IP is listed in our block list")]
    out = []
    for i, (reason, klass, status, diag) in enumerate(cases):
        domain = ["isp-mail.test", "hosting.test"][i % 2]
        r, seed = rcpt(i + 5, domain), f"qmail{i}"
        text = (f"Hi. This is the qmail-send program at mail.{domain}.\nI'm afraid I wasn't able to deliver your message "
                f"to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                f"<{r}>:\n{diag}\n\n--- Below this line is a copy of the message.\n\n")
        from tests.inbound.corpus.bounces.build import original
        hdrs = headers(f"MAILER-DAEMON@mail.{domain}", "failure notice", seed, f"mail.{domain}")
        body = hdrs + "Content-Type: text/plain\n\n" + text + original(r, seed)
        out.append((f"qmail_{reason}", body, want("qmail", reason, klass, r, status)))
    return out


def small_mtas() -> list:
    out = []
    r = rcpt(2, "courier-host.test")
    notice = ("This is a delivery status notification from mail.courier-host.test,\nrunning the Courier mail server, "
              f"version 1.1.\n\nThe original message was received on Wed, 9 Dec 2026\n\n<{r}>: Unknown user.\n")
    out.append(("courier_user_unknown", report(headers("Courier mail server at mail.courier-host.test <@>",
               "NOTICE: mail delivery status.", "courier1", "mail.courier-host.test"), notice, status_fields(
               "mail.courier-host.test", r, "failed", "5.0.0", "550 <" + r + ">: Unknown user.", None), r, "courier1"),
               want("courier", "user_unknown", "hard", r, "5.0.0")))
    r = rcpt(3, "open-bsd.test")
    text = (f"Hi!\n\nThis is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\nAn error has occurred while "
            f"attempting to deliver a message for\nthe following list of recipients:\n\n{r}: 550 5.2.2 Mailbox full\n\n"
            "Below is a copy of the original message:\n\n")
    out.append(("opensmtpd_mailbox_full", plain(headers("Mailer Daemon <MAILER-DAEMON@mx.open-bsd.test>",
               "Delivery status notification: error", "opensmtpd1", "mx.open-bsd.test"), text, r, "opensmtpd1"),
               want("opensmtpd", "mailbox_full", "soft", r, "5.2.2")))
    r = rcpt(4, "node-mail.test")
    notice = (f"Haraka at outbound.node-mail.test could not deliver your message to:\n\n  {r}\n\n550 5.7.26 This mail "
              "has been blocked because the sender is unauthenticated (DMARC)\n")
    out.append(("haraka_auth_failure", report(headers("MAILER-DAEMON@outbound.node-mail.test", "Mail delivery failed",
               "haraka1", "outbound.node-mail.test", "X-Haraka-Bounce: yes\n"), notice, status_fields(
               "outbound.node-mail.test", r, "failed", "5.7.26", "550 5.7.26 This mail has been blocked because the "
               "sender is unauthenticated (DMARC)", None), r, "haraka1"),
               want("haraka", "auth_failure", "sender", r, "5.7.26")))
    r = rcpt(5, "smallbiz.test")
    text = (f"The following recipient(s) could not be reached:\n\n{r}\n\nMDaemon received a 550 error from "
            "mx.smallbiz.test:\n550 5.1.1 Mailbox does not exist\n")
    out.append(("mdaemon_user_unknown", plain(headers("MDaemon@smallbiz.test", "Permanent Delivery Failure", "md1",
               "smallbiz.test", "X-MDaemon-Deliver-To: " + OURS + "\n"), text, r, "md1"),
               want("mdaemon", "user_unknown", "hard", r, "5.1.1")))
    r = rcpt(6, "collab.test")
    notice = ("Delivery has failed to these recipients or groups:\n\n"
              f"{r}\nThe email account does not exist at the organization this message was sent to.\n\n"
              "Zimbra Collaboration Server\n")
    out.append(("zimbra_user_unknown", report(headers("MAILER-DAEMON@zimbra.collab.test", "Undeliverable: Quick "
               "question", "zim1", "zimbra.collab.test"), notice, status_fields("zimbra.collab.test", r, "failed",
               "5.1.1", "550 5.1.1 <" + r + ">: Recipient address rejected: User unknown", None), r, "zim1"),
               want("zimbra", "user_unknown", "hard", r, "5.1.1")))
    return out


def samples() -> list:
    return postfix() + exim() + sendmail() + qmail() + small_mtas()
