"""Mailbox providers: Exchange, Office 365, Gmail, Yahoo/AOL, Outlook.com, iCloud, GMX/WEB.DE, Yandex, Zoho."""
from __future__ import annotations

from tests.inbound.corpus.bounces.build import headers, plain, report, status_fields
from tests.inbound.corpus.bounces.formats_a import rcpt, want

O365 = [
    ("user_unknown", "hard", "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient {r} not found by SMTP "
     "address lookup"),
    ("auth_failure", "sender", "5.7.509", "550 5.7.509 Access denied, sending domain sequencer.test does not pass "
     "DMARC verification and has a DMARC policy of reject."),
    ("blocked", "sender", "5.7.606", "550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To request removal "
     "from this list please visit https://sender.office.com/ and follow the directions."),
    ("mailbox_full", "soft", "5.2.2", "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException."
     "MapiExceptionShutoffQuotaExceeded"),
    ("policy", "sender", "5.7.1", "550 5.7.1 RESOLVER.RST.AuthRequired; authentication required [Stage: "
     "CreateMessage]. The group only accepts messages from people in its organization"),
    ("spam", "sender", "5.7.520", "550 5.7.520 Message blocked because it contains content identified as spam. "
     "AS(4810)"),
    ("too_large", "sender", "5.3.4", "552 5.3.4 Message size exceeds fixed maximum message size"),
    ("moved", "hard", "5.1.6", "550 5.1.6 RESOLVER.ADR.RecipientMoved; Recipient address has moved; please try "
     "the new address"),
]


def office365() -> list:
    out = []
    for i, (reason, klass, status, diag) in enumerate(O365):
        domain = ["contoso-corp.test", "fabrikam.test", "tailspin.test"][i % 3]
        r, seed = rcpt(i, domain), f"o365-{i}"
        d = diag.format(r=r)
        notice = (f"Your message to {r} couldn't be delivered.\n\n{r.split('@')[0]}\nOffice 365\n\nAction "
                  "Required\n\nUnknown To address\n\nHow to Fix It\n...\n\nDiagnostic information for "
                  f"administrators:\n\nGenerating server: DM6PR11MB{4000 + i}.namprd11.prod.outlook.com\n\n{r}\n"
                  f"Remote server returned '{d}'\n\nOriginal message headers:\n")
        fields = status_fields(f"DM6PR11MB{4000 + i}.namprd11.prod.outlook.com", r, "failed", status, d, None)
        hdrs = headers(f"Microsoft Outlook <postmaster@{domain}>", "Undeliverable: Quick question about month-end close",
                       seed, f"mail-{i}.protection.outlook.com", "X-MS-Exchange-Message-Is-Ndr: \nAuto-Submitted: "
                       "auto-replied\nX-MS-Exchange-Organization-SCL: -1\n")
        out.append((f"office365_{reason}", report(hdrs, notice, fields, r, seed, "headers" if i % 2 else "full",
                                                  layout="report" if i != 4 else "nested"),
                    want("office365", reason, klass, r, status)))
    return out


