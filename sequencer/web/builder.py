"""Sequence builder: one-page editor (htmx fragments for step edits), save, status and live preview.

Managers and admins only, checked on every route (fragments too). The whole editor is one form;
every htmx action posts it so nothing typed is lost, and the server re-renders the steps.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from sequencer.accounts.workspace import get_workspace
from sequencer.errors import DomainError, http_status
from sequencer.extensions import db
from sequencer.models import Persona, Sequence, SequenceStatus
from sequencer.rendering import variable_paths
from sequencer.sequences import email_library
from sequencer.sequences.authoring import create_sequence, load_sequence, reached_step_ids, replace_sequence, set_status
from sequencer.web import builder_form as bf, web_bp
from sequencer.web.access import MANAGERS, roles_required
from sequencer.web.builder_preview import preview_context, prospect_options
from sequencer.web.locale import current, say
from sequencer.web.pages import humanize
from sequencer.web.refusals import flash_refusal

STATUS_ACTIONS = {"activate": SequenceStatus.ACTIVE, "pause": SequenceStatus.PAUSED,
                  "archive": SequenceStatus.ARCHIVED}


def _load(sequence_id: int) -> Sequence:
    try:
        return load_sequence(db.session, sequence_id)
    except DomainError:
        abort(404, _("No such sequence."))


def locked_positions(seq: Sequence | None) -> set[int]:
    if seq is None:
        return set()
    reached = reached_step_ids(db.session, seq)
    return {s.position for s in seq.steps if s.id in reached}


def _personas() -> list[Persona]:
    return list(db.session.scalars(select(Persona).order_by(Persona.name)))


def _form_state(seq: Sequence | None) -> tuple[dict, list]:
    locked = locked_positions(seq)
    return bf.state_from_form(request.form, bf.stored_steps(seq), locked)


def _context(seq: Sequence | None, state: dict, errors: bf.Errors, **extra) -> dict:
    last_locked = max((i for i, s in enumerate(state["steps"], 1) if s["locked"]), default=0)
    return {"seq": seq, "state": state, "errors": errors, "last_locked": last_locked,
            "personas": _personas(), "step_types": bf.STEP_TYPES, "step_labels": bf.STEP_LABELS,
            "days": bf.DAYS, "countries": bf.HOLIDAY_COUNTRIES, "timezones": bf.TIMEZONES,
            "library": email_library.list_templates(), "variables": variable_paths(),
            "steps_url": (url_for("web.builder_steps_edit", sequence_id=seq.id) if seq
                          else url_for("web.builder_steps_new")),
            "preview_url": (url_for("web.builder_preview_edit", sequence_id=seq.id) if seq
                            else url_for("web.builder_preview_new")),
            **extra}


def _editor(seq: Sequence | None, state: dict, errors: bf.Errors | None = None, status: int = 200):
    errors = errors or bf.Errors()
    return render_template("web/sequences/builder.html", prospects=prospect_options(""),
                           **_context(seq, state, errors)), status


@web_bp.route("/sequences/new")
@roles_required(*MANAGERS)
def builder_new():
    return _editor(None, bf.blank_state(get_workspace(db.session).default_schedule))


@web_bp.route("/sequences/<int:sequence_id>/edit")
@roles_required(*MANAGERS)
def builder_edit(sequence_id: int):
    seq = _load(sequence_id)
    return _editor(seq, bf.state_from_sequence(seq, locked_positions(seq)))


@web_bp.post("/sequences/new")
@roles_required(*MANAGERS)
def builder_create():
    return _save(None)


@web_bp.post("/sequences/<int:sequence_id>/edit")
@roles_required(*MANAGERS)
def builder_save(sequence_id: int):
    return _save(_load(sequence_id))


def _save(seq: Sequence | None):
    state, problems = _form_state(seq)
    if not state["name"]:
        problems.insert(0, {"field": "name", "message": _("give the sequence a name")})
    if problems:
        return _editor(seq, state, bf.Errors(problems), 422)
    try:
        if seq is None:
            saved = create_sequence(db.session, bf.payload(state), current_user.id)
        else:
            saved = replace_sequence(db.session, seq, bf.payload(state))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if http_status(exc) not in (409, 422):
            raise
        details = exc.details or [{"message": exc.message}]
        if http_status(exc) == 409:
            details = [{**d, "message": _("step %(step)s %(problem)s", step=d["step"], problem=say(d["message"]))}
                       if "step" in d else d for d in details]
        seq = _load(seq.id) if seq is not None else None
        return _editor(seq, state, bf.Errors(details), http_status(exc))
    flash(_("Saved “%(name)s”.", name=saved.name), "success")
    return redirect(url_for("web.builder_edit", sequence_id=saved.id))


# ---- htmx fragments -------------------------------------------------------------------------------

@web_bp.post("/sequences/new/steps")
@roles_required(*MANAGERS)
def builder_steps_new():
    return _steps_action(None)


@web_bp.post("/sequences/<int:sequence_id>/edit/steps")
@roles_required(*MANAGERS)
def builder_steps_edit(sequence_id: int):
    return _steps_action(_load(sequence_id))


def _steps_action(seq: Sequence | None):
    """Apply one editor action (`action=add:call`, `up:2`, `delete:1`, `add_variant:0` ...) and re-render the steps."""
    state, _ = _form_state(seq)
    focus = apply_action(state, request.form.get("action", ""), request.form)
    bf.normalise(state)
    return render_template("web/sequences/_builder_steps.html", focus=focus, **_context(seq, state, bf.Errors()))


def apply_action(state: dict, action: str, form) -> str | None:
    """Mutate the editor state; returns the id of the element to focus afterwards."""
    steps = state["steps"]
    name, _, arg = action.partition(":")
    parts = arg.split(":")

    def step_at(i: int) -> dict | None:
        return steps[i] if 0 <= i < len(steps) and not steps[i]["locked"] else None

    def idx(n: int) -> int:
        try:
            return int(parts[n])
        except (IndexError, ValueError):
            return -1

    last_locked = max((i for i, s in enumerate(steps) if s["locked"]), default=-1)
    if name == "add":
        steps.append(bf.new_step(arg, steps))
        return f"steps-{len(steps) - 1}-wait_days"
    i = idx(0)
    step = step_at(i)
    if step is None:
        return None
    if name in ("up", "down"):
        j = i - 1 if name == "up" else i + 1
        if min(i, j) > last_locked and 0 <= j < len(steps):
            steps[i], steps[j] = steps[j], steps[i]
            return f"move-{name}-{j}"
    elif name == "delete" and i > last_locked:
        del steps[i]
        return "add-step-auto_email"
    elif name == "add_variant" and bf.is_email(step):
        step["variants"].append(bf.new_variant(step["variants"]))
        return f"steps-{i}-variants-{len(step['variants']) - 1}-subject"
    elif name == "remove_variant" and len(step["variants"]) > 1 and 0 <= idx(1) < len(step["variants"]):
        del step["variants"][idx(1)]
    elif name in ("add_persona", "remove_persona", "library") and 0 <= idx(1) < len(step["variants"]):
        variant = step["variants"][idx(1)]
        prefix = f"steps-{i}-variants-{idx(1)}"
        if name == "add_persona":
            key = form.get(f"{prefix}-new_persona", "")
            if key and db.session.scalars(select(Persona.key).where(Persona.key == key)).first():
                variant["by_persona"].setdefault(key, {"subject": "", "body": ""})
                return f"{prefix}-persona-{key}-subject"
        elif name == "remove_persona":
            variant["by_persona"].pop(parts[2] if len(parts) > 2 else "", None)
        else:
            persona = parts[2] if len(parts) > 2 else ""
            field = f"{prefix}-persona-{persona}-library" if persona else f"{prefix}-library"
            template = email_library.get(form.get(field, ""))
            if template is not None:
                target = variant["by_persona"].get(persona) if persona else variant
                if target is not None:
                    target["subject"] = "" if step["thread"] else template.subject
                    target["body"] = template.body
                    return f"{prefix}-persona-{persona}-body" if persona else f"{prefix}-body"
    return None


@web_bp.get("/sequences/builder/prospects")
@roles_required(*MANAGERS)
def builder_prospects():
    return render_template("web/sequences/_builder_prospect_options.html",
                           prospects=prospect_options(request.args.get("preview_q", "")),
                           selected=None)


@web_bp.post("/sequences/new/preview")
@roles_required(*MANAGERS)
def builder_preview_new():
    return _preview(None)


@web_bp.post("/sequences/<int:sequence_id>/edit/preview")
@roles_required(*MANAGERS)
def builder_preview_edit(sequence_id: int):
    return _preview(_load(sequence_id))


def _preview(seq: Sequence | None):
    state, problems = _form_state(seq)
    ctx = preview_context(state, problems, request.form)
    return render_template("web/sequences/_builder_preview.html", **ctx), ctx.get("status", 200)


# ---- status -----------------------------------------------------------------------------------------

@web_bp.post("/sequences/<int:sequence_id>/status")
@roles_required(*MANAGERS)
def builder_status(sequence_id: int):
    seq = _load(sequence_id)
    action = request.form.get("action", "")
    if action not in STATUS_ACTIONS:
        abort(400, _("Unknown status action."))
    try:
        set_status(db.session, seq, STATUS_ACTIONS[action])
        db.session.commit()
        flash(_("“%(name)s” is now %(status)s.", name=seq.name, status=humanize(seq.status).lower() if current() != "en" else seq.status.value), "success")
    except DomainError as exc:
        flash_refusal(exc, as_sentence=True)
    back = "web.builder_edit" if request.form.get("back") == "edit" else "web.sequence_detail"
    return redirect(url_for(back, sequence_id=sequence_id))
