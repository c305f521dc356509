"""A real SMTP server on loopback (aiosmtpd) whose answers a test can script."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass
class ScriptedHandler:
    rcpt_reply: str | None = None         # e.g. "450 4.2.0 try later" or "550 5.1.1 no such user"
    data_reply: str | None = None
    drop_after_data: bool = False         # keep the message, then hang up before answering
    messages: list = field(default_factory=list)   # raw bytes of each accepted message
    envelopes: list = field(default_factory=list)  # aiosmtpd envelopes: mail_from, rcpt_tos, content

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.messages.append(envelope.content)
        self.envelopes.append(envelope)
        if self.drop_after_data:
            server.transport.close()
        return "250 2.0.0 queued"

    def parsed(self):
        return [message_from_bytes(m, policy=policy.default) for m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    def __init__(self, handler: ScriptedHandler | None = None, password: str | None = None):
        self.handler = handler or ScriptedHandler()
        kwargs = {}
        if password is not None:
            kwargs = {"authenticator": lambda server, session, envelope, mechanism, auth_data: AuthResult(
                success=auth_data.password.decode() == password, handled=False, auth_data=auth_data),
                "auth_require_tls": False}
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
