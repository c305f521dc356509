"""What a step would look like, and when every step would happen, for one prospect (nothing is stored)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import TemplateError

from sequencer.calendar import Schedule, next_due
from sequencer.errors import Conflict, Invalid, NotFound
from sequencer.models import Mailbox, Prospect, Sequence, Step, User, Variant
from sequencer.platform.serialize import iso
from sequencer.rendering import build_context, render_email
from sequencer.sequences.instructions import render_instructions
from sequencer.texts import tr

PREVIEW_UNSUBSCRIBE = "{base}/u/preview"


@dataclass
class ProjectedStep:
    position: int
    type: str
    at: datetime
    why_waiting: str | None


def content_for(variant: Variant, persona_key: str | None) -> tuple[str, str]:
    """The variant's subject and body, with the persona's overrides where it has them."""
    override = variant.by_persona.get(persona_key or "", {}) if persona_key else {}
    return (override.get("subject") or variant.subject, override.get("body") or variant.body)


def thread_subject(sequence: Sequence, step: Step, variant_label: str | None, persona_key: str | None) -> str:
    """`Re: ` + the subject of the nearest earlier email step (a threaded step may omit its own)."""
    for earlier in sorted((s for s in sequence.steps if s.position < step.position), key=lambda s: -s.position):
        if earlier.type.is_email and earlier.variants:
            chosen = next((v for v in earlier.variants if v.label == variant_label), earlier.variants[0])
            subject, _ = content_for(chosen, persona_key)
            if subject.strip():
                return subject if subject.lower().startswith("re:") else f"Re: {subject}"
    return ""


def project(sequence: Sequence, prospect: Prospect, start: datetime, done_at: dict[int, datetime] | None = None
            ) -> list[ProjectedStep]:
    """When each step would happen if nothing changes: each step assumed done when it comes due.

    Steps that would fall past the end of the calendar (a run stored at 9999-12-31) are left unprojected.
    """
    schedule = Schedule.from_dict(sequence.schedule)
    out, after = [], start
    for step in sequence.steps:
        if done_at and step.position in done_at:
            after = done_at[step.position]
            continue
        try:
            due = next_due(after, step.wait_days, schedule, prospect.timezone, prospect.country)
        except OverflowError:
            break
        out.append(ProjectedStep(step.position, step.type.value, due.at, due.why_waiting))
        after = due.at
    return out


def preview_step(sequence: Sequence, position: int, prospect: Prospect, *, sender: User | Mailbox | None,
                 variant_label: str | None, now: datetime, base_url: str, postal_address: str) -> dict:
    step = next((s for s in sequence.steps if s.position == position), None)
    if step is None:
        raise NotFound(tr("the sequence has no step %(step)s", step=position))
    scheduled = next(p.at for p in project(sequence, prospect, now) if p.position == position)
    result: dict[str, Any] = {"subject": "", "body_html": "", "body_text": "", "missing": [],
              "scheduled_for": iso(scheduled), "variant": None}
    if not step.type.is_email:
        result["body_text"] = render_instructions(step.instructions, prospect, sender_view(sender))
        return result
    if not step.variants:
        raise Conflict(tr("step %(step)s has no variants", step=position))
    variant = next((v for v in step.variants if v.label == variant_label), None) if variant_label else step.variants[0]
    if variant is None:
        raise NotFound(tr("step %(step)s has no variant %(label)s", step=position, label=repr(variant_label)))
    persona_key = prospect.persona.key if prospect.persona else None
    subject, body = content_for(variant, persona_key)
    if step.thread and not subject.strip():
        subject = thread_subject(sequence, step, variant.label, persona_key)
    context = build_context(prospect, prospect.company, sender_view(sender), prospect.persona,
                            PREVIEW_UNSUBSCRIBE.format(base=base_url))
    try:
        rendered = render_email(subject, body, context, signature=getattr(sender_view(sender), "signature", None),
                                footer_text=postal_address)
    except TemplateError as exc:  # a runaway template or a value too long: say why (422), as a send would hold it
        raise Invalid.field("body", tr("cannot be rendered for this prospect: %(reason)s",
                                       reason=exc.message or str(exc))) from exc
    result.update(subject=rendered.subject, body_html=rendered.body_html, body_text=rendered.body_text,
                  missing=rendered.missing, variant=variant.label)
    return result


def sender_view(sender: User | Mailbox | None):
    """A mailbox speaks with its owner's name, title and signature."""
    if isinstance(sender, Mailbox):
        owner = sender.owner
        return _SenderView(name=sender.name or (owner.name if owner else ""), email=sender.email,
                           title=owner.title if owner else None, signature=owner.signature if owner else None)
    if isinstance(sender, User):
        return _SenderView(name=sender.name, email=sender.email, title=sender.title, signature=sender.signature)
    return _SenderView(name="", email="", title=None, signature=None)


@dataclass
class _SenderView:
    name: str
    email: str
    title: str | None
    signature: str | None
