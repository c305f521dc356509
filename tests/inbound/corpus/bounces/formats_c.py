"""Sending services, gateways, Lotus Domino, Japanese carriers, ARF complaints and the odd spellings."""
from __future__ import annotations

import json

from tests.inbound.corpus.bounces.build import OURS, headers, original, original_headers, plain, report, status_fields
from tests.inbound.corpus.bounces.formats_a import rcpt, want
from tests.inbound.corpus.formats_shim import sns_envelope


def ses() -> list:
    out = []
    cases = [("Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown", "user_unknown", "hard"),
             ("Permanent", "NoEmail", None, "", "user_unknown", "hard"),
             ("Transient", "MailboxFull", "4.2.2", "smtp; 452 4.2.2 Mailbox full", "mailbox_full", "soft"),
             ("Permanent", "General", "5.7.26", "smtp; 550 5.7.26 Unauthenticated email from sequencer.test is not "
              "accepted due to domain's DMARC policy", "auth_failure", "sender"),
             ("Transient", "ContentRejected", "5.7.1", "smtp; 554 5.7.1 Message rejected: content filter (virus "
              "detected)", "content", "sender"),
             ("Permanent", "Suppressed", None, "Amazon SES has suppressed sending to this address because it has a "
              "recent history of bouncing as an invalid address.", "user_unknown", "hard")]
    for i, (btype, sub, status, diag, reason, klass) in enumerate(cases):
        r, seed = rcpt(i, ["ses-customer.test", "retail.test"][i % 2]), f"ses{i}"
        recipient = {"emailAddress": r}
        if status:
            recipient.update({"status": status, "action": "failed", "diagnosticCode": diag})
        doc = {"notificationType": "Bounce", "bounce": {"bounceType": btype, "bounceSubType": sub,
               "bouncedRecipients": [recipient], "timestamp": "2026-12-09T10:05:03.000Z",
               "feedbackId": f"0100018c-{seed}", "reportingMTA": "dsn; a8-55.smtp-out.amazonses.com"},
               "mail": {"timestamp": "2026-12-09T10:05:00.000Z", "source": OURS, "messageId": f"gen.{seed}@sequencer.test",
                        "destination": [r], "headersTruncated": False,
                        "headers": [{"name": "Message-ID", "value": f"<gen.{seed}@sequencer.test>"}]}}
        body = sns_envelope(json.dumps(doc)) if i % 2 == 0 else json.dumps(doc, indent=2)
        hdrs = headers("AWS Notifications <no-reply@sns.amazonaws.com>", "AWS Notification Message", seed,
                       "a8-55.smtp-out.amazonses.com", return_path="<0100018c@amazonses.com>")
        out.append((f"ses_sns_{reason}_{i}", hdrs + "Content-Type: text/plain; charset=UTF-8\n\n" + body + "\n",
                    want("amazon_ses", reason, klass, r, status)))
    r, seed = rcpt(7, "complainer.test"), "ses-complaint"
    doc = {"notificationType": "Complaint", "complaint": {"complainedRecipients": [{"emailAddress": r}],
           "complaintFeedbackType": "abuse", "userAgent": "Yahoo!-Mail-Feedback/2.0", "timestamp": "2026-12-09T11:00:00Z"},
           "mail": {"messageId": f"gen.{seed}@sequencer.test", "source": OURS, "destination": [r]}}
    out.append(("ses_sns_complaint", headers("AWS Notifications <no-reply@sns.amazonaws.com>", "AWS Notification Message",
                seed, "sns.amazonaws.com", return_path=None) + "Content-Type: text/plain; charset=UTF-8\n\n"
                + sns_envelope(json.dumps(doc)) + "\n", want("amazon_ses", "spam", "complaint", r, None, kind="complaint")))
    r, seed = rcpt(8, "dsn-ses.test"), "ses-dsn"
    notice = ("An error occurred while trying to deliver the mail to the following recipients:\n" + r + "\n")
    out.append(("ses_dsn_user_unknown", report(headers("MAILER-DAEMON@amazonses.com", "Delivery Status Notification "
                "(Failure)", seed, "a8-55.smtp-out.amazonses.com"), notice, status_fields("a8-55.smtp-out.amazonses.com",
                r, "failed", "5.1.1", "smtp; 550 5.1.1 user unknown", "mx.dsn-ses.test"), r, seed),
                want("amazon_ses", "user_unknown", "hard", r, "5.1.1")))
    return out


