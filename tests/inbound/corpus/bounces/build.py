"""Shared builders for the bounce corpus generator: our original email, DSN parts, MIME layouts.

Formats follow RFC 3464 (delivery status), RFC 3463 (status codes), RFC 5965 (ARF), RFC 6522
(multipart/report) and the vendors' documented notices. Run generate.py to rewrite the .eml files.
"""
from __future__ import annotations

import hashlib

OURS = "rita@sequencer.test"
DATE = "Wed, 09 Dec 2026 10:05:03 +0000"


def mid(seed: str, domain: str) -> str:
    return f"<{hashlib.sha1(seed.encode()).hexdigest()[:16]}@{domain}>"


def original_headers(rcpt: str, seed: str, name: str = "Dana") -> str:
    return (f"Return-Path: <{OURS}>\n"
            f"Received: from app1.sequencer.test (app1.sequencer.test [10.0.0.5])\n"
            f"\tby out1.sequencer.test (Postfix) with ESMTPS id 4F2N{seed[:6].upper()}\n"
            f"\tfor <{rcpt}>; Wed,  9 Dec 2026 10:05:01 +0000 (UTC)\n"
            f"DKIM-Signature: v=1; a=rsa-sha256; d=sequencer.test; s=s1; h=from:to:subject;\n"
            f"\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\n"
            f"Authentication-Results: mx.sequencer.test; spf=pass smtp.mailfrom={OURS};\n"
            f"\tdkim=pass header.d=sequencer.test header.from={OURS}\n"
            f"From: Rita Rep <{OURS}>\n"
            f"To: {name} <{rcpt}>\n"
            f"Subject: Quick question about month-end close\n"
            f"Date: Wed, 09 Dec 2026 10:05:00 +0000\n"
            f"Message-ID: <gen.{seed}@sequencer.test>\n"
            f"List-Unsubscribe: <mailto:{OURS}?subject=unsubscribe>, <https://sequencer.test/u/{seed}>\n"
            f"List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
            f"MIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset=utf-8\n")


def original_body(name: str = "Dana") -> str:
    return (f"Hi {name},\n\nDo your AP teams still close the month by hand? We cut that in half for\n"
            "teams like yours. Worth a 15-minute chat?\n\nBest,\nRita\n\n"
            "Sequencer Ltd, 1 Harbour Street, Springfield\n"
            "Don't want to hear from us? Unsubscribe: https://sequencer.test/u/x\n")


def original(rcpt: str, seed: str) -> str:
    return original_headers(rcpt, seed) + "\n" + original_body()


def status_fields(reporting: str, rcpt: str, action: str, status: str, diag: str | None, remote: str | None,
                  extra_msg: str = "", original_rcpt: bool = True, arrival: bool = True) -> str:
    head = f"Reporting-MTA: dns; {reporting}\n{extra_msg}"
    if arrival:
        head += "Arrival-Date: Wed, 9 Dec 2026 10:05:01 +0000\n"
    block = f"Final-Recipient: rfc822; {rcpt}\n"
    if original_rcpt:
        block += f"Original-Recipient: rfc822;{rcpt}\n"
    block += f"Action: {action}\nStatus: {status}\n"
    if remote:
        block += f"Remote-MTA: dns; {remote}\n"
    if diag:
        block += f"Diagnostic-Code: smtp; {diag}\n"
    if action == "delayed":
        block += "Will-Retry-Until: Sat, 12 Dec 2026 10:05:01 +0000\n"
    return head + "\n" + block


def headers(from_: str, subject: str, seed: str, domain: str, extra: str = "", to: str = OURS,
            return_path: str | None = "<>") -> str:
    out = ""
    if return_path is not None:
        out += f"Return-Path: {return_path}\n"
    out += (f"Received: from {domain} by mx.sequencer.test with ESMTP id {seed[:8]}; {DATE}\n"
            f"Date: {DATE}\nFrom: {from_}\nTo: {to}\nSubject: {subject}\n"
            f"Message-ID: {mid(seed, domain)}\n{extra}MIME-Version: 1.0\n")
    return out


def report(hdrs: str, notice: str, fields: str | None, rcpt: str, seed: str, returned: str = "full",
           layout: str = "report", report_type: str = "delivery-status", fields_type: str = "message/delivery-status",
           notice_type: str = "text/plain; charset=utf-8") -> str:
    """A multipart/report (or a layout variation) with a notice, a status part and our returned email."""
    b = f"=_{hashlib.md5(seed.encode()).hexdigest()[:20]}"
    parts = [f"Content-Type: {notice_type}\nContent-Transfer-Encoding: 8bit\n\n{notice}\n"]
    if fields is not None:
        parts.append(f"Content-Type: {fields_type}\n\n{fields}")
    if returned == "full":
        parts.append(f"Content-Type: message/rfc822\n\n{original(rcpt, seed)}")
    elif returned == "headers":
        parts.append(f"Content-Type: text/rfc822-headers\n\n{original_headers(rcpt, seed)}")
    body = "".join(f"--{b}\n{p}\n" for p in parts) + f"--{b}--\n"
    if layout == "report":
        return hdrs + f"Content-Type: multipart/report; report-type={report_type};\n\tboundary=\"{b}\"\n\n" \
            f"This is a MIME-encapsulated message.\n\n{body}"
    if layout == "nested":  # a gateway wrapped the report inside multipart/mixed with its own banner
        outer = "outer" + b
        return hdrs + f"Content-Type: multipart/mixed; boundary=\"{outer}\"\n\n--{outer}\n" \
            "Content-Type: text/plain; charset=us-ascii\n\n[This message was scanned by the mail gateway.]\n\n" \
            f"--{outer}\nContent-Type: multipart/report; report-type={report_type}; boundary=\"{b}\"\n\n{body}\n" \
            f"--{outer}--\n"
    if layout == "broken":  # the declared boundary never occurs: one unparsed multipart/report
        return hdrs + f"Content-Type: multipart/report; report-type={report_type};\n\tboundary=\"NOPE{b}\"\n\n" \
            + body.replace(f"--{b}", f"--X{b}")
    if layout == "mixed":
        return hdrs + f"Content-Type: multipart/mixed; boundary=\"{b}\"\n\n{body}"
    raise ValueError(layout)


def plain(hdrs: str, text: str, rcpt: str, seed: str, attach: bool = True) -> str:
    """A plain-text notice (Exim, qmail, Yahoo, carriers) with our email copied below the notice."""
    copy = f"\n------ This is a copy of the message, including all the headers. ------\n\n{original(rcpt, seed)}" \
        if attach else ""
    return hdrs + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + text + copy
