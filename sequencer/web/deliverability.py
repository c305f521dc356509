"""The Deliverability page (admins and managers): authentication, warm-up, health and pauses of every mailbox.

Admins act from it: check DNS now, accept a domain's findings, resume a paused mailbox, set a warm-up,
generate a DKIM key and switch signing, and set the workspace's tracking domain.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from sequencer.accounts.permissions import is_admin
from sequencer.accounts.workspace import get_workspace
from sequencer.deliverability import dkim, domains, finding_texts, tracking_domain, warmup
from sequencer.deliverability.dns_lookup import lookup_for
from sequencer.deliverability.rechecks import recheck_all
from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.mail.send_review import resume_mailbox
from sequencer.models import Mailbox
from sequencer.ops import deliverability as board
from sequencer.platform import clock
from sequencer.platform.security import SecretBox
from sequencer.web import web_bp
from sequencer.web.access import ADMINS, MANAGERS, roles_required
from sequencer.web.locale import number, say, when
from sequencer.web.refusals import flash_refusal, sentence


def ramp_text(stage: warmup.Stage) -> str:
    """Where a mailbox is on its warm-up, in the reader's language (the page and the flash say the same)."""
    if not stage.warming:
        return _("full speed")
    return _("warming up: day %(day)s, %(today)s/day now, %(target)s/day from %(date)s", day=stage.day_number,
             today=number(stage.limit_today), target=number(stage.target), date=when(stage.full_speed_on, "%a %d %b"))


def _back():
    return redirect(url_for("web.deliverability"))


def _mailbox(mailbox_id: int) -> Mailbox:
    return db.session.get(Mailbox, mailbox_id) or abort(404, _("No such mailbox."))


@web_bp.get("/deliverability")
@roles_required(*MANAGERS)
def deliverability():
    now = clock.now()
    rows = board.rows(db.session, now, current_app.config["SECRET_KEY"])
    chosen = request.args.get("mailbox", type=int)
    detail = next((r for r in rows if r.mailbox.id == chosen), None)
    return render_template("web/deliverability/page.html", rows=rows, now=now, detail=detail,
                           days=board.daily(db.session, detail.mailbox.id, now) if detail else [],
                           workspace=get_workspace(db.session), is_admin=is_admin(current_user), ramp_text=ramp_text,
                           finding=finding_texts.reread)


@web_bp.post("/deliverability/check")
@roles_required(*MANAGERS)
def deliverability_check():
    config = current_app.config
    summary = recheck_all(db.session, lookup_for(config), SecretBox(config["SECRET_KEY"]), config["BASE_URL"],
                          clock.now())
    db.session.commit()
    failing = summary["failing"] + summary.get("tracking_failing", [])
    checked = ngettext("Checked %(num)d sending domain:", "Checked %(num)d sending domains:", summary["checked"])
    verdict = ngettext("%(domains)s needs fixing.", "%(domains)s need fixing.", len(failing),
                       domains=", ".join(failing)) if failing else _("all pass.")
    flash(f"{checked} {verdict}", "error" if failing else "success")
    return _back()


@web_bp.post("/deliverability/accept")
@roles_required(*ADMINS)
def deliverability_accept():
    try:
        check = domains.acknowledge(db.session, request.form.get("domain", ""), current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
    else:
        flash(_("Findings for %(domain)s accepted: its new mailboxes may send.", domain=check.domain), "success")
    return _back()


@web_bp.post("/deliverability/mailboxes/<int:mailbox_id>/resume")
@roles_required(*ADMINS)
def deliverability_resume(mailbox_id: int):
    mailbox = _mailbox(mailbox_id)
    try:
        resume_mailbox(db.session, mailbox, current_user, clock.now())
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
    else:
        flash(_("%(email)s is sending again.", email=mailbox.email), "success")
    return _back()


@web_bp.post("/deliverability/mailboxes/<int:mailbox_id>/warmup")
@roles_required(*ADMINS)
def deliverability_warmup(mailbox_id: int):
    mailbox = _mailbox(mailbox_id)
    form = request.form
    data = None if form.get("action") == "stop" else {k: form.get(k) for k in ("start", "step", "target", "started_on")}
    try:
        for key, value in warmup.clean_warmup(data, clock.now().date()).items():
            setattr(mailbox, key, value)
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
    else:
        flash(_("Warm-up for %(email)s: %(ramp)s.", email=mailbox.email,
                ramp=ramp_text(warmup.stage(mailbox, clock.now().date()))), "success")
    return _back()


@web_bp.post("/deliverability/mailboxes/<int:mailbox_id>/dkim")
@roles_required(*ADMINS)
def deliverability_dkim(mailbox_id: int):
    mailbox = _mailbox(mailbox_id)
    action = request.form.get("action")
    try:
        if action == "generate":
            dkim.generate_key(mailbox, SecretBox(current_app.config["SECRET_KEY"]),
                              request.form.get("selector") or "sequencer")
            mailbox.dkim_signing = False  # sign only once the new record is published
        elif action in ("enable", "disable") and mailbox.dkim_private_key_encrypted:
            mailbox.dkim_signing = action == "enable"
        else:
            abort(400, _("Unknown DKIM action."))
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
    else:
        said = {"generate": _("new DKIM key for %(email)s: publish the record shown, then turn signing on",
                              email=mailbox.email),
                "enable": _("%(email)s now signs its mail with DKIM", email=mailbox.email),
                "disable": _("%(email)s no longer signs its mail", email=mailbox.email)}
        flash(sentence(said[action]), "success")
    return _back()


@web_bp.post("/deliverability/tracking")
@roles_required(*ADMINS)
def deliverability_tracking():
    config = current_app.config
    try:
        domain = tracking_domain.clean_domain(request.form.get("tracking_domain"))
        get_workspace(db.session).tracking_domain = domain
        check = tracking_domain.check(db.session, domain, lookup_for(config), config["BASE_URL"],
                                      clock.now()) if domain else None
        db.session.commit()
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
        return _back()
    if check is None:
        flash(_("Links and pixels use the default domain."), "success")
    elif check.passed:
        flash(_("Links and pixels now use %(domain)s.", domain=domain), "success")
    else:
        flash(sentence(_("%(problems)s (saved: used once the CNAME is in place)",
                         problems="; ".join(say(finding_texts.reread(p)) for p in check.problems))), "error")
    return _back()