def esps() -> list:
    out = []
    specs = [
        ("sendgrid", "bounces+12345-ab12@em123.sendgrid.net", "X-SG-EID: abc123\n", "user_unknown", "hard", "5.1.1",
         "550 5.1.1 The email account that you tried to reach does not exist."),
        ("sendgrid", "bounces+12345-ab13@em123.sendgrid.net", "X-SG-EID: abc124\n", "blocked", "sender", "5.7.1",
         "550 5.7.1 Service unavailable, Client host [149.72.1.1] blocked using Spamhaus."),
        ("sendgrid", "bounces+12345-ab14@em123.sendgrid.net", "X-SG-EID: abc125\n", "auth_failure", "sender", "5.7.26",
         "550 5.7.26 DMARC policy violation for sequencer.test"),
        ("mailgun", "postmaster@mg.sequencer.test", "X-Mailgun-Sid: WyI0ZGZ\n", "user_unknown", "hard", "5.1.1",
         "550 5.1.1 Recipient address rejected: User unknown"),
        ("mailgun", "postmaster@mg.sequencer.test", "X-Mailgun-Sid: WyI0ZGY\n", "mailbox_full", "soft", "4.2.2",
         "452 4.2.2 Mailbox full"),
        ("mailgun", "postmaster@mg.sequencer.test", "X-Mailgun-Sid: WyI0ZGX\n", "spam", "sender", "5.7.1",
         "554 5.7.1 Message rejected: looks like spam"),
        ("postmark", "bounces@postmarkapp.com", "X-PM-Message-Id: 5e1f6a\n", "user_unknown", "hard", "5.1.1",
         "550 5.1.1 <{r}>: Recipient address rejected: User unknown"),
        ("postmark", "bounces@postmarkapp.com", "X-PM-Message-Id: 5e1f6b\n", "host_unknown", "hard", None,
         "DNS Error: Domain name not found"),
        ("sparkpost", "bounce@sparkpostmail.com", "X-MSFBL: x\n", "rate_limited", "soft", "4.7.0",
         "421 4.7.0 Too many connections from your IP, try again later"),
        ("mailchimp_mandrill", "bounce-md_3051.mandrillapp.com@mandrillapp.com", "X-Mandrill-User: md_3051\n",
         "policy", "sender", "5.7.1", "550 5.7.1 Sender domain not allowed by recipient policy"),
    ]
    for i, (fmt, sender, extra, reason, klass, status, diag) in enumerate(specs):
        r, seed = rcpt(i + 2, ["esp-a.test", "esp-b.test", "esp-c.test"][i % 3]), f"{fmt}{i}"
        d = diag.format(r=r)
        if fmt == "postmark":
            text = (f"This is the mail delivery service at Postmark.\n\nYour message could not be delivered to {r}.\n\n"
                    f"Reason: {'Hard bounce' if klass == 'hard' else 'Soft bounce'}\nDetails: {d}\n")
            out.append((f"{fmt}_{reason}", plain(headers(f"Postmark <{sender}>", "Undelivered Mail: Quick question",
                        seed, "postmarkapp.com", extra), text, r, seed), want(fmt, reason, klass, r, status)))
            continue
        notice = f"Delivery to the following recipient failed permanently:\n\n     {r}\n\nTechnical details:\n\n{d}\n"
        if status and status.startswith("4"):
            notice = notice.replace("failed permanently", "has been delayed; we will keep trying")
        fields = status_fields(f"{fmt}.relay.test", r, "failed" if not status or status[0] == "5" else "delayed",
                               status or "5.0.0", d, f"mx.{r.split('@')[1]}")
        out.append((f"{fmt}_{reason}", report(headers(f"Mail Delivery Subsystem <{sender}>", "Delivery Status "
                    "Notification (Failure)", seed, f"o1.{fmt}.test", extra, return_path=f"<{sender}>"), notice, fields,
                    r, seed, "headers"), want(fmt, reason, klass, r, status or "5.0.0")))
    return out


