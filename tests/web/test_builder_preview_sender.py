"""Issue 23 defect 6: the builder previews with the sending mailbox owner's signature, not the viewer's."""
from __future__ import annotations

from tests.web.test_builder import EMAIL, form


def test_preview_signs_with_the_prospects_mailbox_owner_not_the_viewer(client, as_role, factory, session):
    factory.persona("cfo", name="Chief Financial Officer")
    manager = as_role("manager", name="Mona Manager", signature="Mona Manager\nHead of Sales")
    rep = factory.user("rep", name="Rita Rep", signature="Rita Rep\nSDR, Kvitas")
    factory.mailbox(owner_id=rep.id, name="Rita Rep")
    prospect = factory.prospect(first_name="Ona", owner_id=rep.id, country="LT", timezone="Europe/Vilnius")
    session.commit()
    assert manager.id
    html = client.post("/sequences/new/preview", data=form(
        steps=[EMAIL], preview_prospect=str(prospect.id), preview_step="1", preview_variant="B")).get_data(as_text=True)
    assert "SDR, Kvitas" in html, html[:3000]
    assert "Head of Sales" not in html


def test_builder_says_the_signature_is_added(client, as_role):
    as_role("manager")
    html = client.get("/sequences/new").get_data(as_text=True)
    assert "signature is added" in html
