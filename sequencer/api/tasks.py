"""Tasks: the rep's queue over the API, every outcome moving the enrolment on; managers reassign."""
from __future__ import annotations

from flask import current_app, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import select

from sequencer.accounts.permissions import MANAGERS, is_manager
from sequencer.api import api_bp
from sequencer.api.common import _flatten, current_api_user, load_json, require_roles
from sequencer.api.dump_fields import With
from sequencer.api.errors import ApiError
from sequencer.api.pagination import fetch, page_args, paged_response, paginated
from sequencer.api.task_schemas import (
    BulkInSchema,
    CompleteInSchema,
    EmailSendInSchema,
    NoteInSchema,
    ReassignInSchema,
    SkipInSchema,
    SnoozeInSchema,
    TaskListQuerySchema,
    TaskSchema,
)
from sequencer.extensions import db
from sequencer.mail.sending import settings_for
from sequencer.models import Task, User
from sequencer.platform import clock
from sequencer.tasks.manual_email import draft, send
from sequencer.tasks.outcomes import add_note, bulk, complete, load_task, reassign, skip, snooze
from sequencer.tasks.queue import Filters, bucket_counts, bucket_page, step_context, team_counts
from sequencer.tasks.undo import undo


def _owner(value: str) -> User:
    me = current_api_user()
    if value == "me":
        return me
    if not value.isdigit():
        raise ApiError(422, "validation_error", "owner: me or a user id", [{"field": "owner", "message": "me or a user id"}])
    user = db.session.get(User, int(value))
    if user is None:
        raise ApiError(404, "not_found", f"no user {value}")
    if user.id != me.id and not is_manager(me):
        raise ApiError(403, "forbidden", "reps see their own tasks")
    return user


def _dump(tasks: list[Task], steps: dict) -> list[dict]:
    return TaskSchema(many=True).dump([With(t, step_position=steps.get(t.id, (None,))[0]) for t in tasks])


def _one(task: Task) -> dict:
    return _dump([task], step_context(db.session, [task]))[0]


def _committed(body: dict):
    """Answer with what was written, dumped before the commit: after it every row is expired and read again."""
    db.session.commit()
    return jsonify(body)