def domino() -> list:
    out = []
    cases = [("user_unknown", "hard", "5.1.1", "User {r} not listed in Domino Directory"),
             ("mailbox_full", "soft", None, "Unable to deliver message: Recipient's mail file is full (database "
              "quota exceeded)"),
             ("host_unknown", "hard", None, "No route found to domain {d} from server NOTES01/ACME. Check Server, "
              "Connection and Domain documents in Domino Directory: Host not found")]
    for i, (reason, klass, status, diag) in enumerate(cases):
        domain = ["lotus-corp.test", "notes.test", "old-notes.test"][i]
        r, seed = rcpt(i + 1, domain), f"domino{i}"
        text = (f"Your message\n\n  Subject: Quick question about month-end close\n\nwas not delivered to:\n\n  {r}\n\n"
                f"because:\n\n  {diag.format(r=r, d=domain)}\n\n\nReporting-MTA: Lotus SMTP MTA v4.6.1\n")
        hdrs = headers(f"Mail Delivery Subsystem <postmaster@{domain}>", "DELIVERY FAILURE: User "
                       f"{r.split('@')[0]} not listed", seed, f"notes01.{domain}",
                       "X-Mailer: Lotus Domino Release 9.0.1FP10\n")
        fields = None if i else status_fields(f"notes01.{domain}", r, "failed", "5.1.1", diag.format(r=r), None)
        if fields is None:
            out.append((f"domino_{reason}", plain(hdrs, text, r, seed), want("domino", reason, klass, r, status)))
        else:
            out.append((f"domino_{reason}", report(hdrs, text, fields, r, seed), want("domino", reason, klass, r, status)))
    return out


def gateways() -> list:
    out = []
    specs = [
        ("mcafee", "McAfee Email Gateway <postmaster@mxlogic.test>", "content", "sender", None,
         "Message blocked by McAfee Email Gateway: the message contains a prohibited attachment (invoice.zip)."),
        ("mcafee", "MXLogic Mail Delivery <mailer-daemon@mxlogic.net>", "spam", "sender", "5.7.1",
         "550 5.7.1 Message rejected: spam content detected by MX Logic"),
        ("trend_micro", "InterScan Messaging Security <postmaster@imss.trend.test>", "content", "sender", None,
         "The message was blocked by Trend Micro InterScan because it contains a virus (TROJ_GEN.R002C0)."),
        ("trend_micro", "Trend Micro Email Security <mailer-daemon@tmes.trendmicro.eu>", "blocked", "sender", "5.7.1",
         "550 5.7.1 Your IP address 203.0.113.9 has poor reputation (ERS)"),
        ("mimecast", "Mimecast <postmaster@mimecast.test>", "on_hold", "soft", None,
         "Your message has been held for review by the administrator (quarantine: Held for Review)."),
        ("proofpoint", "MAILER-DAEMON@pphosted.com", "blocked", "sender", "5.7.1",
         "550 5.7.1 Mail from 203.0.113.9 refused: blocked using Proofpoint Dynamic Reputation"),
        ("barracuda", "Barracuda Email Security <postmaster@barracuda.test>", "spam", "sender", "5.7.1",
         "550 5.7.1 Message content rejected by Barracuda: spam score too high"),
    ]
    for i, (fmt, sender, reason, klass, status, diag) in enumerate(specs):
        r, seed = rcpt(i, ["secure-corp.test", "bank.test", "gov-like.test"][i % 3]), f"gw{fmt}{i}"
        text = (f"The following message to <{r}> was undeliverable.\nThe reason for the problem:\n{diag}\n\n"
                "Sender: rita@sequencer.test\nSubject: Quick question about month-end close\n")
        subject = "Message blocked" if fmt != "mimecast" else "Message on hold: Quick question"
        hdrs = headers(sender, subject, seed, sender.split("@")[1].rstrip(">"), "Auto-Submitted: auto-generated\n")
        out.append((f"{fmt}_{reason}_{i}", plain(hdrs, text, r, seed), want(fmt, reason, klass, r, status)))
    return out


