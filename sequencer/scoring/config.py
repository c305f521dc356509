"""The scoring rules in force: the playbook's defaults, checked edits, and a new version for every change."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import ScoringConfig, User
from sequencer.scoring.kinds import ALL_KINDS, FIT, FIT_FIELDS
from sequencer.texts import tr

DEFAULT_RULES = [
    {"key": "pricing_page", "kind": "page_view", "match": {"path_contains": "/pricing"}, "points": 10,
     "group": None, "max_times": None, "label": tr("pricing page")},
    {"key": "content_download", "kind": "content_download", "match": {}, "points": 15, "group": None,
     "max_times": None, "label": tr("content download")},
    {"key": "webinar_attended", "kind": "webinar_attended", "match": {}, "points": 20, "group": None,
     "max_times": None, "label": tr("webinar")},
    {"key": "demo_requested", "kind": "demo_requested", "match": {}, "points": 25, "group": None,
     "max_times": None, "label": tr("demo request")},
    {"key": "form_demo_request", "kind": "form_submitted", "match": {"properties": {"form_kind": "demo_request"}},
     "points": 25, "group": None, "max_times": None, "label": tr("demo request form")},
    {"key": "form_content_download", "kind": "form_submitted",
     "match": {"properties": {"form_kind": "content_download"}}, "points": 15, "group": None, "max_times": None,
     "label": tr("content download form")},
    {"key": "form_webinar", "kind": "form_submitted", "match": {"properties": {"form_kind": "webinar"}},
     "points": 10, "group": None, "max_times": None, "label": tr("webinar registration form")},
]
DEFAULTS: dict[str, Any] = {
    "rules": DEFAULT_RULES, "groups": [], "decay": {"points": 10, "idle_days": 30}, "threshold": 50,
    "fit_threshold": None, "handoff": {"sequence_id": None, "exit_sequence_id": None},
    "tracking": {"enabled": False, "sites": []},
}
ACTIVITY_MATCH = {"path_contains", "url_contains", "title_contains", "properties"}
KEY = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,63}$")


@dataclass
class Rules:
    """A config version as plain values, the way the engine reads it."""

    version: int
    rules: list[dict]
    groups: dict[str, int]
    decay: dict
    threshold: int
    fit_threshold: int | None
    handoff: dict = field(default_factory=dict)
    tracking: dict = field(default_factory=dict)

    @property
    def engagement_rules(self) -> list[dict]:
        return [r for r in self.rules if r["kind"] != FIT]

    @property
    def fit_rules(self) -> list[dict]:
        return [r for r in self.rules if r["kind"] == FIT]

    def label(self, key: str) -> str:
        found = next((r for r in self.rules if r["key"] == key), None)
        return (found or {}).get("label") or key.replace("_", " ")

    def as_dict(self) -> dict:
        return {"version": self.version, "rules": self.rules,
                "groups": [{"key": k, "cap": v} for k, v in self.groups.items()], "decay": self.decay,
                "threshold": self.threshold, "fit_threshold": self.fit_threshold, "handoff": self.handoff,
                "tracking": self.tracking}


def _of(row: ScoringConfig | None) -> Rules:
    if row is None:
        d = DEFAULTS
        return Rules(0, [dict(r) for r in d["rules"]], {}, dict(d["decay"]), d["threshold"], None,
                     dict(d["handoff"]), dict(d["tracking"]))
    return Rules(row.version, row.rules, {g["key"]: g["cap"] for g in row.groups}, row.decay, row.threshold,
                 row.fit_threshold, row.handoff or {}, row.tracking or {})


def current(session: Session) -> Rules:
    """The highest version, or the playbook's defaults (version 0) before anyone edited them."""
    return _of(session.scalars(select(ScoringConfig).order_by(ScoringConfig.version.desc()).limit(1)).first())