@api_bp.get("/tasks")
@paginated
def list_tasks_endpoint():
    """List tasks.
    ---
    get:
      summary: Open tasks of one owner in a bucket (today, overdue, upcoming in the owner's time zone, or all)
      description: Sorted by priority (lower is more urgent), then due moment.
      tags: [Tasks]
      parameters: [{in: query, schema: TaskListQuerySchema}]
      responses:
        200: {content: {application/json: {schema: {type: array, items: TaskSchema}}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    page = page_args()
    try:
        args = TaskListQuerySchema().load({k: v for k, v in request.args.items() if k not in ("page", "per_page")})
    except ValidationError as exc:
        raise ApiError(422, "validation_error", "invalid query", _flatten(exc.messages)) from None
    owner = _owner(args["owner"])
    now = args["as_of"] or clock.now()
    filters = Filters(args["type"], args["sequence_id"])
    tasks, context = bucket_page(db.session, owner, args["bucket"], now, filters,
                                 limit=page.per_page, offset=page.offset)
    counts = bucket_counts(db.session, owner, now, filters)  # one SQL count per call, all buckets at once
    total = sum(counts.values()) if args["bucket"] == "all" else counts[args["bucket"]]
    return paged_response(_dump(tasks, context), page, total)


@api_bp.post("/tasks/<int:task_id>/complete")
def complete_task_endpoint(task_id: int):
    """Complete a task.
    ---
    post:
      summary: Complete with an outcome and notes; the enrolment moves on (or exits on meeting_booked, not_interested, wrong_person)
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: CompleteInSchema}}}
      responses:
        200: {content: {application/json: {schema: TaskSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(CompleteInSchema())
    task = load_task(db.session, task_id, current_api_user(), for_update=True)
    complete(db.session, task, current_api_user(), data["outcome"], data["notes"], clock.now(), data["referral"])
    return _committed(_one(task))


@api_bp.post("/tasks/<int:task_id>/skip")
def skip_task_endpoint(task_id: int):
    """Skip a task.
    ---
    post:
      summary: Skip with a reason; a sequence step moves on as if done
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: SkipInSchema}}}
      responses:
        200: {content: {application/json: {schema: TaskSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(SkipInSchema())
    task = load_task(db.session, task_id, current_api_user(), for_update=True)
    skip(db.session, task, current_api_user(), data["reason"], clock.now())
    return _committed(_one(task))


@api_bp.post("/tasks/<int:task_id>/undo")
def undo_task_endpoint(task_id: int):
    """Undo completing or skipping a task.
    ---
    post:
      summary: Reopen a task closed in the last few seconds (not one whose outcome ended the enrolment); its sequence step is open again
      tags: [Tasks]
      responses:
        200: {content: {application/json: {schema: TaskSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    task = load_task(db.session, task_id, current_api_user(), for_update=True)
    undo(db.session, task, current_api_user(), clock.now())
    return _committed(_one(task))


@api_bp.post("/tasks/<int:task_id>/snooze")
def snooze_task_endpoint(task_id: int):
    """Snooze a task.
    ---
    post:
      summary: Move the task's due moment to `until` (in the future)
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: SnoozeInSchema}}}
      responses:
        200: {content: {application/json: {schema: TaskSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(SnoozeInSchema())
    task = load_task(db.session, task_id, current_api_user(), for_update=True)
    snooze(db.session, task, current_api_user(), data["until"], clock.now())
    return _committed(_one(task))


@api_bp.post("/tasks/<int:task_id>/notes")
def note_task_endpoint(task_id: int):
    """Add a note.
    ---
    post:
      summary: Append a note to the task (and the prospect's timeline)
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: NoteInSchema}}}
      responses:
        200: {content: {application/json: {schema: TaskSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(NoteInSchema())
    task = load_task(db.session, task_id, current_api_user())
    add_note(db.session, task, current_api_user(), data["note"], clock.now())
    return _committed(_one(task))


@api_bp.post("/tasks/bulk")
def bulk_tasks_endpoint():
    """Bulk-complete or bulk-skip.
    ---
    post:
      summary: Complete (with one outcome) or skip (with one reason) many tasks; closed ones are listed as refused
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: BulkInSchema}}}
      responses:
        200: {content: {application/json: {schema: BulkResultSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(BulkInSchema())
    result = bulk(db.session, data["ids"], current_api_user(), clock.now(), action=data["action"],
                  outcome=data["outcome"], reason=data["reason"])
    db.session.commit()
    return jsonify(result)


@api_bp.post("/tasks/reassign")
@require_roles(*MANAGERS)
def reassign_tasks_endpoint():
    """Reassign tasks.
    ---
    post:
      summary: Give open tasks to another user (managers and admins)
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: ReassignInSchema}}}
      responses:
        200: {content: {application/json: {schema: ReassignResultSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(ReassignInSchema())
    moved = reassign(db.session, data["ids"], data["owner_id"], current_api_user(), clock.now())
    db.session.commit()
    return jsonify({"reassigned": moved})


@api_bp.get("/tasks/<int:task_id>/email")
def email_draft_endpoint(task_id: int):
    """The manual email's draft.
    ---
    get:
      summary: The step rendered for this prospect (persona content of the chosen variant), or the rep's saved edit
      tags: [Tasks]
      responses:
        200: {content: {application/json: {schema: EmailDraftSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
    """
    task = load_task(db.session, task_id, current_api_user())
    return jsonify(draft(db.session, task, current_app.config["BASE_URL"]))


@api_bp.post("/tasks/<int:task_id>/email")
def email_send_endpoint(task_id: int):
    """Send the manual email.
    ---
    post:
      summary: Send the rep's edit through the sending pipeline (tracking, threading, unsubscribe); closes the task
      tags: [Tasks]
      requestBody: {required: true, content: {application/json: {schema: EmailSendInSchema}}}
      responses:
        200: {content: {application/json: {schema: EmailSentSchema}}}
        403: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
        409: {content: {application/json: {schema: ErrorSchema}}}
        422: {content: {application/json: {schema: ErrorSchema}}}
    """
    data = load_json(EmailSendInSchema())
    task = load_task(db.session, task_id, current_api_user(), for_update=True)
    run = send(db.session, task, current_api_user(), data["subject"], data["body"], settings_for(current_app.config),
               clock.now())
    task = db.session.get_one(Task, task_id)
    return jsonify({"task": _one(task), "message_id": run.message_id, "subject": run.subject})


@api_bp.get("/tasks/team")
@paginated
@require_roles(*MANAGERS)
def team_tasks_endpoint():
    """The team's queue counts.
    ---
    get:
      summary: Per rep, open, overdue and completed-today task counts (managers and admins)
      tags: [Tasks]
      responses:
        200: {content: {application/json: {schema: {type: array, items: TeamRowSchema}}}}
    """
    page = page_args()
    users, total = fetch(db.session, select(User).where(User.active.is_(True)).order_by(User.name, User.id), page)
    return paged_response(team_counts(db.session, users, clock.now()), page, total)
