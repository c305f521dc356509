"""Every page a Lithuanian reader opens without an id speaks Lithuanian: no English UI word is left on it.

Pages that need data (a prospect, a sequence …) are checked in the area tests beside this one, with data.
"""
from __future__ import annotations

import pytest

from tests.conftest import login
from tests.i18n.support import english_words_in

SKIPPED_PREFIXES = ("/api/", "/static/", "/healthz", "/metrics", "/t/", "/u/", "/f/", "/login", "/logout")


def parameterless_pages(app) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.arguments or rule.rule.startswith(SKIPPED_PREFIXES):
            continue
        pages.append(rule.rule)
    return sorted(set(pages))


@pytest.fixture
def lt_admin(client, factory):
    user = factory.user("admin", locale="lt", name="Rūta Žemaitė")
    login(client, user.email)
    return user


def test_every_page_without_an_id_is_lithuanian(app, client, lt_admin):
    leftovers = {}
    for url in parameterless_pages(app):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        if found := english_words_in(response.get_data(as_text=True)):
            leftovers[url] = found[:5]
    assert not leftovers, "English left on Lithuanian pages:\n" + "\n".join(f"{u}: {w}" for u, w in leftovers.items())


def test_the_login_page_follows_the_browser(client):
    html = client.get("/login", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert not english_words_in(html), english_words_in(html)
