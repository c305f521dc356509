"""Who is enrolled in one sequence: each enrolment's status, the step it has reached and when its next step is due,
filterable by status and searchable, for the sequence page (one query per page; sorting by whitelisted keys)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from sequencer.errors import Invalid
from sequencer.models import Company, Enrollment, EnrollmentStatus, Prospect, StepRun, StepRunState
from sequencer.texts import tr

WAITING = (StepRunState.SCHEDULED, StepRunState.TASK_OPEN, StepRunState.HELD, StepRunState.SENDING)

next_due = (select(func.min(StepRun.due_at)).where(StepRun.enrollment_id == Enrollment.id,
                                                   StepRun.state.in_(WAITING))
            .correlate(Enrollment).scalar_subquery().label("next_due"))
reached = (select(func.max(StepRun.position)).where(StepRun.enrollment_id == Enrollment.id)
           .correlate(Enrollment).scalar_subquery().label("reached"))

SORTS = {"name": (func.lower(Prospect.last_name), func.lower(Prospect.first_name)), "status": (Enrollment.status,),
         "step": (reached,), "next": (next_due,), "enrolled": (Enrollment.created_at,)}
TIEBREAK = (Enrollment.id,)


@dataclass
class RosterFilters:
    status: str = ""
    q: str = ""

    def __post_init__(self) -> None:
        self.q = self.q.strip()[:200]
        if self.status and self.status not in {s.value for s in EnrollmentStatus}:
            raise Invalid.of([{"field": "status",
                               "message": tr("must be one of %(choices)s",
                                           choices=", ".join(s.value for s in EnrollmentStatus))}])

    def args(self) -> dict[str, str]:
        return {k: v for k, v in (("status", self.status), ("q", self.q)) if v}


def roster_query(sequence_id: int, filters: RosterFilters) -> Select:
    """(Enrollment, Prospect, company name, step reached, next due) rows, by prospect name unless sorted."""
    stmt = (select(Enrollment, Prospect, Company.name, reached, next_due)
            .join(Prospect, Prospect.id == Enrollment.prospect_id)
            .outerjoin(Company, Company.id == Prospect.company_id)
            .where(Enrollment.sequence_id == sequence_id))
    if filters.status:
        stmt = stmt.where(Enrollment.status == EnrollmentStatus(filters.status))
    if filters.q:
        needle = filters.q.lower()
        name = func.lower(Prospect.first_name + " " + Prospect.last_name)
        stmt = stmt.where(or_(*(c.contains(needle, autoescape=True) for c in (
            name, Prospect.email_normalized, func.lower(func.coalesce(Company.name, ""))))))
    return stmt.order_by(*SORTS["name"], *TIEBREAK)

