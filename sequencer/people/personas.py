"""Editing and deleting buyer personas without breaking what refers to them.

Prospects point at a persona by id; variant overrides (`Variant.by_persona`) by key. Renaming a
key carries the overrides along; deleting a persona that either still uses is refused (`Conflict`).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sequencer.errors import Conflict, Duplicate
from sequencer.models import Persona, Prospect, Sequence, Step, Variant
from sequencer.texts import tr


def _override_variants(session: Session, key: str) -> list[Variant]:
    rows = session.scalars(select(Variant).where(Variant.by_persona.is_not(None)))
    return [v for v in rows if isinstance(v.by_persona, dict) and key in v.by_persona]


def persona_usage(session: Session, persona: Persona) -> dict:
    """How many prospects carry it, and which sequences hold copy written for it."""
    prospects = session.scalar(select(func.count()).select_from(Prospect).where(Prospect.persona_id == persona.id))
    step_ids = {v.step_id for v in _override_variants(session, persona.key)}
    sequences = session.execute(select(Sequence.id, Sequence.name).join(Step, Step.sequence_id == Sequence.id)
                                .where(Step.id.in_(step_ids)).distinct().order_by(Sequence.name)).all() \
        if step_ids else []
    return {"prospects": prospects or 0, "sequences": [{"id": i, "name": n} for i, n in sequences]}


def update_persona(session: Session, persona: Persona, data: dict) -> Persona:
    """Apply validated fields; a new key must be free, and overrides follow the rename."""
    new_key = data.get("key", persona.key)
    if new_key != persona.key:
        existing = session.scalar(select(Persona.id).where(Persona.key == new_key, Persona.id != persona.id))
        if existing is not None:
            raise Duplicate(tr("persona %(key)s exists", key=repr(new_key)), existing_id=existing)
        for variant in _override_variants(session, persona.key):
            overrides = dict(variant.by_persona)
            overrides[new_key] = overrides.pop(persona.key)
            variant.by_persona = overrides
    for field in ("key", "name", "description"):
        if field in data:
            setattr(persona, field, data[field])
    if "title_keywords" in data:
        persona.title_keywords = clean_keywords(data["title_keywords"])
    session.flush()
    return persona


def clean_keywords(words: list[str]) -> list[str]:
    """Trimmed, non-empty, first spelling kept when two differ only in case."""
    seen: dict[str, str] = {}
    for word in words:
        word = str(word).strip()
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


def usage_message(persona: Persona, usage: dict) -> str:
    parts = []
    if usage["prospects"]:
        n = usage["prospects"]
        parts.append(tr("1 prospect") if n == 1 else tr("%(num)s prospects", num=n))
    if usage["sequences"]:
        names = ", ".join(s["name"] for s in usage["sequences"][:5])
        more = len(usage["sequences"]) - 5
        parts.append(tr("persona copy in %(names)s and %(more)s more", names=names, more=more) if more > 0 else
                     tr("persona copy in %(names)s", names=names))
    if len(parts) == 2:
        return tr("%(name)s is still used by %(first)s and %(second)s; reassign or remove those first",
                  name=persona.name, first=parts[0], second=parts[1])
    return tr("%(name)s is still used by %(first)s; reassign or remove those first", name=persona.name,
              first=parts[0] if parts else "")


def delete_persona(session: Session, persona: Persona) -> None:
    usage = persona_usage(session, persona)
    if usage["prospects"] or usage["sequences"]:
        raise Conflict(usage_message(persona, usage), **usage)
    session.delete(persona)
    session.flush()
