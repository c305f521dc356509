"""The sequence editor's form: flat field names <-> the API payload, step defaults, errors by place.

Fields are named like `steps-0-type`, `steps-0-variants-1-subject` and
`steps-0-variants-1-persona-cfo-subject`; `steps-N-orig` carries the step's stored position so
a step reached by an enrolment keeps its stored content whatever the browser sends.
"""
from __future__ import annotations

import re
import string
from collections import defaultdict

from flask_babel import gettext, lazy_gettext
from werkzeug.datastructures import MultiDict

from sequencer.models import Sequence, Step
from sequencer.sequences.authoring import EMAIL_TYPES, build_step
from sequencer.texts import tr
from sequencer.web.locale import say

STEP_TYPES = ("auto_email", "manual_email", "call", "linkedin_view", "linkedin_connect", "linkedin_message", "task")
STEP_LABELS = {"auto_email": lazy_gettext("Email"), "manual_email": lazy_gettext("Manual email"),
               "call": lazy_gettext("Call"), "linkedin_view": lazy_gettext("LinkedIn view"),
               "linkedin_connect": lazy_gettext("LinkedIn connect"),
               "linkedin_message": lazy_gettext("LinkedIn message"), "task": lazy_gettext("Task")}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY_COUNTRIES = (("LT", "Lithuania"), ("LV", "Latvia"), ("EE", "Estonia"), ("PL", "Poland"),
                     ("DE", "Germany"), ("FR", "France"), ("NL", "Netherlands"), ("BE", "Belgium"),
                     ("GB", "United Kingdom"), ("IE", "Ireland"), ("FI", "Finland"), ("SE", "Sweden"),
                     ("DK", "Denmark"), ("ES", "Spain"), ("IT", "Italy"), ("AT", "Austria"),
                     ("CH", "Switzerland"), ("CZ", "Czechia"), ("US", "United States"))
TIMEZONES = ("Europe/Vilnius", "Europe/Riga", "Europe/Tallinn", "Europe/Helsinki", "Europe/Warsaw",
             "Europe/Berlin", "Europe/Paris", "Europe/Amsterdam", "Europe/Brussels", "Europe/Stockholm",
             "Europe/London", "Europe/Dublin", "America/New_York", "America/Chicago", "America/Denver",
             "America/Los_Angeles", "UTC")
DEFAULT_INSTRUCTIONS = {
    "call": lazy_gettext("Call and refer to the last email; ask for 15 minutes this week."),
    "linkedin_view": lazy_gettext("View their LinkedIn profile."),
    "linkedin_connect": lazy_gettext("Send a connection request with a short, personal note."),
    "linkedin_message": lazy_gettext("Send a short LinkedIn message referring to the emails."),
    "task": "",
}
DEFAULT_WAIT = {"call": 2, "linkedin_view": 1, "linkedin_connect": 1, "linkedin_message": 2, "task": 1}
_STEP_KEY = re.compile(r"^steps-(\d{1,3})-(.+)$")
_VARIANT_KEY = re.compile(r"^variants-(\d{1,2})-(.+)$")
_PERSONA_KEY = re.compile(r"^persona-([A-Za-z0-9_.-]{1,64})-(subject|body)$")


def is_email(step: dict) -> bool:
    return step.get("type") in EMAIL_TYPES


def next_label(variants: list[dict]) -> str:
    used = {v["label"] for v in variants}
    return next((c for c in string.ascii_uppercase if c not in used), f"V{len(variants) + 1}")


def new_variant(variants: list[dict]) -> dict:
    return {"label": next_label(variants), "weight": 50, "subject": "", "body": "", "by_persona": {}}


def new_step(step_type: str, steps: list[dict]) -> dict:
    """Sensible defaults: the first step goes right away, a follow-up email replies in thread after 3 days."""
    step_type = step_type if step_type in STEP_TYPES else "auto_email"
    earlier_email = any(is_email(s) for s in steps)
    step = {"type": step_type, "wait_days": 0, "instructions": str(DEFAULT_INSTRUCTIONS.get(step_type, "")),
            "thread": False, "variants": [], "orig": None, "locked": False}
    if step_type in EMAIL_TYPES:
        step["thread"] = earlier_email
        step["wait_days"] = 3 if earlier_email else (2 if steps else 0)
        step["variants"] = [new_variant([])]
        step["instructions"] = ""
    elif steps:
        step["wait_days"] = DEFAULT_WAIT.get(step_type, 1)
    return step


