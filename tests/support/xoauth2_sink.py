"""An SMTP sink (aiosmtpd on loopback) that accepts only AUTH XOAUTH2, checking each token with the provider's
introspection endpoint as Gmail and Exchange Online check theirs, and refuses mail before a login."""
from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.smtp_sink import ScriptedHandler, free_port


def introspect(provider_url: str, token: str) -> dict:
    body = urllib.parse.urlencode({"token": token}).encode()
    with urllib.request.urlopen(provider_url + "/introspect", data=body, timeout=10) as resp:
        return json.loads(resp.read())


@dataclass
class XOAuth2Handler(ScriptedHandler):
    provider_url: str = ""
    logins: list = field(default_factory=list)    # the user of each accepted login
    refusals: list = field(default_factory=list)  # the user of each refused token

    async def auth_XOAUTH2(self, server, args):
        raw = args[1] if len(args) > 1 else ""
        try:
            parts = dict(p.split("=", 1) for p in base64.b64decode(raw).decode().split("\x01") if "=" in p)
        except (ValueError, UnicodeDecodeError):
            await server.push("501 5.5.2 Can't decode XOAUTH2")
            return AuthResult(success=False, handled=True)
        user, token = parts.get("user", ""), parts.get("auth", "").removeprefix("Bearer ")
        answer = introspect(self.provider_url, token)
        if answer.get("active") and answer.get("username") == user:
            self.logins.append(user)
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        self.refusals.append(user)
        # like Gmail: an error challenge, the client's empty answer, then the final refusal
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "Bearer", "scope": "https://mail.google.com/"}))
        return AuthResult(success=False, handled=False, message="535 5.7.8 Username and Password not accepted")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not session.authenticated:
            return "530 5.7.0 Authentication Required"
        envelope.mail_from = address
        return "250 OK"


class XOAuth2Sink:
    def __init__(self, provider_url: str):
        self.handler = XOAuth2Handler(provider_url=provider_url)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, auth_require_tls=False,
                                     auth_exclude_mechanism=["LOGIN", "PLAIN"])

    def __enter__(self) -> XOAuth2Sink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
