"""Opportunities: create, read, change (stage moves keep history) and list, with derived activity and stale flags."""
from __future__ import annotations

from flask import jsonify, request

from sequencer.accounts.permissions import MANAGERS
from sequencer.accounts.workspace import get_workspace
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.dump_fields import With
from sequencer.api.errors import ApiError
from sequencer.api.opportunity_schemas import OpportunityInSchema, OpportunitySchema, StaleRulesSchema
from sequencer.api.pagination import Page, fetch, page_args, paged_response, paginated
from sequencer.deals.activity import activity_for
from sequencer.deals.board import DealFilters, DealRow, deal_rows, deals_query, list_deals
from sequencer.deals.deals import create_opportunity, history_of, update_opportunity
from sequencer.deals.stale import assess, clean_rules, rules_of
from sequencer.extensions import db
from sequencer.models import Opportunity, Sequence
from sequencer.platform import clock


def _load(opp_id: int) -> Opportunity:
    opp = db.session.get(Opportunity, opp_id)
    if opp is None:
        raise ApiError(404, "not_found", f"no opportunity {opp_id}")
    return opp


def _one(opp: Opportunity) -> dict:
    now = clock.now()
    activity = activity_for(db.session, [opp], now)[opp.id]
    stale = assess(opp, activity, rules_of(db.session), opp.owner.timezone if opp.owner else None, now)
    return OpportunitySchema().dump(With(opp, activity=activity, stale=stale, history=history_of(db.session, opp.id)))


def _page_of_deals(filters: DealFilters, page: Page) -> tuple[list[DealRow], int]:
    """Paged in SQL; but `stale` is derived from activity, so with that filter the page is cut after it."""
    now = clock.now()
    if filters.stale is None:
        opps, total = fetch(db.session, deals_query(filters), page)
        return deal_rows(db.session, opps, now), total
    rows = list_deals(db.session, filters, now)
    return rows[page.offset:page.offset + page.per_page], len(rows)


def _body(partial: bool) -> dict:
    data = load_json(OpportunityInSchema(partial=partial))
    raw = request.get_json(silent=True) or {}
    if "bant" in data and data["bant"] is not None:
        data["bant"] = raw.get("bant")  # the service checks each letter and keeps null = unknown
    return data


@api_bp.post("/opportunities")
def create_opportunity_endpoint():
    """Create an opportunity.
    ---
    post:
      summary: Create a deal for a prospect (reps own theirs; managers may set any owner)
      description: >-
        The company comes from the prospect. `stage` defaults to prospecting; closed_lost needs
        `lost_reason`. Unknown prospect or owner, a bad currency, amount or date is a 422 naming the field.
        An account (the prospect's company, or the prospect alone) has one open deal at a time: a second
        open deal is a 409 `duplicate` with the open deal's `existing_id`.
      tags: [Opportunities]
      requestBody: {required: true, content: {application/json: {schema: OpportunityInSchema}}}
      responses:
        201: {content: {application/json: {schema: OpportunitySchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    opp = create_opportunity(db.session, _body(partial=False), current_api_user(), clock.now())
    db.session.commit()
    return jsonify(_one(opp)), 201


@api_bp.get("/opportunities/<int:opportunity_id>")
def get_opportunity_endpoint(opportunity_id: int):
    """Get an opportunity.
    ---
    get:
      summary: One deal with its stage history, last activity and stale flag
      tags: [Opportunities]
      responses:
        200: {content: {application/json: {schema: OpportunitySchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(_one(_load(opportunity_id)))


@api_bp.patch("/opportunities/<int:opportunity_id>")
def update_opportunity_endpoint(opportunity_id: int):
    """Update an opportunity.
    ---
    patch:
      summary: Change some fields; a new `stage` is recorded in the history (closed_lost needs `lost_reason`)
      description: Reps change only their own deals. Moving a closed deal back to an open stage reopens it.
      tags: [Opportunities]
      requestBody: {required: true, content: {application/json: {schema: OpportunityInSchema}}}
      responses:
        200: {content: {application/json: {schema: OpportunitySchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    opp = _load(opportunity_id)
    update_opportunity(db.session, opp, _body(partial=True), current_api_user(), clock.now())
    db.session.commit()
    return jsonify(_one(opp))


@api_bp.get("/opportunities")
@paginated
def list_opportunities_endpoint():
    """List opportunities.
    ---
    get:
      summary: Deals matching the filters, soonest expected close first
      tags: [Opportunities]
      parameters:
        - {name: stale, in: query, schema: {type: boolean}, description: "true: only stale open deals; false: only the others"}
        - {name: stage, in: query, schema: {type: string}}
        - {name: owner, in: query, schema: {type: string}, description: "a user id or `me`"}
        - {name: status, in: query, schema: {type: string, enum: [open, closed]}}
        - {name: q, in: query, schema: {type: string}, description: name contains}
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: OpportunitySchema
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    page = page_args()
    rows, total = _page_of_deals(DealFilters.from_args(request.args, me=current_api_user().id), page)
    deals = [With(r.opp, activity=r.activity, stale=r.stale) for r in rows]
    return paged_response(OpportunitySchema(many=True, exclude=("history",)).dump(deals), page, total)


def _rules_body() -> dict:
    ws = get_workspace(db.session)
    return {"rules": rules_of(db.session), "email_owner": ws.stale_email_owner,
            "reengage_sequence_id": ws.stale_sequence_id}


@api_bp.get("/stale-rules")
def get_stale_rules_endpoint():
    """Stale rules.
    ---
    get:
      summary: Days without activity after which an open deal in each stage is stale, and what the job does
      tags: [Opportunities]
      responses:
        200: {content: {application/json: {schema: StaleRulesSchema}}}
    """
    return jsonify(_rules_body())


@api_bp.put("/stale-rules")
@require_roles(*MANAGERS)
def put_stale_rules_endpoint():
    """Replace the stale rules.
    ---
    put:
      summary: Set the per-stage days (managers and admins); optional owner email and re-engagement sequence
      tags: [Opportunities]
      requestBody: {required: true, content: {application/json: {schema: StaleRulesSchema}}}
      responses:
        200: {content: {application/json: {schema: StaleRulesSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(StaleRulesSchema())
    ws = get_workspace(db.session)
    if "rules" in data:
        ws.stale_rules = clean_rules(data["rules"])
    if "email_owner" in data:
        ws.stale_email_owner = data["email_owner"]
    if "reengage_sequence_id" in data:
        sid = data["reengage_sequence_id"]
        if sid is not None and db.session.get(Sequence, sid) is None:
            raise ApiError(422, "validation_error", "reengage_sequence_id: no such sequence",
                           [{"field": "reengage_sequence_id", "message": "no such sequence"}])
        ws.stale_sequence_id = sid
    db.session.commit()
    return jsonify(_rules_body())