def exchange() -> list:
    cases = [("user_unknown", "hard", "5.1.1", "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"),
             ("mailbox_full", "soft", "5.2.2", "#554 5.2.2 mailbox full ##"),
             ("network", "soft", "4.4.7", "#< #4.4.7 smtp;550 4.4.7 QUEUE.Expired; message expired> #SMTP#"),
             ("policy", "sender", "5.7.1", "#550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized ##")]
    out = []
    for i, (reason, klass, status, diag) in enumerate(cases):
        domain = ["onprem-corp.test", "legacy-ex.test"][i % 2]
        r, seed = rcpt(i + 4, domain), f"exch{i}"
        notice = ("Delivery has failed to these recipients or groups:\n\n"
                  f"{r.split('@')[0].replace('.', ' ').title()} ({r})\nThe e-mail address you entered couldn't be found. "
                  "Please check the recipient's e-mail address and try to resend the message.\n\n"
                  f"Diagnostic information for administrators:\n\nGenerating server: EXCH01.{domain}\n\n{r}\n{diag}\n")
        if reason == "network":
            notice = notice.replace("The e-mail address you entered couldn't be found. Please check the recipient's "
                                    "e-mail address and try to resend the message.", "The message couldn't be "
                                    "delivered in the time allowed; the server kept trying.")
            reason = "expired"
        if reason == "mailbox_full":
            notice = notice.replace("The e-mail address you entered couldn't be found. Please check the recipient's "
                                    "e-mail address and try to resend the message.", "The recipient's mailbox is full "
                                    "and can't accept messages now.")
        if reason == "policy":
            notice = notice.replace("The e-mail address you entered couldn't be found. Please check the recipient's "
                                    "e-mail address and try to resend the message.", "Your message wasn't delivered "
                                    "because the recipient's organization doesn't accept mail from senders outside it.")
        fields = status_fields(f"EXCH01.{domain}", r, "failed", status, diag.strip("#"), None,
                               extra_msg="X-MS-Exchange-Organization-...: x\n" if False else "")
        hdrs = headers(f"System Administrator <postmaster@{domain}>", "Undeliverable: Quick question about month-end "
                       "close", seed, f"EXCH01.{domain}", "X-MS-Exchange-Message-Is-Ndr: \nX-Mailer: Microsoft "
                       "Exchange Server\n")
        out.append((f"exchange_{reason}", report(hdrs, notice, fields, r, seed, "full"),
                    want("exchange", reason, klass, r, status)))
    return out


GMAIL = [
    ("user_unknown", "hard", "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
     "550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. "
     "https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp"),
    ("auth_failure", "sender", "5.7.26", "550-5.7.26 Unauthenticated email from sequencer.test is not accepted due to\n"
     "550-5.7.26 domain's DMARC policy. Please contact the administrator of\n550-5.7.26 sequencer.test domain if this "
     "was a legitimate mail. https://support.google.com/mail/answer/2451690 - gsmtp"),
    ("auth_failure", "sender", "5.7.26", "550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n"
     "550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.\n550-5.7.26 Authentication "
     "results: DKIM = did not pass; SPF [sequencer.test] with ip: [203.0.113.9] = did not pass - gsmtp"),
    ("suspended", "soft", "5.2.1", "550-5.2.1 The email account that you tried to reach is disabled. "
     "https://support.google.com/mail/?p=DisabledUser - gsmtp"),
    ("mailbox_full", "soft", "4.2.2", "452-4.2.2 The email account that you tried to reach is over quota. Please "
     "direct\n452-4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp"),
    ("blocked", "sender", "5.7.25", "550-5.7.25 The IP address sending this message does not have a PTR record setup,\n"
     "550-5.7.25 or the corresponding forward DNS entry does not point to the sending IP. - gsmtp"),
    ("spam", "sender", "5.7.1", "550-5.7.1 [203.0.113.9] Our system has detected that this message is likely\n"
     "550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp"),
    ("rate_limited", "soft", "4.2.1", "450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n"
     "450-4.2.1 prevents additional messages from being delivered. - gsmtp"),
    ("content", "sender", "5.7.0", "552-5.7.0 This message was blocked because its content presents a potential\n"
     "552-5.7.0 security issue. Please visit https://support.google.com/mail/?p=BlockedMessage - gsmtp"),
    ("too_large", "sender", "5.2.3", "552-5.2.3 Your message exceeded Google's message size limits. - gsmtp"),
]


