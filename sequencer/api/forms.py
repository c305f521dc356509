"""Website forms for managers, and their submissions: parse → call sequencer.forms → serialise."""
from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import select

from sequencer.accounts.permissions import MANAGERS, is_manager
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.form_schemas import FormInSchema, FormSchema, FormSubmissionSchema
from sequencer.api.pagination import count, page_args, paged_response, paginated
from sequencer.extensions import db
from sequencer.forms import definitions
from sequencer.models import Form, FormSubmission


def _dump(form: Form) -> dict:
    out = {c: getattr(form, c) for c in ("id", "key", "name", "kind", "fields", "allowed_origins", "double_opt_in",
                                          "sequence_id", "welcome_sequence_id", "routing", "escalation",
                                          "consent_text", "consent_version", "thank_you", "redirect_url",
                                          "content_url", "booking_url", "created_at")}
    return FormSchema().dump({**out, **definitions.urls(form, current_app.config["BASE_URL"])})


def _body() -> dict:
    data = load_json(FormInSchema())
    data["fields"] = data.pop("fields_")
    routing = data.get("routing") or {}
    routing["rules"] = [{**r, "in": r.pop("values")} for r in routing.get("rules", [])]
    return data


@api_bp.post("/forms")
@require_roles(*MANAGERS)
def create_form_endpoint():
    """Build a website form.
    ---
    post:
      summary: A new form (managers); the answer has its hosted URL and the embed snippet
      tags: [Forms]
      requestBody: {required: true, content: {application/json: {schema: FormInSchema}}}
      responses:
        201: {content: {application/json: {schema: FormSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    form = definitions.create(db.session, _body(), current_api_user())
    db.session.commit()
    return jsonify(_dump(form)), 201


@api_bp.get("/forms")
def list_forms_endpoint():
    """The workspace's forms.
    ---
    get:
      summary: Every form with its hosted URL and embed snippet
      tags: [Forms]
      responses:
        200: {content: {application/json: {schema: {type: array, items: FormSchema}}}}
    """
    return jsonify([_dump(f) for f in definitions.listing(db.session)])


@api_bp.get("/forms/<int:form_id>")
def get_form_endpoint(form_id: int):
    """One form.
    ---
    get:
      summary: One form with its hosted URL and embed snippet
      tags: [Forms]
      responses:
        200: {content: {application/json: {schema: FormSchema}}}
    """
    return jsonify(_dump(definitions.get(db.session, form_id)))


@api_bp.put("/forms/<int:form_id>")
@require_roles(*MANAGERS)
def update_form_endpoint(form_id: int):
    """Replace a form's definition.
    ---
    put:
      summary: Replace the definition (managers); changed consent text gets a new consent version
      tags: [Forms]
      requestBody: {required: true, content: {application/json: {schema: FormInSchema}}}
      responses:
        200: {content: {application/json: {schema: FormSchema}}}
    """
    form = definitions.update(db.session, definitions.get(db.session, form_id), _body(), current_api_user())
    db.session.commit()
    return jsonify(_dump(form))


@api_bp.get("/forms/<int:form_id>/submissions")
@paginated
def list_form_submissions_endpoint(form_id: int):
    """A form's submissions, newest first.
    ---
    get:
      summary: Submissions as received, with the flags, the owner chosen and why; reps see the leads they own
      tags: [Forms]
      responses:
        200: {content: {application/json: {schema: {type: array, items: FormSubmissionSchema}}}}
    """
    definitions.get(db.session, form_id)
    user = current_api_user()
    query = select(FormSubmission).where(FormSubmission.form_id == form_id).order_by(FormSubmission.id.desc())
    if not is_manager(user):
        query = query.where(FormSubmission.owner_id == user.id)
    page = page_args()
    items = list(db.session.scalars(page.cut(query)))
    return paged_response(FormSubmissionSchema(many=True).dump(items), page, count(db.session, query))
