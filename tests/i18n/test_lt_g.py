"""Area g in Lithuanian: Settings → Forms (list, edit, a refused save), the hosted form with its errors, confirm and
thanks pages, and the unsubscribe page and email footer in the prospect's language."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sequencer.forms import optin
from sequencer.mail import links
from sequencer.mail.footer import prospect_locale, unsubscribe_line
from sequencer.models import FormSubmission, Workspace
from sequencer.platform import clock
from sequencer.platform.i18n import ngettext_in
from tests.conftest import login
from tests.forms.helpers import make_form, shown_token
from tests.i18n.support import english_words_in

LT_FIELDS = [{"name": "email", "label": "Work email", "required": True}, {"name": "first_name", "label": "First name"},
             {"name": "company", "label": "Company"}, {"name": "consent", "label": "Consent", "required": True},
             {"name": "komandos_dydis", "label": "Komandos dydis", "maps_to": "custom:komandos_dydis"}]


def lithuanian(html: str) -> None:
    assert english_words_in(html) == [], english_words_in(html)


def own_part(html: str) -> str:
    """The whole page: every area is merged, so the navigation around it is checked too."""
    return html


@pytest.fixture
def lt_manager(client, factory, session):
    user = factory.user("manager", locale="lt", name="Rūta Žemaitė")
    session.commit()
    login(client, user.email)
    return user


@pytest.fixture
def lt_form(session, factory):
    manager = factory.user("manager", name="Jonas Petraitis")
    return make_form(session, manager, name="Demonstracijos užsakymas", fields=LT_FIELDS,
                     consent_text="Sutinku, kad su manimi susisiektų.", double_opt_in=True)


def test_forms_list_empty_and_populated(client, session, lt_manager, factory):
    empty = own_part(client.get("/settings/forms").get_data(as_text=True))
    lithuanian(empty)
    assert "Formų dar nėra" in empty
    make_form(session, factory.user("manager", name="Jonas Petraitis"), name="Demonstracijos užsakymas",
              fields=LT_FIELDS, double_opt_in=True)
    page = own_part(client.get("/settings/forms").get_data(as_text=True))
    lithuanian(page)
    assert "Svetainės formos" in page and "Demonstracijos užklausa" in page and "Dvigubas patvirtinimas" in page


def test_new_form_and_a_refused_save_are_lithuanian(client, lt_manager):
    lithuanian(own_part(client.get("/settings/forms/new").get_data(as_text=True)))
    res = client.post("/settings/forms/new", data={"name": "Gidas", "kind": "content_download"})
    html = own_part(res.get_data(as_text=True))
    assert res.status_code == 422 and "turinio atsisiuntimui reikia failo adreso" in html
    lithuanian(html)


def test_form_edit_with_submissions_is_lithuanian(app, client, session, lt_manager, lt_form):
    for email in ("ona@zalgiris-demo.lt", "info@zalgiris-demo.lt"):
        client.post(f"/f/{lt_form.key}", data={"email": email, "first_name": "Ona", "consent": "on",
                                                "_t": shown_token(app, lt_form), "utm_source": "paieska"})
    assert len(session.scalars(select(FormSubmission)).all()) == 2
    html = own_part(client.get(f"/settings/forms/{lt_form.id}").get_data(as_text=True))
    lithuanian(html)
    assert "Naujausi pateikimai" in html and "gautas" in html and "bendrasis adresas" in html
    res = client.post(f"/settings/forms/{lt_form.id}", data={"name": "", "kind": "demo_request"})
    assert res.status_code == 422
    lithuanian(own_part(res.get_data(as_text=True)))


def test_hosted_form_follows_the_browser_and_the_lang_parameter(app, client, lt_form):
    for page in (client.get(f"/f/{lt_form.key}", headers={"Accept-Language": "lt-LT,lt;q=0.9"}),
                 client.get(f"/f/{lt_form.key}?lang=lt")):
        html = page.get_data(as_text=True)
        lithuanian(html)
        assert "Darbo el. paštas" in html and 'lang="lt"' in html and "Siųsti" in html
    english = client.get(f"/f/{lt_form.key}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Work email" in english and ">Send<" in english


def test_hosted_form_errors_thanks_and_confirm_in_lithuanian(app, client, session, lt_form):
    res = client.post(f"/f/{lt_form.key}?lang=lt", data={"email": "ne-adresas", "first_name": "<a href=x>",
                                                         "_t": shown_token(app, lt_form)})
    html = res.get_data(as_text=True)
    assert res.status_code == 422 and "Patikrinkite 3 laukus žemiau." in html
    assert "neteisingas el. pašto adresas" in html and "pažymėkite šį langelį" in html
    lithuanian(html)
    res = client.post(f"/f/{lt_form.key}?lang=lt", data={"email": "ona@zalgiris-demo.lt", "consent": "on",
                                                         "_t": shown_token(app, lt_form, seconds_ago=0)})
    assert res.status_code == 422 and "Išsiųsta per greitai" in res.get_data(as_text=True)
    res = client.post(f"/f/{lt_form.key}?lang=lt", data={"email": "ona@zalgiris-demo.lt", "consent": "on",
                                                         "_t": shown_token(app, lt_form)})
    assert res.status_code == 303 and "lang=lt" in res.headers["Location"]
    thanks = client.get(res.headers["Location"]).get_data(as_text=True)
    lithuanian(thanks)
    assert "Ačiū" in thanks and "Patikrinkite pašto dėžutę" in thanks
    sub = session.scalars(select(FormSubmission)).one()
    sub.status = "pending_confirmation"  # what the worker sets when it sends the confirmation email
    session.commit()
    url = f"/f/confirm/{optin.token(app.config['SECRET_KEY'], sub)}?lang=lt"
    lithuanian(client.get(url).get_data(as_text=True))
    done = client.post(url).get_data(as_text=True)
    lithuanian(done)
    assert "Patvirtinta, ačiū" in done
    again = client.post(url)
    assert again.status_code == 409 and "jau patvirtintas" in again.get_data(as_text=True)
    lithuanian(again.get_data(as_text=True))


def test_embed_definition_and_json_refusals_speak_the_visitor_language(app, client, lt_form):
    body = client.get(f"/f/{lt_form.key}/definition.json", headers={"Accept-Language": "lt"}).get_json()
    assert body["texts"]["send"] == "Siųsti" and body["fields"][0]["label"] == "Darbo el. paštas"
    assert "lang=" not in body["action"]
    res = client.post(f"/f/{lt_form.key}", json={"email": "x"}, headers={"Accept-Language": "lt"})
    assert res.get_json()["error"]["details"][0]["message"] == "neteisingas el. pašto adresas"
    res = client.post(f"/f/{lt_form.key}", json={"email": "x"})
    assert res.get_json()["error"]["details"][0]["message"] == "is not a valid email address"


def _unsubscribe_path(app, prospect) -> str:
    return links.unsubscribe_url("", app.config["SECRET_KEY"], prospect.id)


def test_unsubscribe_page_and_confirmation_in_the_prospect_language(app, client, session, factory):
    ona = factory.prospect(first_name="Ona", email="ona@zalgiris-demo.lt", language="lt")
    session.commit()
    url = _unsubscribe_path(app, ona)
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)  # the prospect's, not the browser's
    lithuanian(page)
    assert "Atsisakyti laiškų?" in page and 'lang="lt"' in page
    done = client.post(url).get_data(as_text=True)
    lithuanian(done)
    assert "Laiškų atsisakėte" in done and "ona@zalgiris-demo.lt" in done


def test_unsubscribe_page_in_english_for_an_english_prospect(app, client, session, factory):
    john = factory.prospect(first_name="John", email="john@acme.example", language="en")
    session.commit()
    page = client.get(_unsubscribe_path(app, john), headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert "Unsubscribe?" in page and "Stop all emails to john@acme.example." in page


def test_without_a_language_the_workspace_default_decides(session, factory):
    prospect = factory.prospect(first_name="Ona")
    assert prospect_locale(session, prospect) == "en"
    session.add(Workspace(default_locale="lt"))
    session.flush()
    assert prospect_locale(session, prospect) == "lt"
    assert unsubscribe_line("lt", "https://x.test/u/1") == "Nebenorite gauti mūsų laiškų? Atsisakykite: https://x.test/u/1"
    assert unsubscribe_line("en", "https://x.test/u/1") == "Don't want to hear from us? Unsubscribe: https://x.test/u/1"


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 pateikimų"), (1, "1 pateikimas"), (2, "2 pateikimai"), (10, "10 pateikimų"), (11, "11 pateikimų"),
    (21, "21 pateikimas"), (22, "22 pateikimai"), (101, "101 pateikimas")])
def test_submission_counts_take_the_lithuanian_plural(n, expected):
    assert ngettext_in("lt", "%(num)d submission", "%(num)d submissions", n) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "lauką"), (2, "laukus"), (11, "laukų"), (21, "lauką")])
def test_field_error_counts_take_the_lithuanian_plural(n, expected):
    text = ngettext_in("lt", "Please check %(num)d field below.", "Please check %(num)d fields below.", n)
    assert text == f"Patikrinkite {n} {expected} žemiau."


def test_the_double_opt_in_email_speaks_the_workspace_language(lt_form):
    submission = SimpleNamespace(id=7, email="ona@zalgiris-demo.lt")

    def sent(*locale):
        data, _ = optin._message(lt_form, submission, "forms@x.test", "https://x.test/f/confirm/tok", clock.now(),
                                 *locale)
        message = BytesParser(policy=policy.default).parsebytes(data)
        return message["Subject"], message.get_content()

    subject, text = sent("lt")
    assert subject == "Patvirtinkite savo el. pašto adresą: Demonstracijos užsakymas"
    assert text.startswith("Laba diena,") and "https://x.test/f/confirm/tok?lang=lt" in text and "Jūs" in text
    subject, text = sent()
    assert subject.startswith("Please confirm") and "Someone (we hope you) entered" in text and "?lang" not in text