def gmail() -> list:
    out = []
    for i, (reason, klass, status, diag) in enumerate(GMAIL):
        domain = "gmail.test" if i % 2 else "workspace-customer.test"
        r, seed = rcpt(i, domain), f"gmail{i}"
        short = diag.replace("\n", " ")
        if status.startswith("4"):
            notice = (f"** Delivery incomplete **\n\nThere was a temporary problem delivering your message to {r}. Gmail "
                      f"will retry for 47 more hours. You'll be notified if the delivery fails permanently.\n\nThe "
                      f"response from the remote server was:\n{diag}\n")
            subject = "Delivery Status Notification (Delay)"
            action = "delayed"
        else:
            notice = (f"** Address not found **\n\nYour message wasn't delivered to {r} because the address couldn't "
                      "be found, or is unable to receive mail.\n\nThe response from the remote server was:\n" + diag + "\n")
            if reason not in ("user_unknown", "suspended"):
                notice = notice.replace("** Address not found **", "** Message blocked **").replace(
                    "because the address couldn't be found, or is unable to receive mail", "")
            subject = "Delivery Status Notification (Failure)"
            action = "failed"
        fields = status_fields("mail-sor-f41.google.com", r, action, status, short, "gmail-smtp-in.l.google.com",
                               extra_msg="X-Google-Original-From: " + "rita@sequencer.test\n")
        hdrs = headers("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", subject, seed, "mail-sor-f41.google.com",
                       "Auto-Submitted: auto-replied\n")
        layout = "report" if i != 5 else "broken"
        name = f"gmail_{reason}" + (f"_{i}" if reason == "auth_failure" else "") + ("_broken_boundary" if i == 5 else "")
        out.append((name, report(hdrs, notice, fields, r, seed, "full" if i % 3 else "headers", layout=layout,
                                 notice_type="text/plain; charset=UTF-8"), want("gmail", reason, klass, r, status)))
    return out


