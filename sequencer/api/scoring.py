"""Activities in, a prospect's score with its ledger, and the scoring rules (managers edit, with a dry run)."""
from __future__ import annotations

from flask import jsonify, request

from sequencer.accounts.permissions import MANAGERS
from sequencer.api import api_bp
from sequencer.api.common import current_api_user, require_roles
from sequencer.api.errors import ApiError
from sequencer.api.scoring_schemas import ActivityReceiptSchema, DryRunSchema, ScoreSchema, ScoringSchema
from sequencer.extensions import db, redis_store
from sequencer.models import Prospect
from sequencer.platform import clock
from sequencer.scoring import config, explain, ingest, rescore


def _prospect(prospect_id: int) -> Prospect:
    prospect = db.session.get(Prospect, prospect_id)
    if prospect is None:
        raise ApiError(404, "not_found", f"no prospect {prospect_id}")
    return prospect


@api_bp.post("/activities")
def post_activities_endpoint():
    """Record activities.
    ---
    post:
      summary: One activity, or {"activities":[...]} (at most 1,000); each item is checked on its own
      description: >-
        Idempotent on `external_id`. An unknown kind, a time in the future or more than two years back,
        an unknown prospect_id or items beyond 1,000 are refused one by one in `errors` while the good
        items are stored and scored at once. An email that matches no prospect is kept as anonymous and
        attached when that prospect is created (API, UI, import, forms).
      tags: [Scoring]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - {$ref: '#/components/schemas/ActivityIn'}
                - {$ref: '#/components/schemas/ActivityBatchIn'}
      responses:
        202: {content: {application/json: {schema: ActivityReceiptSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "the body must be a JSON object",
                       [{"field": "", "message": "one activity or {\"activities\": [...]}"}])
    result = ingest.receive(db.session, ingest.items_of(body), clock.now())
    db.session.commit()
    return jsonify(ActivityReceiptSchema().dump(result.summary())), 202


@api_bp.get("/prospects/<int:prospect_id>/score")
def prospect_score_endpoint(prospect_id: int):
    """A prospect's score.
    ---
    get:
      summary: Fit and engagement with every ledger line behind them
      tags: [Scoring]
      responses:
        200: {content: {application/json: {schema: ScoreSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(ScoreSchema().dump(explain.score_of(db.session, _prospect(prospect_id))))


@api_bp.get("/scoring")
def get_scoring_endpoint():
    """The scoring rules.
    ---
    get:
      summary: The rules in force (version 0 = the playbook's defaults)
      tags: [Scoring]
      responses:
        200: {content: {application/json: {schema: ScoringSchema}}}
    """
    return jsonify(ScoringSchema().dump(config.current(db.session).as_dict()))


@api_bp.put("/scoring")
@require_roles(*MANAGERS)
def put_scoring_endpoint():
    """Replace the scoring rules.
    ---
    put:
      summary: Replace the rules (managers); `?dry_run=1` only counts who would change
      description: >-
        A new version; every prospect is then re-scored from its activities (within the request up to
        5,000 prospects, else by a job). With `dry_run=1` nothing changes and the answer is
        {would_become_sales_ready, would_stop_being_sales_ready}.
      tags: [Scoring]
      parameters:
        - {name: dry_run, in: query, schema: {type: string, enum: ["0", "1", "true", "false"]}}
      requestBody: {required: true, content: {application/json: {schema: ScoringSchema}}}
      responses:
        200:
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: '#/components/schemas/Scoring'}
                  - {$ref: '#/components/schemas/DryRun'}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    body = request.get_json(silent=True)
    if request.args.get("dry_run") in ("1", "true"):
        return jsonify(DryRunSchema().dump(rescore.dry_run(db.session, config.preview(db.session, body))))
    rules = config.save(db.session, body, current_api_user())
    db.session.commit()
    if rescore.count(db.session) <= rescore.INLINE_LIMIT:
        rescore.rescore_all(db.session, clock.now(), rules)
        db.session.commit()
    else:
        rescore.later(redis_store.connection())
    return jsonify(ScoringSchema().dump(rules.as_dict()))