def _int(value: Any, path: str, problems: list[dict], minimum: int | None = None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append({"field": path, "message": tr("must be a whole number")})
        return None
    if minimum is not None and value < minimum:
        problems.append({"field": path, "message": tr("must be at least %(minimum)s", minimum=minimum)})
    return value


def _match(rule: dict, path: str, problems: list[dict]) -> None:
    match = rule.get("match") if rule.get("match") is not None else {}
    rule["match"] = match
    if not isinstance(match, dict):
        problems.append({"field": f"{path}.match", "message": tr("must be an object")})
    elif rule.get("kind") == FIT:
        if match.get("field") not in FIT_FIELDS or not isinstance(match.get("in"), list) or set(match) - {"field", "in"}:
            problems.append({"field": f"{path}.match", "message": tr(
                "a fit rule matches {\"field\": one of %(fields)s, \"in\": [values]}", fields=", ".join(FIT_FIELDS))})
    elif set(match) - ACTIVITY_MATCH:
        problems.append({"field": f"{path}.match", "message": tr(
            "unknown condition %(names)s; use %(known)s", names=", ".join(sorted(set(match) - ACTIVITY_MATCH)),
            known=", ".join(sorted(ACTIVITY_MATCH)))})
    elif any(not isinstance(match[k], str) for k in match if k != "properties") or \
            not isinstance(match.get("properties", {}), dict):
        problems.append({"field": f"{path}.match", "message": tr("conditions are text; `properties` an object")})


def _rule(raw: Any, path: str, problems: list[dict], groups: set[str]) -> dict:
    if not isinstance(raw, dict):
        problems.append({"field": path, "message": tr("must be an object")})
        return {}
    rule = {k: raw.get(k) for k in ("key", "kind", "match", "points", "group", "max_times", "label")}
    if not isinstance(rule["key"], str) or not KEY.match(rule["key"]):
        problems.append({"field": f"{path}.key", "message": tr("lower-case letters, digits, _ . - (at most 64)")})
    if rule["kind"] not in (*ALL_KINDS, FIT):
        problems.append({"field": f"{path}.kind", "message": tr("must be one of %(values)s",
                                                                   values=", ".join((*ALL_KINDS, FIT)))})
    _int(rule["points"], f"{path}.points", problems)
    if rule["max_times"] is not None:
        _int(rule["max_times"], f"{path}.max_times", problems, minimum=1)
    if rule["group"] is not None and (not isinstance(rule["group"], str) or rule["group"] not in groups):
        problems.append({"field": f"{path}.group", "message": tr("names no group in `groups`")})
    _match(rule, path, problems)
    return rule


def _groups(raw: Any, problems: list[dict]) -> list[dict]:
    if not isinstance(raw, list):
        problems.append({"field": "groups", "message": tr("must be a list")})
        return []
    out = []
    for i, g in enumerate(raw):
        if not isinstance(g, dict) or not isinstance(g.get("key"), str) or not KEY.match(g["key"]):
            problems.append({"field": f"groups.{i}.key", "message": tr("a group needs a key")})
            continue
        out.append({"key": g["key"], "cap": _int(g.get("cap"), f"groups.{i}.cap", problems, minimum=0)})
    return out


def _decay(raw: Any, problems: list[dict]) -> dict:
    if raw is None or raw == {}:
        return {}
    if not isinstance(raw, dict) or not (set(raw) <= {"points", "idle_days"} or set(raw) == {"half_life_days"}):
        problems.append({"field": "decay", "message": tr("{points, idle_days}, {half_life_days} or empty (no decay)")})
        return {}
    return {k: _int(v, f"decay.{k}", problems, minimum=1 if k != "points" else 0) for k, v in raw.items()}


def _site(value: Any) -> str | None:
    """A bare host name (lower-case, no scheme or path), or None when it is not one."""
    if not isinstance(value, str):
        return None
    host = value.strip().lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    return host if re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?", host) else None


def _extras(data: dict, session: Session, problems: list[dict]) -> dict:
    """The hand-off's sequences and the website tracking settings; both optional."""
    from sequencer.models import Sequence

    handoff = data.get("handoff") or {}
    moves: dict[str, int | None] = {"sequence_id": None, "exit_sequence_id": None}
    out: dict[str, dict] = {"handoff": moves, "tracking": {"enabled": False, "sites": []}}
    for key in ("sequence_id", "exit_sequence_id"):
        value = handoff.get(key) if isinstance(handoff, dict) else None
        if value is not None and (_int(value, f"handoff.{key}", problems) is None or session.get(Sequence, value) is None):
            problems.append({"field": f"handoff.{key}", "message": tr("no such sequence")})
        moves[key] = value
    tracking = data.get("tracking") or {}
    if not isinstance(tracking, dict):
        problems.append({"field": "tracking", "message": tr("must be an object {enabled, sites}")})
        return out
    raw_sites = tracking.get("sites") or []
    sites = [_site(s) for s in raw_sites] if isinstance(raw_sites, list) else [None]
    if None in sites:
        problems.append({"field": "tracking.sites", "message": tr("each site is a host name such as www.example.com")})
    out["tracking"] = {"enabled": bool(tracking.get("enabled")), "sites": [s for s in sites if s]}
    return out


def check(session: Session, data: Any) -> dict:
    """A full rule set from the editor or the API, every problem at once as `Invalid` (nothing half-saved)."""
    if not isinstance(data, dict):
        raise Invalid.field("", tr("expected an object {rules, groups, decay, threshold}"))
    problems: list[dict] = []
    groups = _groups(data.get("groups", []), problems)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        problems.append({"field": "rules", "message": tr("must be a list")})
        raw_rules = []
    rules = [_rule(r, f"rules.{i}", problems, {g["key"] for g in groups}) for i, r in enumerate(raw_rules)]
    keys = [r.get("key") for r in rules]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            problems.append({"field": f"rules.{i}.key", "message": tr("%(key)s is used twice", key=key)})
    threshold = _int(data.get("threshold", 50), "threshold", problems, minimum=1)
    fit_threshold = data.get("fit_threshold")
    if fit_threshold is not None:
        _int(fit_threshold, "fit_threshold", problems)
    cleaned = {"rules": rules, "groups": groups, "decay": _decay(data.get("decay"), problems),
               "threshold": threshold, "fit_threshold": fit_threshold, **_extras(data, session, problems)}
    if problems:
        raise Invalid.of(problems)
    return cleaned


def preview(session: Session, data: Any) -> Rules:
    """The rule set `data` would become, checked but not saved (the dry run scores with it)."""
    cleaned = check(session, data)
    return _of(ScoringConfig(version=current(session).version + 1, **cleaned))


def save(session: Session, data: Any, actor: User) -> Rules:
    """A new version replacing the rule set in force; the caller re-scores (rescore.rescore_all)."""
    cleaned = check(session, data)
    version = (session.scalar(select(func.max(ScoringConfig.version))) or 0) + 1
    row = ScoringConfig(version=version, created_by_id=actor.id, **cleaned)
    session.add(row)
    session.flush()
    return _of(row)
