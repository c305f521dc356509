"""CSV imports: the upload, its progress (the resume point), per-row problems, and remembered mappings."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.models._common import created_at, enum_column
from sequencer.platform.db import Base


class ImportStatus(str, enum.Enum):
    MAPPING = "mapping"      # uploaded, waiting for the user to confirm the column mapping
    QUEUED = "queued"
    WAITING = "waiting"      # confirmed, but the job queue (Redis) was unreachable: resume_imports starts it later
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ProspectImport(Base):
    """One uploaded file; `processed_rows` is committed with each batch, so a restart resumes there."""

    __tablename__ = "prospect_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    path: Mapped[str | None] = mapped_column(String(1000))  # the stored upload; removed when the import ends
    size: Mapped[int] = mapped_column(Integer, default=0)
    encoding: Mapped[str] = mapped_column(String(32))
    delimiter: Mapped[str] = mapped_column(String(1))
    header: Mapped[list] = mapped_column(default=list)
    mapping: Mapped[dict] = mapped_column(default=dict)   # column index (as text) -> target
    options: Mapped[dict] = mapped_column(default=dict)
    status: Mapped[ImportStatus] = enum_column(ImportStatus, default=ImportStatus.MAPPING)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bytes_read: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # started runs; bounded by the runner
    created_at: Mapped[datetime] = created_at()
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]   # each committed batch; silence means the worker died
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return min(99, int(100 * self.bytes_read / self.size)) if self.size else 0


class ImportRowIssue(Base):
    """A row that was not imported (bad data, suppressed, duplicate skipped), with the original line."""

    __tablename__ = "import_row_issues"
    __table_args__ = (Index("ix_import_row_issues_import_line", "import_id", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("prospect_imports.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))          # error | duplicate | suppressed
    column: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)


class ImportedProspect(Base):
    """Which prospects an import created or updated (what "enrol the imported prospects" means)."""

    __tablename__ = "imported_prospects"

    import_id: Mapped[int] = mapped_column(ForeignKey("prospect_imports.id", ondelete="CASCADE"), primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    line: Mapped[int] = mapped_column(Integer)
    created: Mapped[bool] = mapped_column(default=True)


class ImportMapping(Base):
    """The mapping last confirmed for a header set, offered again next time the same export arrives."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    header_key: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = created_at()
