"""Builds the corpus's one huge message in memory (a ~10 MB file is not committed).

big_reply() -> bytes: Dana's reply to <sr101.corpus@sequencer.test> with a short positive text part and a
~7.9 MB application/pdf attachment, base64-encoded, so the whole message is about 10.7 MB (10.2 MiB).
Deterministic: the same bytes on every call and every machine (fixed seed, fixed boundary, fixed headers).
Its expectation is expected.json["big_reply"].
"""
from __future__ import annotations

import random
from email.message import EmailMessage
from email.policy import default

PDF_SIZE = 7_900_000          # raw attachment bytes; base64 + line breaks make the message ~10.7 MB
SEED = 20261209
BOUNDARY = "000000000000b1g5eed0corpus0"


def _pdf(size: int = PDF_SIZE) -> bytes:
    """A PDF-shaped blob: real header/trailer around one pseudo-random (seeded) compressed stream."""
    head = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n")
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\nstartxref\n0\n%%EOF\n"
    n = size - len(head) - len(tail) - len(b"4 0 obj\n<< /Length 0000000 /Filter /FlateDecode >>\nstream\n")
    stream_head = f"4 0 obj\n<< /Length {n:07d} /Filter /FlateDecode >>\nstream\n".encode("ascii")
    body = random.Random(SEED).randbytes(n)
    return head + stream_head + body + tail


def big_reply() -> bytes:
    msg = EmailMessage(policy=default)
    msg["Return-Path"] = "<dana.kowalski@acme-corp.test>"
    msg["Delivered-To"] = "rita@sequencer.test"
    msg["Received"] = ("from mail-wm1-f53.google.com (mail-wm1-f53.google.com [192.0.2.53]) by mx.sequencer.test "
                       "(Postfix) with ESMTPS id Zq4Lm7Rt2Vx9Kp3 for <rita@sequencer.test>; Fri, 11 Dec 2026 16:20:14 +0000 (UTC)")
    msg["MIME-Version"] = "1.0"
    msg["References"] = "<sr101.corpus@sequencer.test>"
    msg["In-Reply-To"] = "<sr101.corpus@sequencer.test>"
    msg["From"] = "Dana Kowalski <dana.kowalski@acme-corp.test>"
    msg["Date"] = "Fri, 11 Dec 2026 16:19:52 +0000"
    msg["Message-ID"] = "<CAbigDeckReply0corpus7Kq2m9XwT4pLs8Rv3Ne5Hc1Jd6Yb@mail.acme-corp.test>"
    msg["Subject"] = "Re: Quick question about Acme's month-end close"
    msg["To"] = "Rita Rep <rita@sequencer.test>"
    msg.set_content("Hi Rita,\n\nThanks \u2014 the deck is attached, let's talk next week.\n\nDana\n\n"
                    "On Mon, 7 Dec 2026 at 09:12, Rita Rep <rita@sequencer.test> wrote:\n\n"
                    "> Hi Dana,\n>\n> Most finance teams I speak with lose three or four days every month-end ...\n",
                    cte="quoted-printable")
    msg.add_attachment(_pdf(), maintype="application", subtype="pdf",
                       filename="Acme - month-end close process 2026.pdf")
    msg.set_boundary(BOUNDARY)
    for part in msg.iter_parts():
        del part["MIME-Version"]      # EmailMessage adds it to sub-parts; real mailers don't
    return msg.as_bytes()


if __name__ == "__main__":
    data = big_reply()
    print(len(data), "bytes")
