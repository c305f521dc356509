"""Time off over the API: a rep's days away and what should happen to their work meanwhile."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from sequencer.api import api_bp
from sequencer.api.common import current_api_user, load_json
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.task_schemas import (
    TimeOffInSchema,
    TimeOffSchema,
)
from sequencer.extensions import db
from sequencer.models import TimeOff
from sequencer.platform import clock
from sequencer.tasks.time_off import KEEP, add_time_off, preferences_of, set_preferences


@api_bp.post("/time-off")
def add_time_off_endpoint():
    """Enter time off.
    ---
    post:
      summary: The caller's out-of-office days; tasks falling due move, emails wait
      description: >-
        `tasks` (push|reassign), `emails` (wait|delegate) and `delegate_id` set the caller's time-off
        preferences, the same ones the Time off page stores; omitted, the stored ones apply. The
        answer carries the preferences in effect.
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: TimeOffInSchema}}}
      responses:
        201: {content: {application/json: {schema: TimeOffSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(TimeOffInSchema())
    me = current_api_user()
    set_preferences(db.session, me, tasks=data.get("tasks"), emails=data.get("emails"),
                    delegate_id=data.get("delegate_id", KEEP))
    off = add_time_off(db.session, me, data["starts_on"], data["ends_on"], clock.now(), data["note"])
    db.session.commit()
    return jsonify({**TimeOffSchema().dump(off), "preferences": preferences_of(me)}), 201


@api_bp.get("/time-off")
@paginated
def list_time_off_endpoint():
    """List time off.
    ---
    get:
      summary: The caller's current and coming time off
      tags: [Tasks]
      responses:
        200: {content: {application/json: {schema: {type: array, items: TimeOffSchema}}}}
    """
    page = page_args()
    rows, total = fetch(db.session, select(TimeOff).where(TimeOff.user_id == current_api_user().id,
                                                          TimeOff.ends_on >= clock.now().date())
                        .order_by(TimeOff.starts_on, TimeOff.id), page)
    prefs = preferences_of(current_api_user())
    return paged_response([{**row, "preferences": prefs} for row in TimeOffSchema(many=True).dump(rows)], page, total)
