"""Activities in from the API, the website snippet and imports: each item checked on its own (the good ones
are kept), stored once per external id, attached to the prospect with that email when there is one, scored."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.models import Activity, Prospect
from sequencer.platform.addresses import clean_email
from sequencer.scoring import config, engine
from sequencer.scoring.kinds import API_KINDS
from sequencer.scoring.sql import among, insert_many

MAX_BATCH = 1000
MAX_AGE = timedelta(days=730)  # older than two years: a wrong clock or a wrong field, not a buying signal
MAX_AHEAD = timedelta(minutes=5)  # clocks drift a little; more than that in the future is a mistake


@dataclass
class Received:
    accepted: int = 0
    duplicates: int = 0
    anonymous: int = 0
    errors: list[dict] = field(default_factory=list)
    prospect_ids: set[int] = field(default_factory=set)

    def summary(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "anonymous": self.anonymous,
                "errors": self.errors}


def parse_time(value: Any, now: datetime) -> tuple[datetime | None, str | None]:
    """(UTC moment, None) or (None, why): ISO 8601, not in the future, not more than two years back."""
    if not isinstance(value, str):
        return None, "an ISO 8601 time is required"
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, "not an ISO 8601 time"
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    if at > now + MAX_AHEAD:
        return None, "is in the future"
    if at < now - MAX_AGE:
        return None, "is more than two years ago"
    return at, None


def _check(item: Any, now: datetime, kinds: tuple[str, ...]) -> tuple[dict | None, tuple[str, str] | None]:
    """(row values, None) or (None, (field, message)) for the first problem of one activity."""
    if not isinstance(item, dict):
        return None, ("", "an activity is a JSON object")
    row: dict[str, Any] = {"kind": item.get("kind"), "properties": item.get("properties") or {}, "email": None}
    if row["kind"] not in kinds:
        return None, ("kind", f"must be one of {', '.join(kinds)}")
    if not isinstance(row["properties"], dict):
        return None, ("properties", "must be an object")
    pid, email = item.get("prospect_id"), item.get("email")
    if pid is not None and (isinstance(pid, bool) or not isinstance(pid, int)):
        return None, ("prospect_id", "must be an integer")
    if pid is None and not email:
        return None, ("email", "give prospect_id or email")
    if pid is None:
        row["email"], problem = clean_email(str(email))
        if problem:
            return None, ("email", problem)
    row["prospect_id"] = pid
    row["occurred_at"], problem = parse_time(item.get("occurred_at"), now)
    if problem:
        return None, ("occurred_at", problem)
    ext = item.get("external_id")
    if ext is not None and (not isinstance(ext, str | int) or isinstance(ext, bool) or not 0 < len(str(ext)) <= 200):
        return None, ("external_id", "text of 1 to 200 characters")
    row["external_id"] = str(ext) if ext is not None else None
    return row, None


def items_of(body: Any) -> list:
    """One activity or {"activities": [...]}, as a list."""
    if isinstance(body, dict) and "activities" in body:
        return body["activities"] if isinstance(body["activities"], list) else [None]
    return [body]


def _resolve(session: Session, good: list[tuple[int, dict]], result: Received) -> list[tuple[int, dict]]:
    """Known prospect ids stay, emails find their prospect (or stay anonymous); unknown ids are errors."""
    ids = {row["prospect_id"] for _, row in good if row["prospect_id"] is not None}
    known = set(session.scalars(select(Prospect.id).where(among(session, Prospect.id, ids)))) if ids else set()
    emails = {row["email"] for _, row in good if row["prospect_id"] is None}
    by_email = dict(session.execute(select(Prospect.email_normalized, Prospect.id).where(
        among(session, Prospect.email_normalized, emails))).all()) if emails else {}
    out = []
    for index, row in good:
        if row["prospect_id"] is not None and row["prospect_id"] not in known:
            result.errors.append({"index": index, "field": "prospect_id", "message": "no such prospect"})
            continue
        if row["prospect_id"] is None:
            row["prospect_id"] = by_email.get(row["email"])
        out.append((index, row))
    return out


def _new_only(session: Session, rows: list[dict], result: Received) -> list[dict]:
    """Drop external ids seen before (stored, or earlier in this batch): a replayed batch changes nothing."""
    given = {r["external_id"] for r in rows if r["external_id"]}
    stored = set(session.scalars(select(Activity.external_id).where(
        among(session, Activity.external_id, given)))) if given else set()
    seen: set[str] = set()
    out = []
    for row in rows:
        ext = row["external_id"]
        if ext and (ext in stored or ext in seen):
            result.duplicates += 1
            continue
        if ext:
            seen.add(ext)
        out.append(row)
    return out


def _insert(session: Session, rows: list[dict]) -> list[int | None]:
    """Insert, skipping an external id a concurrent request stored first; the prospect ids of those inserted."""
    return [row[0] for row in insert_many(session, Activity, rows, returning=["prospect_id"],
                                          on_conflict=["external_id"])]


def receive(session: Session, items: list, now: datetime, *, source: str = "api",
            kinds: tuple[str, ...] = API_KINDS) -> Received:
    """Check, store and score a batch; the caller commits. Problems are reported per item, never all-or-nothing."""
    result = Received()
    good: list[tuple[int, dict]] = []
    for index, item in enumerate(items):
        if index >= MAX_BATCH:
            result.errors.append({"index": index, "field": "activities",
                                  "message": f"a batch holds at most {MAX_BATCH} activities"})
            continue
        row, problem = _check(item, now, kinds)
        if problem:
            result.errors.append({"index": index, "field": problem[0], "message": problem[1]})
        elif row is not None:
            good.append((index, row))
    rows = [{**row, "source": source, "created_at": now} for _, row in _resolve(session, good, result)]
    rows = _new_only(session, rows, result)
    stored = _insert(session, rows) if rows else []
    result.duplicates += len(rows) - len(stored)
    result.accepted = len(stored)
    result.anonymous = sum(1 for pid in stored if pid is None)
    result.prospect_ids = {pid for pid in stored if pid is not None}
    result.errors.sort(key=lambda e: e["index"])
    engine.score(session, sorted(result.prospect_ids), config.current(session), now)
    return result

