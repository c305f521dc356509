"""Test data builders: each returns a flushed row with sensible defaults and takes overrides."""
from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from sequencer.accounts.tokens import create_api_token
from sequencer.models import (
    Company,
    Enrollment,
    EnrollmentStatus,
    InboundMessage,
    Mailbox,
    Opportunity,
    Persona,
    Prospect,
    Role,
    Sequence,
    Stage,
    StageChange,
    Step,
    StepRun,
    StepRunState,
    Task,
    TimeOff,
    User,
    Variant,
)
from sequencer.models.sequences import StepType
from sequencer.models.tasks import TaskType
from sequencer.platform import clock
from sequencer.platform.security import hash_password

_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _password_hash(password: str) -> str:
    if password not in _hash_cache:  # hashing is deliberately slow; reuse it across tests
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


class Factory:
    def __init__(self, session: Session):
        self.session = session

    def _add(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row

    def user(self, role: str = "rep", **kw: Any) -> User:
        from tests.conftest import TEST_PASSWORD

        n = next(_seq)
        kw.setdefault("email", f"{role}{n}@example.com")
        kw.setdefault("name", f"{role.title()} {n}")
        password = kw.pop("password", TEST_PASSWORD)
        return self._add(User(role=Role(role), password_hash=_password_hash(password), **kw))

    def token(self, user: User) -> str:
        token = create_api_token(self.session, user)
        self.session.commit()
        return token

    def company(self, **kw: Any) -> Company:
        n = next(_seq)
        kw.setdefault("name", f"Company {n}")
        kw.setdefault("domain", f"company{n}.example")
        return self._add(Company(**kw))

    def persona(self, key: str = "cfo", **kw: Any) -> Persona:
        kw.setdefault("name", key.upper())
        return self._add(Persona(key=key, **kw))

    def prospect(self, **kw: Any) -> Prospect:
        n = next(_seq)
        email = kw.pop("email", f"prospect{n}@example.com")
        kw.setdefault("first_name", "Prospect")
        kw.setdefault("last_name", str(n))
        return self._add(Prospect(email=email, email_normalized=email.lower(), **kw))

    def mailbox(self, **kw: Any) -> Mailbox:
        n = next(_seq)
        kw.setdefault("email", f"sender{n}@sequencer.test")
        return self._add(Mailbox(**kw))

    def sequence(self, steps: int = 2, **kw: Any) -> Sequence:
        kw.setdefault("name", f"Sequence {next(_seq)}")
        seq = self._add(Sequence(**kw))
        for position in range(1, steps + 1):
            step = self._add(Step(sequence=seq, position=position,
                                  type=StepType.AUTO_EMAIL if position % 2 else StepType.CALL,
                                  wait_days=0 if position == 1 else 2))
            if step.type.is_email:
                self._add(Variant(step=step, label="A", subject="Hi {{ prospect.first_name }}",
                                  body="Hello {{ prospect.first_name }}"))
        return seq

    def opportunity(self, stage: str = "proposal", **kw: Any) -> Opportunity:
        """A deal (with its first history row) for a new prospect at a new company unless given."""
        if "prospect" not in kw:
            kw["prospect"] = self.prospect(company=kw.pop("company", None) or self.company())
        kw.setdefault("company_id", kw["prospect"].company_id)
        kw.setdefault("name", f"Deal {next(_seq)}")
        if "owner" not in kw and "owner_id" not in kw:
            kw["owner"] = self.user("rep")
        opp = Opportunity(stage=Stage(stage), **kw)
        opp.history.append(StageChange(from_stage=None, to_stage=stage, changed_at=opp.created_at or kw.get(
            "created_at")))
        return self._add(opp)

    def enrollment(self, **kw: Any) -> Enrollment:
        """An active enrolment of a new prospect in a new two-step sequence unless given."""
        if "prospect" not in kw and "prospect_id" not in kw:
            kw["prospect"] = self.prospect()
        if "sequence" not in kw and "sequence_id" not in kw:
            kw["sequence"] = self.sequence()
        kw.setdefault("status", EnrollmentStatus.ACTIVE)
        return self._add(Enrollment(**kw))

    def step_run(self, enrollment: Enrollment, step: Step | None = None, **kw: Any) -> StepRun:
        """A scheduled run of `step` (the sequence's first unless given), due now; variant and mailbox only if given."""
        step = step or enrollment.sequence.steps[0]
        kw.setdefault("position", step.position)
        kw.setdefault("state", StepRunState.SCHEDULED)
        kw.setdefault("due_at", clock.now())
        return self._add(StepRun(enrollment=enrollment, step=step, **kw))

    def task(self, type: str = "call", **kw: Any) -> Task:
        """An open task of `type`, due now, with no owner, prospect or enrolment unless given."""
        kw.setdefault("title", f"{type.replace('_', ' ').capitalize()} {next(_seq)}")
        kw.setdefault("due_at", clock.now())
        return self._add(Task(type=TaskType(type), **kw))

    def time_off(self, user: User, starts_on: date, days: int = 3, **kw: Any) -> TimeOff:
        """`days` days away from `starts_on` (inclusive)."""
        return self._add(TimeOff(user_id=user.id, starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1),
                                 **kw))

    def inbound_message(self, raw: bytes = b"From: a@b.example\r\n\r\nhi", **kw: Any) -> InboundMessage:
        """A stored raw message (not yet processed)."""
        kw.setdefault("message_id", f"<m{next(_seq)}@b.example>")
        return self._add(InboundMessage(raw=raw, size=len(raw), **kw))