def japan() -> list:
    out = []
    r = "aiko-t.1987@docomo.ne.jp"
    text = ("The following recipients did not receive this message:\n\n<" + r + ">\n\nPlease reply to "
            "<Postmaster@docomo.ne.jp>\nif you feel this message to be in error.\n\n550 Unknown user " + r + "\n")
    out.append(("japan_docomo_user_unknown", plain(headers("Postmaster@docomo.ne.jp", "Mail Delivery Failure", "docomo1",
                "mfsmax.docomo.ne.jp"), text, r, "docomo1"), want("japan_docomo", "user_unknown", "hard", r, None)))
    r = "hiro_s@ezweb.ne.jp"
    text = ("Your mail sent on: Wed, 9 Dec 2026 19:05:01 +0900\n   could not be delivered to the following recipients.\n"
            f"\n   {r}\n      550 : User unknown\n\n--- 送信できなかったメール ---\n")
    out.append(("japan_au_user_unknown", plain(headers("Mail Administrator <Postmaster@ezweb.ne.jp>", "Mail System Error "
                "- Returned Mail", "au1", "lsean.ezweb.ne.jp"), text, r, "au1"),
                want("japan_au", "user_unknown", "hard", r, None)))
    r = "k.yamada@i.softbank.jp"
    text = (f"This message was created automatically by mail delivery software.\n\nA message that you sent could not be "
            f"delivered to one or more of its recipients.\nThe following address(es) failed:\n\n  {r}\n    SMTP error "
            "from remote mail server after RCPT TO:\n    550 5.2.2 mailbox full\n")
    out.append(("japan_softbank_mailbox_full", plain(headers("Mail Delivery System <MAILER-DAEMON@i.softbank.jp>",
                "Mail delivery failed: returning message to sender", "sb1", "mx.i.softbank.jp"), text, r, "sb1"),
                want("japan_softbank", "mailbox_full", "soft", r, "5.2.2")))
    r = "yumi.k@au.com"
    notice = ("メールを配信できませんでした。\n\nThe following recipients could not receive the message:\n"
              f"{r}\n550 5.1.1 <{r}>: Recipient address rejected: User unknown\n")
    out.append(("japan_au_com_dsn", report(headers("=?ISO-2022-JP?B?GyRCJWEhPCVrJFIbKEI=?= <MAILER-DAEMON@au.com>",
                "=?UTF-8?B?44Oh44O844Or6YWN5L+h44Ko44Op44O8?=", "au2", "mx.au.com"), notice, status_fields(
                "mx.au.com", r, "failed", "5.1.1", f"550 5.1.1 <{r}>: Recipient address rejected: User unknown", None),
                r, "au2"), want("japan_au", "user_unknown", "hard", r, "5.1.1")))
    return out


def arf() -> list:
    out = []
    specs = [("yahoo", "Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>", "Yahoo!-Mail-Feedback/2.0", True,
              "full"),
             ("yahoo", "AOL Feedback Loop <scomp@aol.net>", "AOL SComp", False, "full"),
             ("outlook_com", "staff@hotmail.com", "Microsoft JMRP", True, "full"),
             ("rfc5965", "Feedback Loop <fbl@isp-comcast.test>", "Comcast FBL 1.0", True, "headers"),
             ("rfc5965", "fbl@mail-ru.test", "Mail.Ru FBL", False, "headers"),
             ("rfc5965", "abuse@fastmail.test", "Fastmail ARF", True, "full")]
    for i, (fmt, sender, agent, rcpt_field, returned) in enumerate(specs):
        r, seed = rcpt(i, ["yahoo.test", "aol.test", "hotmail.test", "comcast.test", "mail-ru.test", "fm.test"][i]), \
            f"arf{i}"
        notice = ("This is an email abuse report for an email message received from IP 203.0.113.9 on Wed, 09 Dec 2026 "
                  "11:00:00 +0000.\nFor more information about this format please see "
                  "http://www.mipassoc.org/arf/.\n")
        fields = (f"Feedback-Type: abuse\nUser-Agent: {agent}\nVersion: 1\nOriginal-Mail-From: <{OURS}>\n"
                  + (f"Original-Rcpt-To: <{r}>\n" if rcpt_field else "")
                  + "Arrival-Date: Wed, 09 Dec 2026 10:05:05 +0000\nReporting-MTA: dns; mail.isp.test\n"
                  "Source-IP: 203.0.113.9\nAuthentication-Results: mail.isp.test; dkim=pass header.d=sequencer.test; "
                  f"smtp.mailfrom={OURS}\n")
        hdrs = headers(sender, "Abuse Report" if i % 2 == 0 else "Complaint about message from 203.0.113.9", seed,
                       "fbl.isp.test", to="fbl-reports@sequencer.test", return_path=f"<{sender.split('<')[-1].strip('>')}>")
        layout = "report" if i != 4 else "broken"
        out.append((f"arf_{fmt}_{i}", report(hdrs, notice, fields, r, seed, returned, layout=layout,
                   report_type="feedback-report", fields_type="message/feedback-report"),
                    want(fmt if fmt != "rfc5965" else "rfc5965", "spam", "complaint", r, None, kind="complaint",
                         mta="any")))
    return out