def _int(value: str | None, default: int, errors: list, **where) -> int:
    try:
        return int((value or "").strip() or default)
    except ValueError:
        errors.append({**where, "message": tr("must be a whole number, not %(value)s", value=repr(value))})
        return default


def stored_steps(seq: Sequence | None) -> dict[int, dict]:
    """The stored steps by position, in the payload shape."""
    if seq is None:
        return {}
    return {s.position: step_payload(s) for s in seq.steps}


def step_payload(step: Step) -> dict:
    return {"type": step.type.value, "wait_days": step.wait_days, "instructions": step.instructions,
            "thread": step.thread,
            "variants": [{"label": v.label, "weight": v.weight, "subject": v.subject, "body": v.body,
                          "by_persona": {k: dict(c) for k, c in v.by_persona.items()}} for v in step.variants]}


def state_from_sequence(seq: Sequence, locked_positions: set[int]) -> dict:
    """Editor state for a stored sequence."""
    steps = []
    for s in seq.steps:
        steps.append({**step_payload(s), "orig": s.position, "locked": s.position in locked_positions})
    return {"name": seq.name, "description": seq.description, "schedule": dict(seq.schedule),
            "exit_on_reply": seq.exit_on_reply, "track_opens": seq.track_opens,
            "track_clicks": seq.track_clicks, "steps": steps}


def blank_state(default_schedule: dict) -> dict:
    return {"name": "", "description": "", "schedule": dict(default_schedule), "exit_on_reply": True,
            "track_opens": False, "track_clicks": False, "steps": []}


def state_from_form(form: MultiDict, stored: dict[int, dict], locked_positions: set[int]) -> tuple[dict, list]:
    """Editor state from the posted form, and the problems found while reading it (422 details)."""
    errors: list[dict] = []
    holidays = form.get("holidays", "prospect")
    schedule = {"days": [d for d in form.getlist("days") if d in DAYS],
                "window_start": form.get("window_start", "").strip(),
                "window_end": form.get("window_end", "").strip(),
                "holidays": holidays or None,
                "fallback_timezone": form.get("fallback_timezone", "").strip()}
    raw: dict[int, dict] = defaultdict(dict)
    for key in form:
        match = _STEP_KEY.match(key)
        if match:
            raw[int(match.group(1))][match.group(2)] = form.get(key)
    steps: list[dict] = []
    for index in sorted(raw):
        fields = raw[index]
        step_no = len(steps) + 1
        orig = _int(fields.get("orig"), 0, []) or None
        if orig in locked_positions and orig in stored:  # frozen: the stored content, whatever was sent
            steps.append({**stored[orig], "orig": orig, "locked": True})
            continue
        step_type = fields.get("type") if fields.get("type") in STEP_TYPES else "auto_email"
        step = {"type": step_type,
                "wait_days": _int(fields.get("wait_days"), 0, errors, step=step_no, field="wait_days"),
                "instructions": fields.get("instructions", ""),
                "thread": fields.get("thread") == "1" and step_type in EMAIL_TYPES,
                "variants": [], "orig": orig if orig in stored else None, "locked": False}
        if step_type in EMAIL_TYPES:
            step["variants"] = _variants(fields, step_no, errors)
        steps.append(step)
    state = {"name": form.get("name", "").strip(), "description": form.get("description", "").strip(),
             "schedule": schedule, "exit_on_reply": form.get("exit_on_reply") == "1",
             "track_opens": form.get("track_opens") == "1", "track_clicks": form.get("track_clicks") == "1",
             "steps": steps}
    return state, errors


def _variants(fields: dict, step_no: int, errors: list) -> list[dict]:
    raw: dict[int, dict] = defaultdict(dict)
    for key, value in fields.items():
        match = _VARIANT_KEY.match(key)
        if match:
            raw[int(match.group(1))][match.group(2)] = value
    variants: list[dict] = []
    for index in sorted(raw):
        vf = raw[index]
        label = (vf.get("label") or "").strip()[:32] or next_label(variants)
        variant = {"label": label,
                   "weight": _int(vf.get("weight"), 50, errors, step=step_no, variant=label, field="weight"),
                   "subject": vf.get("subject", ""), "body": vf.get("body", ""), "by_persona": {}}
        for key, value in vf.items():
            match = _PERSONA_KEY.match(key)
            if match:
                variant["by_persona"].setdefault(match.group(1), {"subject": "", "body": ""})[match.group(2)] = value
        variants.append(variant)
    return variants


