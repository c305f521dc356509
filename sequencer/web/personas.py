"""The personas page: everyone can read the list; managers and admins create, edit and delete.

Forms go through the API's marshmallow schema and the shared persona service, so the rules
(key format, free key, in-use deletes refused with where it is used) are the same everywhere.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy import func, select

from sequencer.accounts.permissions import is_manager
from sequencer.api.schemas import PersonaInSchema
from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.models import Persona, Prospect
from sequencer.people.personas import clean_keywords, delete_persona, update_persona
from sequencer.platform.collation import by_name
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.locale import current, say

# the schema's refusals a persona form can show (marked here; the API keeps its English)
SCHEMA_WORDS = (lazy_gettext("Missing data for required field."),
                lazy_gettext("lower-case letters, digits and underscores, at most 64"),
                lazy_gettext("Length must be between 1 and 200."), lazy_gettext("Not a valid string."))


def _form_data() -> dict:
    form = request.form
    return {"key": form.get("key", "").strip(), "name": form.get("name", "").strip(),
            "description": form.get("description", "").strip(),
            "title_keywords": clean_keywords(form.get("title_keywords", "").split(","))}


def _validate(data: dict) -> tuple[dict, dict[str, str]]:
    try:
        return PersonaInSchema().load(data), {}
    except ValidationError as exc:
        return data, {k: " ".join(_(m) for m in v) if isinstance(v, list) else _(str(v))
                      for k, v in exc.messages_dict.items()}  # the schema's words, translated where marked below


def _page(editing: Persona | None = None, values: dict | None = None, errors: dict | None = None,
          status: int = 200):
    counts = dict(db.session.execute(select(Prospect.persona_id, func.count()).where(Prospect.persona_id.is_not(None))
                                     .group_by(Prospect.persona_id)).all())
    rows = db.session.scalars(select(Persona).order_by(by_name(db.session, Persona.name, current()))).all()
    if values is None and editing is not None:
        values = {"key": editing.key, "name": editing.name, "description": editing.description,
                  "title_keywords": ", ".join(editing.title_keywords or [])}
    return render_template("web/people/personas.html", personas=rows, counts=counts, editing=editing,
                           values=values or {}, errors=errors or {},
                           can_manage=is_manager(current_user)), status


def _shown(data: dict) -> dict:
    return {**data, "title_keywords": ", ".join(data.get("title_keywords") or [])}


@web_bp.route("/personas")
@login_required
def personas():
    return _page()


@web_bp.post("/personas")
@roles_required(*MANAGERS)
def persona_create():
    data, errors = _validate(_form_data())
    if not errors:
        existing = db.session.scalar(select(Persona.id).where(Persona.key == data["key"]))
        if existing is not None:
            errors["key"] = _("The key %(key)s is taken.", key=repr(data["key"]))
    if errors:
        return _page(values=_shown(data), errors=errors, status=422)
    db.session.add(Persona(**data))
    db.session.commit()
    flash(_("Persona %(name)s created.", name=data["name"]), "success")
    return redirect(url_for("web.personas"))


@web_bp.route("/personas/<int:persona_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def persona_edit(persona_id: int):
    persona = db.session.get(Persona, persona_id) or abort(404, _("No such persona."))
    if request.method == "GET":
        return _page(editing=persona)
    data, errors = _validate(_form_data())
    if not errors:
        try:
            update_persona(db.session, persona, data)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            errors["key"] = say(exc.message)
    if errors:
        return _page(editing=db.session.get(Persona, persona_id), values=_shown(data), errors=errors, status=422)
    flash(_("Persona %(name)s saved.", name=persona.name), "success")
    return redirect(url_for("web.personas"))


@web_bp.post("/personas/<int:persona_id>/delete")
@roles_required(*MANAGERS)
def persona_delete(persona_id: int):
    persona = db.session.get(Persona, persona_id) or abort(404, _("No such persona."))
    name = persona.name
    try:
        delete_persona(db.session, persona)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not deleted: %(reason)s.", reason=say(exc.message)), "error")
    else:
        flash(_("Persona %(name)s deleted.", name=name), "success")
    return redirect(url_for("web.personas"))