def odd_spellings() -> list:
    """The misses the outside measurement named: null sender spellings, subjects, success and delay notices."""
    out = []
    r, seed = rcpt(1, "acme-corp.test"), "odd-null"
    text = (f"This is the mail system at host relay.example-isp.test.\n\n<{r}>: host mx.acme-corp.test[192.0.2.10] "
            "said: 550 5.1.1\n    <" + r + ">: Recipient address rejected: User unknown (in reply to RCPT TO command)\n")
    out.append(("odd_mailer_daemon_angle_no_return_path", plain(headers("MAILER-DAEMON <>", "Undelivered Mail Returned "
                "to Sender", seed, "relay.example-isp.test", return_path=None), text, r, seed),
                want("postfix", "user_unknown", "hard", r, "5.1.1")))
    r, seed = rcpt(2, "widgetco.test"), "odd-status"
    text = (f"Delivery Status\n\nRecipient: {r}\nStatus: failed\nReason: 550 5.1.1 mailbox unavailable\n")
    out.append(("odd_subject_delivery_status", plain(headers("<>", "Delivery Status", seed, "relay.widgetco.test",
                return_path=None), text, r, seed), want("unknown", "user_unknown", "hard", r, "5.1.1")))
    r, seed = rcpt(3, "slow-corp.test"), "odd-delay24"
    text = ("**********************************************\n**      THIS IS A WARNING MESSAGE ONLY      **\n"
            "**  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n**********************************************\n\n"
            "The original message was received at Wed, 9 Dec 2026 10:05:01 +0000\n\n"
            f"   ----- Transcript of session follows -----\n<{r}>... Deferred: Connection timed out with "
            "mx.slow-corp.test.\nWarning: message still undelivered after 24 hours\nWill keep trying until message is "
            "5 days old\n")
    out.append(("odd_warning_delayed_24_hours", plain(headers("Mail Delivery Subsystem <MAILER-DAEMON@mail.slow-corp.test>",
                "Warning: message 4F2N68Mw delayed 24 hours", seed, "mail.slow-corp.test"), text, r, seed, attach=False),
                want("sendmail", "network", "soft", r, None)))
    r, seed = rcpt(4, "delivered.test"), "odd-delivered"
    notice = f"Your message was delivered to the following recipient:\n\n{r}\n"
    out.append(("odd_success_delivered", report(headers("MAILER-DAEMON@delivered.test", "Delivery Status Notification "
                "(Success)", seed, "delivered.test"), notice, status_fields("delivered.test", r, "delivered", "2.0.0",
                "250 2.0.0 OK", None), r, seed, "headers"), want("unknown", "undetermined", "none", None, None,
                                                                 kind="success")))
    r, seed = rcpt(5, "nested.test"), "odd-nested-mixed"
    notice = (f"Your message could not be delivered to {r}.\n")
    out.append(("odd_delivery_status_in_mixed", report(headers("postmaster@nested.test", "Returned mail", seed,
                "nested.test"), notice, status_fields("nested.test", r, "failed", "5.1.1", "550 5.1.1 user unknown",
                None), r, seed, layout="mixed"), want("rfc3464", "user_unknown", "hard", r, "5.1.1")))
    r, seed = rcpt(6, "ids.test"), "odd-msgid-noise"
    text = (f"Your message could not be delivered.\n\nMessage-ID: <20261209.abc@relay.ids.test>\n"
            f"Authentication-Results: relay.ids.test; spf=pass smtp.mailfrom=bounce@{r.split('@')[1]}\n\n"
            f"Recipient: {r}\nReason: 550 5.1.1 user unknown\n")
    out.append(("odd_recipient_amid_message_ids", plain(headers("MAILER-DAEMON@relay.ids.test", "Undeliverable", seed,
                "relay.ids.test"), text, r, seed, attach=False), want("unknown", "user_unknown", "hard", r, "5.1.1")))
    return out


def samples() -> list:
    return ses() + esps() + domino() + gateways() + japan() + arf() + odd_spellings()


__all__ = ["samples", "original", "original_headers"]
