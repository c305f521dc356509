"""The SSRF guard: https only, no private/loopback/link-local address after resolution unless allow-listed."""
from __future__ import annotations

import pytest

from sequencer.errors import Invalid
from sequencer.webhooks.guard import AllowList, Refused, check, resolve

NONE = AllowList.parse("")


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://10.1.2.3/", "https://192.168.0.10/", "https://172.16.5.4/",
    "https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/",
    "https://0.0.0.0/", "https://100.64.0.1/", "https://localhost/",
])
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(Refused, match="private, loopback or link-local"):
        resolve(url, NONE)


@pytest.mark.parametrize("url,why", [
    ("http://93.184.215.14/", "https://"), ("ftp://example.com/", "https://"), ("https:///nohost", "https://"),
    ("https://user:pw@93.184.215.14/", "user name"), ("https://no-such-host.invalid/", "does not resolve"),
])
def test_other_bad_urls_are_refused_with_the_reason(url, why):
    with pytest.raises(Refused, match=why):
        resolve(url, NONE)


def test_a_public_https_address_passes_and_is_the_one_connected_to():
    target = resolve("https://93.184.215.14:8443/in?x=1", NONE)
    assert (target.address, target.port, target.path, target.host) == ("93.184.215.14", 8443, "/in?x=1",
                                                                        "93.184.215.14")


def test_the_allow_list_names_hosts_or_networks_and_allows_plain_http_for_them():
    assert resolve("http://127.0.0.1:9/x", AllowList.parse("127.0.0.0/8")).address == "127.0.0.1"
    assert resolve("http://localhost:9/x", AllowList.parse("localhost")).port == 9
    with pytest.raises(Refused):
        resolve("https://10.0.0.1/", AllowList.parse("127.0.0.1, localhost"))


def test_check_turns_a_refusal_into_a_field_error():
    with pytest.raises(Invalid) as caught:
        check("https://127.0.0.1/", NONE)
    assert caught.value.details[0]["field"] == "url"
