"""Sales-ready: crossing the threshold hands the prospect to its owner once per crossing, however many
workers score it at once (the conditional UPDATE wins the crossing, the task's dedupe key refuses a second).
Set-based: a re-score that makes thousands sales-ready takes a few statements, not thousands."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sequencer.accounts.locales import locales_of
from sequencer.errors import DomainError
from sequencer.models import Enrollment, EnrollmentStatus, Event, Prospect, ScoreEntry, Sequence, Task, User
from sequencer.models.tasks import TaskStatus, TaskType
from sequencer.outreach.enrol import enroll
from sequencer.outreach.enrollment import exit_enrollment
from sequencer.platform.i18n import gettext_in, localized
from sequencer.scoring.config import Rules
from sequencer.scoring.explain import DEFAULT_LABELS
from sequencer.scoring.sql import among, is_pg

LIVE = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def ready(rules: Rules, fit: int, engagement: int) -> bool:
    """Engagement at the threshold, and fit at its grade when the workspace set one."""
    return engagement >= rules.threshold and (rules.fit_threshold is None or fit >= rules.fit_threshold)


def reasons(session: Session, ids: list[int], rules: Rules, limit: int = 3) -> dict[int, list[str]]:
    """The rules that paid each prospect most, as people read them: ["demo request", "pricing page"]."""
    e = ScoreEntry
    total = func.sum(e.points)
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pid, key, points in session.execute(select(e.prospect_id, e.rule_key, total).where(
            among(session, e.prospect_id, ids), e.kind == "engagement").group_by(e.prospect_id, e.rule_key)
            .having(total > 0)):
        out[pid].append((-int(points), key))
    return {pid: [rules.label(key) for _, key in sorted(pairs)[:limit]] for pid, pairs in out.items()}


def _flip(session: Session, ids: list[int], to: bool, now: datetime) -> list[tuple[int, int]]:
    """Flip the flag where it is still the other way; (id, crossing number) of the rows this writer flipped."""
    if not ids:
        return []
    p = Prospect
    values: dict[str, Any] = ({"sales_ready": True, "sales_ready_at": now, "sales_ready_crossings": p.sales_ready_crossings + 1}
              if to else {"sales_ready": False})
    values["updated_at"] = p.updated_at  # not an edit of the prospect
    stmt = (update(p).where(among(session, p.id, ids), p.sales_ready.is_(not to)).values(**values)
            .returning(p.id, p.sales_ready_crossings).execution_options(synchronize_session=False))
    return [(pid, crossing) for pid, crossing in session.execute(stmt)]


def settle(session: Session, ids: list[int], rules: Rules, now: datetime) -> tuple[list[int], list[int]]:
    """Flip the sales-ready flag where the scores say so; hand off each new crossing."""
    p = Prospect
    rows = session.execute(select(p.id, p.score_fit, p.score_engagement, p.sales_ready)
                           .where(among(session, p.id, ids))).all()
    up = [pid for pid, fit, eng, is_ready in rows if not is_ready and ready(rules, fit, eng)]
    down = [pid for pid, fit, eng, is_ready in rows if is_ready and not ready(rules, fit, eng)]
    crossed = _flip(session, up, True, now)
    dropped = [pid for pid, _ in _flip(session, down, False, now)]
    if dropped:
        session.execute(insert(Event), [{"kind": "sales_ready_dropped", "occurred_at": now, "prospect_id": pid,
                                         "payload": {}} for pid in dropped])
    if crossed:
        hand_off(session, crossed, rules, now)
    return [pid for pid, _ in crossed], dropped


def _tasks(session: Session, crossed: list[tuple[int, int]], rules: Rules, now: datetime) -> list[tuple[int, int]]:
    """Insert the owners' priority tasks; (prospect id, task id) for those this writer created."""
    ids = [pid for pid, _ in crossed]
    why = reasons(session, ids, rules)
    people = {row.id: row for row in session.execute(
        select(Prospect.id, Prospect.first_name, Prospect.last_name, Prospect.email, Prospect.owner_id,
               Prospect.score_engagement, Prospect.score_fit).where(among(session, Prospect.id, ids)))}
    rows = []
    locales = locales_of(session, [people[pid].owner_id for pid, _ in crossed])  # each task in its owner's language
    for pid, crossing in crossed:
        person = people[pid]
        name = f"{person.first_name} {person.last_name}".strip() or person.email
        lang = locales[person.owner_id]
        because = " + ".join(localized(DEFAULT_LABELS.get(w, w), lang) for w in why.get(pid, [])) \
            or gettext_in(lang, "score threshold reached")
        rows.append({"type": TaskType.SALES_READY, "status": TaskStatus.OPEN, "owner_id": person.owner_id,
                     "prospect_id": pid, "due_at": now, "priority": 1, "created_at": now,
                     "dedupe_key": f"sales_ready:{pid}:{crossing}",
                     "title": gettext_in(lang, "%(name)s is sales-ready: %(why)s", name=name, why=because)[:300],
                     "instructions": gettext_in(lang, "Engagement %(engagement)s, fit %(fit)s. Call or email while "
                                                      "the interest is fresh.", engagement=person.score_engagement,
                                                fit=person.score_fit)})
    dialect = postgresql if is_pg(session) else sqlite
    stmt = dialect.insert(Task).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return [(pid, tid) for tid, pid in session.execute(
        stmt.returning(Task.id, Task.prospect_id, sort_by_parameter_order=True), rows)]


def hand_off(session: Session, crossed: list[tuple[int, int]], rules: Rules, now: datetime) -> None:
    """The owners' priority tasks, the `sales_ready` events, and the optional sequence moves."""
    made = _tasks(session, crossed, rules, now)  # a task another worker made already is skipped, and so is the rest
    crossing = dict(crossed)
    if made:
        session.execute(insert(Event), [{"kind": "sales_ready", "occurred_at": now, "prospect_id": pid, "task_id": tid,
                                         "payload": {"crossing": crossing[pid]}} for pid, tid in made])
    if made and (rules.handoff.get("sequence_id") or rules.handoff.get("exit_sequence_id")):
        for pid, _ in made:
            _move_sequences(session, pid, rules, now)


def _move_sequences(session: Session, pid: int, rules: Rules, now: datetime) -> None:
    """Out of the nurture sequence, into the sales one; a sequence that refuses is skipped, not fatal."""
    exit_id, enrol_id = rules.handoff.get("exit_sequence_id"), rules.handoff.get("sequence_id")
    if exit_id:
        for enrollment in session.scalars(select(Enrollment).where(
                Enrollment.prospect_id == pid, Enrollment.sequence_id == exit_id, Enrollment.status.in_(LIVE))):
            exit_enrollment(session, enrollment, now, "sales_ready")
    prospect = session.get(Prospect, pid)
    sequence = session.get(Sequence, enrol_id) if enrol_id else None
    owner = session.get(User, prospect.owner_id) if prospect and prospect.owner_id else None
    if sequence is not None and owner is not None:
        try:
            with session.begin_nested():
                enroll(session, sequence, [pid], actor=owner, now=now)
        except DomainError:
            pass
