"""A tiny HTTP client over urllib for tests that talk to real servers (gunicorn): status, headers, text, cookies."""
from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass
class Reply:
    status: int
    text: str
    url: str


class Client:
    """Keeps cookies between requests, like a browser session; never raises on 4xx/5xx."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, url: str, data: dict | None = None, headers: dict | None = None, timeout: float = 30) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return Reply(resp.status, resp.read().decode(errors="replace"), resp.url)
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, exc.read().decode(errors="replace"), url)


def get(url: str, headers: dict | None = None, timeout: float = 30) -> Reply:
    return Client().request(url, headers=headers, timeout=timeout)