YAHOO = [
    ("user_unknown", "hard", None, "554 delivery error: dd This user doesn't have a yahoo.test account ({r}) [0] - "
     "mta1234.mail.bf1.yahoo.com"),
    ("user_unknown", "hard", None, "554 delivery error: dd Sorry your message to {r} cannot be delivered. This mailbox "
     "is disabled (554.30). - mta4021.mail.gq1.yahoo.com"),
    ("blocked", "sender", "4.7.0", "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected "
     "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
    ("auth_failure", "sender", "5.7.9", "550 5.7.9 This mail has been blocked because the sender is unauthenticated. "
     "Yahoo requires all senders to authenticate with either SPF or DKIM."),
    ("policy", "sender", None, "554 Message not allowed - [PH01] Email not accepted for policy reasons. Please visit "
     "https://postmaster.yahooinc.com/error-codes"),
    ("mailbox_full", "soft", None, "552 1 Requested mail action aborted, mailbox is full or over quota"),
]


def yahoo() -> list:
    out = []
    for i, (reason, klass, status, diag) in enumerate(YAHOO):
        domain = "yahoo.test" if i % 2 == 0 else "aol.test"
        r, seed = rcpt(i + 2, domain), f"yahoo{i}"
        d = diag.format(r=r)
        if reason == "user_unknown" and i == 1:
            reason, klass = "suspended", "soft"
        text = ("Sorry, we were unable to deliver your message to the following address.\n\n"
                f"<{r}>:\n{d}\n\n--- Below this line is a copy of the message.\n\n")
        hdrs = headers("MAILER-DAEMON@yahoo.com", "Failure Notice", seed, "sonic314-21.consmr.mail.ne1.yahoo.com")
        if status and status.startswith("4"):
            text = text.replace("unable to deliver your message", "unable to deliver your message yet; we will keep "
                                "trying")
        out.append((f"yahoo_{reason}_{i}", plain(hdrs, text, r, seed, attach=False) + _copy(r, seed),
                    want("yahoo", reason, klass, r, status)))
    return out


def _copy(r: str, seed: str) -> str:
    from tests.inbound.corpus.bounces.build import original
    return original(r, seed)


def outlook_com() -> list:
    cases = [("blocked", "sender", "5.7.1", "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. Please "
              "contact your Internet service provider since part of their network is on our block list (S3140). You can "
              "also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors."),
             ("user_unknown", "hard", "5.5.0", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)."),
             ("blocked", "sender", "4.7.650", "451 4.7.650 The mail server [203.0.113.9] has been temporarily rate "
              "limited due to IP reputation."),
             ("auth_failure", "sender", "5.7.515", "550 5.7.515 Access denied, sending domain sequencer.test doesn't "
              "meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the "
              "authentication requirements defined for the sender."),
             ("spam", "sender", "5.7.1", "550 SC-001 (BAY004-MC1F25) Unfortunately, messages from 203.0.113.9 weren't "
              "sent. Please contact your Internet service provider. You can also refer your provider to "
              "http://mail.live.com/mail/troubleshooting.aspx#errors.")]
    out = []
    for i, (reason, klass, status, diag) in enumerate(cases):
        domain = ["hotmail.test", "outlook-consumer.test", "live.test"][i % 3]
        r, seed = rcpt(i + 6, domain), f"olc{i}"
        notice = (f"Delivery has failed to these recipients or groups:\n\n{r}\nYour message wasn't delivered. Outlook.com "
                  f"refused it.\n\nDiagnostic information for administrators:\n\nGenerating server: "
                  f"BL2NAM02HT{i}.eop-nam02.prod.protection.outlook.com\n\n{r}\nRemote server returned '{diag}'\n")
        if reason == "spam":
            reason = "blocked"  # SC-001: Outlook.com's own reputation block
        fields = status_fields(f"BL2NAM02HT{i}.eop-nam02.prod.protection.outlook.com", r, "failed" if status[0] == "5"
                               else "delayed", status, diag, "hotmail-com.olc.protection.outlook.com")
        hdrs = headers("postmaster@outlook.com", "Undeliverable: Quick question about month-end close", seed,
                       f"BL2NAM02HT{i}.eop-nam02.prod.protection.outlook.com", "X-MS-Exchange-Message-Is-Ndr: \n")
        out.append((f"outlook_com_{reason}_{i}", report(hdrs, notice, fields, r, seed, "headers"),
                    want("outlook_com", reason, klass if status[0] == "5" else "soft", r, status)))
    return out


def providers_small() -> list:
    out = []
    specs = [
        ("apple_icloud", "icloud.test", "Mail Delivery System <MAILER-DAEMON@icloud.com>", "user_unknown", "hard", "5.1.1",
         "550 5.1.1 <{r}>: user does not exist"),
        ("apple_icloud", "me-like.test", "Mail Delivery System <MAILER-DAEMON@icloud.com>", "blocked", "sender", "5.7.1",
         "554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137 "
         "(blocked: poor reputation)"),
        ("gmx_webde", "gmx.test", "Mail Delivery System <mailer-daemon@gmx.net>", "blocked", "sender", "5.7.1",
         "554-gmx.net (mxgmx117) Nemesis ESMTP Service not available\n554-No SMTP service\n554 IP address is block "
         "listed.\n5.7.1"),
        ("gmx_webde", "web-de.test", "Mail Delivery System <mailer-daemon@web.de>", "user_unknown", "hard", "5.1.1",
         "550 Requested action not taken: mailbox unavailable 5.1.1 (recipient unknown)"),
        ("yandex", "yandex.test", "mailer-daemon@yandex.ru", "user_unknown", "hard", "5.1.1",
         "550 5.7.1 No such user!"),
        ("zoho", "zoho-customer.test", "mailer-daemon@mail.zoho.com", "mailbox_full", "soft", "5.2.2",
         "552 5.2.2 Mailbox size limit exceeded"),
    ]
    for i, (fmt, domain, sender, reason, klass, status, diag) in enumerate(specs):
        r, seed = rcpt(i + 1, domain), f"{fmt}{i}"
        d = diag.format(r=r)
        notice = (f"This message was created automatically by mail delivery software.\n\nA message that you sent could "
                  f"not be delivered to one or more of its recipients.\n\nThe following address failed:\n\n{r}\n\n"
                  f"Reason: {d}\n")
        fields = status_fields(f"mx.{sender.split('@')[1].rstrip('>')}", r, "failed", status, d.replace("\n", " "), None)
        expected_status = status if fmt != "yandex" else "5.1.1"
        if fmt == "yandex":
            fields = fields.replace("Status: 5.1.1", "Status: 5.1.1")
        out.append((f"{fmt}_{reason}_{i}", report(headers(sender, "Undelivered Mail Returned to Sender", seed,
                   sender.split("@")[1].rstrip(">")), notice, fields, r, seed, "headers"),
                    want(fmt, reason, klass, r, expected_status)))
    return out


def samples() -> list:
    return office365() + exchange() + gmail() + yahoo() + outlook_com() + providers_small()
