"""What the rules say a prospect's activities and attributes are worth: pure functions, no database."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from sequencer.scoring.config import Rules


class Act(NamedTuple):
    id: int
    kind: str
    occurred_at: datetime
    properties: dict


def _text(properties: dict, key: str) -> str:
    value = properties.get(key)
    return value.lower() if isinstance(value, str) else ""


def matches(rule: dict, act: Act) -> bool:
    """The rule's kind and every condition of its `match` hold for the activity."""
    if rule["kind"] != act.kind:
        return False
    props = act.properties or {}
    for cond, wanted in (rule.get("match") or {}).items():
        if cond == "properties":
            if any(str(props.get(k)) != str(v) for k, v in wanted.items()):
                return False
            continue
        url = _text(props, "url")
        have = {"path_contains": urlsplit(url).path if url else "", "url_contains": url,
                "title_contains": _text(props, "title")}[cond]
        if wanted.lower() not in have:
            return False
    return True


def engagement(rules: Rules, acts: Iterable[Act]) -> dict[tuple[int, str], int]:
    """(activity id, rule key) → points, oldest activity first, within each rule's max_times and group caps."""
    times: dict[str, int] = {}
    group_total: dict[str, int] = {}
    out: dict[tuple[int, str], int] = {}
    active = rules.engagement_rules
    for act in sorted(acts, key=lambda a: (a.occurred_at, a.id)):
        for rule in active:
            if not matches(rule, act):
                continue
            key, points = rule["key"], rule["points"]
            if rule.get("max_times") is not None and times.get(key, 0) >= rule["max_times"]:
                continue
            times[key] = times.get(key, 0) + 1
            group = rule.get("group")
            if group is not None and group in rules.groups and points > 0:
                points = max(0, min(points, rules.groups[group] - group_total.get(group, 0)))
                group_total[group] = group_total.get(group, 0) + points
            if points:
                out[(act.id, key)] = points
    return out


def fit(rules: Rules, attributes: dict[str, str | None]) -> dict[str, int]:
    """Fit rule key → points for a prospect whose persona, seniority, country, size or industry matches."""
    out: dict[str, int] = {}
    for rule in rules.fit_rules:
        value = attributes.get(rule["match"]["field"])
        wanted = {str(v).lower() for v in rule["match"]["in"]}
        if value is not None and value.lower() in wanted and rule["points"]:
            out[rule["key"]] = rule["points"]
    return out
