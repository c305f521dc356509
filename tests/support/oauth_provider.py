"""A small, real OAuth 2 provider on loopback for the OAuth-mailbox tests.

It does what Google and Microsoft do for our flow: a consent page (`/authorize`, an "Allow" button), a token
endpoint for the authorization code (client secret and PKCE S256 checked) and for refresh tokens, revocation
(`/revoke`) and RFC 7662 introspection (`/introspect`, which the SMTP sink and Dovecot ask). Tokens live in
memory; a test can expire or revoke them, and counts what was asked.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "sequencer-test-client"
CLIENT_SECRET = "sequencer-test-secret"


@dataclass
class Grant:
    user: str
    scope: str
    refresh_token: str
    revoked: bool = False


@dataclass
class State:
    access_lifetime: int = 3600
    codes: dict = field(default_factory=dict)  # code -> (client_id, redirect_uri, challenge, user, scope)
    grants: dict = field(default_factory=dict)  # refresh token -> Grant
    access: dict = field(default_factory=dict)  # access token -> (Grant, expires at, monotonic)
    counts: dict = field(default_factory=lambda: {"authorization_code": 0, "refresh_token": 0, "introspect": 0})
    seen_authorize: list = field(default_factory=list)  # the query of each consent page shown
    lock: threading.Lock = field(default_factory=threading.Lock)


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class _Handler(BaseHTTPRequestHandler):
    state: State  # set on the subclass each server makes

    def log_message(self, *args) -> None:  # quiet: the tests assert on behaviour, not logs
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/favicon.ico":  # what a browser asks for on the consent page
            self.send_response(204)
            self.end_headers()
            return None
        if url.path != "/authorize":
            return self._json(404, {"error": "not_found"})
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.state.seen_authorize.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
            return self._json(400, {"error": "invalid_request"})
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in query.items())
        page = (f"<!doctype html><title>Local provider: consent</title><h1>Sign in as {html.escape(query.get('login_hint', ''))}"
                f"</h1><p>Sequencer asks for: {html.escape(query.get('scope', ''))}</p>"
                f'<form method="post" action="/authorize">{hidden}<button type="submit" name="decision" value="allow">'
                'Allow</button> <button type="submit" name="decision" value="deny">Deny</button></form>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def do_POST(self) -> None:
        path, form = urlsplit(self.path).path, self._form()
        route = {"/authorize": self._consent, "/token": self._token, "/revoke": self._revoke,
                 "/introspect": self._introspect}.get(path)
        if route is None:
            return self._json(404, {"error": "not_found"})
        route(form)

    def _consent(self, form: dict) -> None:
        if form.get("decision") != "allow":
            target = form["redirect_uri"] + "?" + urlencode({"error": "access_denied", "state": form.get("state", "")})
        else:
            code = secrets.token_urlsafe(16)
            with self.state.lock:
                self.state.codes[code] = (form["client_id"], form["redirect_uri"], form["code_challenge"],
                                          form.get("login_hint", ""), form.get("scope", ""))
            target = form["redirect_uri"] + "?" + urlencode({"code": code, "state": form.get("state", "")})
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _issue(self, grant: Grant) -> dict:
        access = secrets.token_urlsafe(24)
        self.state.access[access] = (grant, time.monotonic() + self.state.access_lifetime)
        return {"access_token": access, "token_type": "Bearer", "expires_in": self.state.access_lifetime,
                "scope": grant.scope}

    def _token(self, form: dict) -> None:
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return self._json(401, {"error": "invalid_client"})
        kind = form.get("grant_type", "")
        with self.state.lock:
            if kind == "authorization_code":
                entry = self.state.codes.pop(form.get("code", ""), None)  # a code works once
                if (entry is None or entry[1] != form.get("redirect_uri")
                        or entry[2] != _s256(form.get("code_verifier", ""))):
                    return self._json(400, {"error": "invalid_grant", "error_description": "code, redirect or PKCE"})
                grant = Grant(user=entry[3], scope=entry[4], refresh_token=secrets.token_urlsafe(24))
                self.state.grants[grant.refresh_token] = grant
                self.state.counts[kind] += 1
                return self._json(200, {**self._issue(grant), "refresh_token": grant.refresh_token})
            if kind == "refresh_token":
                found = self.state.grants.get(form.get("refresh_token", ""))
                if found is None or found.revoked:
                    return self._json(400, {"error": "invalid_grant", "error_description": "Token has been revoked."})
                self.state.counts[kind] += 1
                return self._json(200, self._issue(found))
        self._json(400, {"error": "unsupported_grant_type"})

    def _revoke(self, form: dict) -> None:
        with self.state.lock:
            token = form.get("token", "")
            grant = self.state.grants.get(token) or (self.state.access.get(token) or (None,))[0]
            if grant is not None:
                grant.revoked = True
        self._json(200, {})

    def _introspect(self, form: dict) -> None:
        with self.state.lock:
            self.state.counts["introspect"] += 1
            entry = self.state.access.get(form.get("token", ""))
        if entry is None or entry[0].revoked or entry[1] < time.monotonic():
            return self._json(200, {"active": False})
        grant = entry[0]
        self._json(200, {"active": True, "username": grant.user, "email": grant.user, "scope": grant.scope,
                         "client_id": CLIENT_ID})


class OAuthProvider:
    """The running provider: `url`, its state, and what a test does to it (expire, revoke)."""

    def __init__(self) -> None:
        self.state = State()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> OAuthProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        """Forget every code, grant and count (a session-wide provider between tests)."""
        fresh = State()
        with self.state.lock:
            for name in ("codes", "grants", "access", "counts", "seen_authorize"):
                setattr(self.state, name, getattr(fresh, name))
            self.state.access_lifetime = fresh.access_lifetime

    def expire_access_tokens(self) -> None:
        """Every access token stops working now (as when a provider ends a session early)."""
        with self.state.lock:
            for token, (grant, _) in list(self.state.access.items()):
                self.state.access[token] = (grant, 0.0)

    def revoke_all(self) -> None:
        """The user (or their admin) revoked Sequencer's access: refresh and access tokens die."""
        with self.state.lock:
            for grant in self.state.grants.values():
                grant.revoked = True

    def active(self, access_token: str) -> str | None:
        """The user an access token belongs to while it is valid (what introspection says)."""
        with self.state.lock:
            entry = self.state.access.get(access_token)
        if entry is None or entry[0].revoked or entry[1] < time.monotonic():
            return None
        return entry[0].user

    def grant_directly(self, user: str, scope: str = "https://mail.google.com/") -> dict:
        """A token answer as the code exchange gives it, without the browser (for tests past the consent)."""
        with self.state.lock:
            grant = Grant(user=user, scope=scope, refresh_token=secrets.token_urlsafe(24))
            self.state.grants[grant.refresh_token] = grant
            handler = _Handler.__new__(_Handler)
            handler.state = self.state
            return {**handler._issue(grant), "refresh_token": grant.refresh_token}
