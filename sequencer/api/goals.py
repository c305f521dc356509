"""Goals and KPIs: parse → call sequencer.goals → serialise (plans and pace are computed on every read)."""
from __future__ import annotations

from flask import jsonify, request

from sequencer.accounts.permissions import MANAGERS
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json, require_roles
from sequencer.api.goal_schemas import (
    GoalInSchema,
    GoalPlanSchema,
    GoalSchema,
    GoalSummarySchema,
    KpisSchema,
    WhatIfInSchema,
)
from sequencer.extensions import db
from sequencer.goals import kpi_query, kpis, service, views
from sequencer.platform import clock


@api_bp.post("/goals")
@require_roles(*MANAGERS)
def create_goal_endpoint():
    """Set a goal.
    ---
    post:
      summary: A revenue or deals target for a period, for the team (owner_id null) or one rep (managers)
      tags: [Goals]
      requestBody: {required: true, content: {application/json: {schema: GoalInSchema}}}
      responses:
        201: {content: {application/json: {schema: GoalSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(GoalInSchema())
    raw = request.get_json(silent=True) or {}
    data["assumptions"], data["weights"] = raw.get("assumptions"), raw.get("weights")
    now = clock.now()
    goal = service.create_goal(db.session, current_api_user(), data, now)
    db.session.commit()
    return jsonify(GoalSchema().dump(views.goal_with_pace(db.session, goal, now))), 201


@api_bp.get("/goals")
def list_goals_endpoint():
    """List goals.
    ---
    get:
      summary: The goals this user may see (a rep the team's and their own), latest period first
      tags: [Goals]
      responses:
        200: {content: {application/json: {schema: {type: array, items: GoalSummarySchema}}}}
    """
    return jsonify(GoalSummarySchema(many=True).dump(views.visible_goals(db.session, current_api_user())))


@api_bp.get("/goals/<int:goal_id>")
def get_goal_endpoint(goal_id: int):
    """One goal with its plan and pace.
    ---
    get:
      summary: Target, the reverse funnel as low/mid/high, measured rates with 95% intervals, per-rep load, pace
      tags: [Goals]
      responses:
        200: {content: {application/json: {schema: GoalSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    goal = views.visible_goal(db.session, current_api_user(), goal_id)
    return jsonify(GoalSchema().dump(views.goal_with_pace(db.session, goal, clock.now())))


@api_bp.post("/goals/<int:goal_id>/what-if")
def goal_what_if_endpoint(goal_id: int):
    """Try other numbers on a goal.
    ---
    post:
      summary: The plan with some rates, the deal size or the target changed; nothing is stored
      tags: [Goals]
      requestBody: {required: true, content: {application/json: {schema: WhatIfInSchema}}}
      responses:
        200: {content: {application/json: {schema: GoalPlanSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    load_json(WhatIfInSchema())
    goal = views.visible_goal(db.session, current_api_user(), goal_id)
    raw = request.get_json(silent=True) or {}
    return jsonify(GoalPlanSchema().dump(views.what_if(db.session, goal, raw, clock.now())))


@api_bp.get("/kpis")
def kpis_endpoint():
    """Sales KPIs.
    ---
    get:
      summary: Conversion per stage, average deal, cycle, win rate, coverage, activity per rep, speed to lead, CAC
      description: >-
        `from` and `to` are dates (default: this quarter so far); `owner` a user id (a rep always gets
        their own numbers); `currency` the deals' currency (default EUR).
      tags: [Goals]
      parameters:
        - {name: from, in: query, schema: {type: string, format: date}}
        - {name: to, in: query, schema: {type: string, format: date}}
        - {name: owner, in: query, schema: {type: integer}}
        - {name: currency, in: query, schema: {type: string}}
      responses:
        200: {content: {application/json: {schema: KpisSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
    """
    now = clock.now()
    query = kpi_query.parse(request.args, current_api_user(), now.date())
    return jsonify(KpisSchema().dump(kpis.kpis(db.session, query)))
