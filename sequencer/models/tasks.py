"""Work for a human: sequence task steps, reply follow-ups, held data fixes, stale-deal reminders, to-dos."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sequencer.models._common import created_at, enum_column
from sequencer.models.crm import Prospect
from sequencer.models.users import User
from sequencer.platform.db import Base


class TaskType(str, enum.Enum):
    CALL = "call"
    MANUAL_EMAIL = "manual_email"
    LINKEDIN_VIEW = "linkedin_view"
    LINKEDIN_CONNECT = "linkedin_connect"
    LINKEDIN_MESSAGE = "linkedin_message"
    TASK = "task"
    REPLY_FOLLOWUP = "reply_followup"
    FIX_DATA = "fix_data"
    STALE_OPPORTUNITY = "stale_opportunity"
    TODO = "todo"
    SALES_READY = "sales_ready"
    SPEED_TO_LEAD = "speed_to_lead"


class TaskStatus(str, enum.Enum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_owner_status_due", "owner_id", "status", "due_at"),
        # at most one open stale-deal reminder per opportunity, whatever number of jobs race to add one
        Index("uq_tasks_open_stale_reminder", "opportunity_id", unique=True,
              postgresql_where=text("type = 'stale_opportunity' AND status = 'open'"),
              sqlite_where=text("type = 'stale_opportunity' AND status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[TaskType] = enum_column(TaskType)
    status: Mapped[TaskStatus] = enum_column(TaskStatus, default=TaskStatus.OPEN)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    prospect_id: Mapped[int | None] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    step_run_id: Mapped[int | None] = mapped_column(ForeignKey("step_runs.id", ondelete="CASCADE"), unique=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    # "stale:<opportunity id>:<start of the quiet period>": one reminder per stale period, even once done
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    priority: Mapped[int] = mapped_column(default=2)
    due_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(String(300))
    instructions: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()
    snoozed_until: Mapped[datetime | None]  # the moment the rep pushed it to (due_at moves with it)
    skip_reason: Mapped[str | None] = mapped_column(String(500))
    email_subject: Mapped[str | None] = mapped_column(Text)  # a manual email as the rep edited it (source)
    email_body: Mapped[str | None] = mapped_column(Text)

    owner: Mapped[User | None] = relationship()
    prospect: Mapped[Prospect | None] = relationship()
