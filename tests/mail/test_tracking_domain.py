"""Links and pixels go out on the verified tracking domain (the mailbox's own, else the workspace's), and on
BASE_URL while its CNAME check has not passed."""
from __future__ import annotations

from sequencer.accounts.workspace import get_workspace
from sequencer.models import DomainCheck


def _html(sink) -> str:
    [message] = sink.handler.parsed()
    return message.get_body(("html",)).get_content()


def test_a_verified_workspace_domain_carries_links_and_pixels(session, world, enrol, cycle, sink):
    get_workspace(session).tracking_domain = "track.kvitas-demo.com"
    session.add(DomainCheck(kind="tracking", domain="track.kvitas-demo.com", passed=True, problems=[], records={}))
    session.commit()
    enrol(email="sarunas@grudu-baze.lt")
    cycle()
    html = _html(sink)
    assert 'src="http://track.kvitas-demo.com/t/o/' in html and 'href="http://track.kvitas-demo.com/t/c/' in html
    assert "sequencer.test" not in html


def test_the_mailboxs_own_domain_wins_and_an_unverified_one_is_not_used(session, world, enrol, cycle, sink):
    get_workspace(session).tracking_domain = "track.kvitas-demo.com"
    world["mailbox"].tracking_domain = "links.ruta.example"
    session.add(DomainCheck(kind="tracking", domain="links.ruta.example", passed=False, problems=["no CNAME"],
                            records={}))
    session.commit()
    enrol(email="sarunas@grudu-baze.lt")
    cycle()
    html = _html(sink)
    assert "http://sequencer.test/t/o/" in html and "links.ruta.example" not in html
