"""Settings → Mailboxes: the OAuth clients, "Connect Google/Microsoft", reconnecting, and the provider's callback.

The flow's secrets (PKCE verifier, state nonce, what is being connected) stay in the signed session; the
state sent to the provider is signed, expires, must match this session and is spent once in Redis.
"""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sequencer.accounts.permissions import is_admin
from sequencer.errors import DomainError, Invalid
from sequencer.extensions import db, redis_store
from sequencer.mail import oauth_mailboxes
from sequencer.mailauth import apps, flow, state
from sequencer.mailauth.providers import Provider, for_auth, provider
from sequencer.platform import clock
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, roles_required
from sequencer.web.form_refusals import said_refusal
from sequencer.web.hardening import CSP
from sequencer.web.locale import say
from sequencer.web.refusals import flash_refusal
from sequencer.web.settings import mailboxes_page, secrets

FLOW_KEY = "mailbox_oauth"
# pages whose forms lead (by redirect) to a provider's consent page: their CSP form-action must allow it
CONSENT_FORMS = frozenset({"web.settings_mailboxes", "web.settings_create_mailbox", "web.settings_edit_mailbox",
                           "web.mailbox_oauth_connect", "web.mailbox_oauth_reconnect"})
APP_FIELDS = ("client_id", "client_secret", "tenant", "authorize_url", "token_url")


def _provider_or_404(key: str) -> Provider:
    try:
        return provider(key)
    except Invalid:
        abort(404, _("No such provider."))


def _redirect_uri() -> str:
    return current_app.config["BASE_URL"] + url_for("web.mailbox_oauth_callback")


def _send_to_consent(prov: Provider, hint: str, flow_data: dict):
    """Remember the flow in the session and send the browser to the provider's consent page."""
    client = apps.client(db.session, prov, secrets())
    nonce, signed = state.new_state(current_app.config["SECRET_KEY"], current_user.id)
    consent = flow.consent(client, _redirect_uri(), signed, hint)
    session[FLOW_KEY] = {**flow_data, "provider": prov.key, "nonce": nonce, "verifier": consent.verifier}
    return redirect(consent.url)


@web_bp.post("/settings/mailboxes/oauth/<key>/app")
@roles_required(*ADMINS)
def mailbox_oauth_app(key: str):
    prov = _provider_or_404(key)
    try:
        apps.save_app(db.session, prov, {f: request.form.get(f, "") for f in APP_FIELDS}, secrets(), clock.now())
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, _("%(provider)s OAuth client not saved: ", provider=prov.label))
    else:
        flash(_("%(provider)s OAuth client saved.", provider=prov.label), "success")
    return redirect(url_for("web.settings_mailboxes") + "#oauth")


@web_bp.post("/settings/mailboxes/oauth/<key>/connect")
@roles_required(*ADMINS)
def mailbox_oauth_connect(key: str):
    prov = _provider_or_404(key)
    try:
        values = oauth_mailboxes.clean_connect_input(db.session, current_user, request.form.to_dict())
        return _send_to_consent(prov, values["email"], values)
    except DomainError as exc:
        db.session.rollback()
        return mailboxes_page(error=said_refusal(exc), values={**request.form.to_dict(), "connect": prov.key},
                              status=422 if isinstance(exc, Invalid) else 409)


@web_bp.route("/mailboxes/<int:mailbox_id>/reconnect", methods=["GET", "POST"])
@login_required
def mailbox_oauth_reconnect(mailbox_id: int):
    """The owner's (or an admin's) way back: a page saying why, and the button to sign in again."""
    try:
        mailbox = oauth_mailboxes.reconnect_target(db.session, current_user, mailbox_id)
    except DomainError as exc:
        abort(403 if exc.code == "forbidden" else 404, say(exc.message))
    prov = for_auth(mailbox.auth)
    assert prov is not None  # reconnect_target only returns OAuth mailboxes
    if request.method == "GET":
        return render_template("web/mail/mailbox_reconnect.html", mailbox=mailbox, provider=prov)
    try:
        return _send_to_consent(prov, mailbox.email, {"mailbox_id": mailbox.id})
    except DomainError as exc:
        flash_refusal(exc)
        return redirect(url_for("web.mailbox_oauth_reconnect", mailbox_id=mailbox.id))


@web_bp.get("/settings/mailboxes/oauth/callback")
@login_required
def mailbox_oauth_callback():
    """Where the provider sends the browser back: check the state, trade the code, store the grant."""
    pending = session.pop(FLOW_KEY, None) or {}
    back = url_for("web.settings_mailboxes") if is_admin(current_user) else url_for("web.tasks")
    try:
        nonce = state.check_state(current_app.config["SECRET_KEY"], request.args.get("state", ""),
                                  pending.get("nonce"), current_user.id)
        state.spend(redis_store.connection(current_app), nonce)
        if request.args.get("error"):
            raise Invalid.field("code", f"the provider said: {request.args['error'][:200]}")
        prov = provider(str(pending.get("provider")))
        client = apps.client(db.session, prov, secrets())
        token = flow.exchange(client, _redirect_uri(), request.args.get("code", ""), str(pending.get("verifier")))
        mailbox = oauth_mailboxes.connect(db.session, prov, pending, token, secrets(), current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, _("Mailbox not connected: "))
        return redirect(back, 303)
    flash(_("%(email)s is connected with %(provider)s: it sends and reads mail through OAuth.", email=mailbox.email,
            provider=prov.label), "success")
    return redirect(back, 303)



@web_bp.after_app_request
def _allow_consent_redirect(response: Response) -> Response:
    """Browsers apply form-action to a form's redirects too: let these forms reach the providers' consent pages."""
    if request.endpoint in CONSENT_FORMS and response.mimetype == "text/html":
        origins = " ".join(apps.authorize_origins(db.session))
        response.headers["Content-Security-Policy"] = CSP.replace("form-action 'self'", f"form-action 'self' {origins}")
    return response