def payload(state: dict) -> dict:
    """The API payload (no editor-only keys)."""
    return {
        "name": state["name"], "description": state["description"], "schedule": state["schedule"],
        "exit_on_reply": state["exit_on_reply"], "track_opens": state["track_opens"],
        "track_clicks": state["track_clicks"],
        "steps": [{"type": s["type"], "wait_days": s["wait_days"], "instructions": s["instructions"],
                   "thread": s["thread"],
                   "variants": [{"label": v["label"], "weight": v["weight"], "subject": v["subject"],
                                 "body": v["body"], "by_persona": v["by_persona"]} for v in s["variants"]]}
                  for s in state["steps"]],
    }


def transient_sequence(state: dict) -> Sequence:
    """A Sequence built from the editor (never added to a session) for previews of unsaved edits."""
    data = payload(state)
    seq = Sequence(name=data["name"] or "Untitled", schedule=data["schedule"])
    seq.steps = [build_step(i, s) for i, s in enumerate(data["steps"], start=1)]
    return seq


class Errors:
    """422/409 details grouped by place, for inline display."""

    def __init__(self, details: list[dict] | None = None):
        self.details = details or []

    def __bool__(self) -> bool:
        return bool(self.details)

    def at(self, step: int | None = None, variant: str | None = None, field: str | None = None,
           persona: str | None = None, any_field: bool = False) -> list[str]:
        out = []
        for d in self.details:
            if d.get("step") != step or d.get("variant") != variant or d.get("persona") != persona:
                continue
            if not any_field and d.get("field") != field:
                continue
            message = say(d["message"])
            out.append(gettext("line %(line)s: %(message)s", line=d["line"], message=message) if d.get("line")
                       else message)
        return out

    def schedule(self) -> list[str]:
        return [f"{schedule_label(d['field'])}: {say(d['message'])}"
                for d in self.details if str(d.get("field", "")).startswith("schedule.")]

    def step_count(self, step: int) -> int:
        return sum(1 for d in self.details if d.get("step") == step)


def normalise(state: dict) -> None:
    """Keep the editor consistent after a type change or a move: emails have a variant, threads follow an email."""
    email_before = False
    for step in state["steps"]:
        if step["locked"]:
            email_before = email_before or is_email(step)
            continue
        if is_email(step):
            if not step["variants"]:
                step["variants"] = [new_variant([])]
            step["thread"] = step["thread"] and email_before
            email_before = True
        else:
            step["variants"], step["thread"] = [], False
            if not step["instructions"]:
                step["instructions"] = str(DEFAULT_INSTRUCTIONS.get(step["type"], ""))


FIELD_LABELS = {"subject": lazy_gettext("subject"), "body": lazy_gettext("body"),
                "instructions": lazy_gettext("instructions"), "variants": lazy_gettext("variants"),
                "weight": lazy_gettext("weight"), "thread": lazy_gettext("thread"),
                "wait_days": lazy_gettext("wait days"), "by_persona": lazy_gettext("persona overrides"),
                "name": lazy_gettext("name")}
SCHEDULE_LABELS = {"days": lazy_gettext("days"), "window_start": lazy_gettext("window start"),
                   "window_end": lazy_gettext("window end"), "holidays": lazy_gettext("holidays"),
                   "fallback_timezone": lazy_gettext("fallback timezone"), "schedule": lazy_gettext("schedule")}


def schedule_label(field: str) -> str:
    """`schedule.window_end` → "window end", in the reader's language."""
    key = field.removeprefix("schedule.")
    return str(SCHEDULE_LABELS.get(key, key.replace("_", " ")))


def field_label(field: str) -> str:
    """A problem's field as the builder names it: "body", "schedule: window end"."""
    if field.startswith("schedule."):
        return gettext("schedule: %(field)s", field=schedule_label(field))
    return str(FIELD_LABELS.get(field, field.replace("_", " ")))
