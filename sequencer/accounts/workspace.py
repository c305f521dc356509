"""The workspace's single settings row."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import Workspace
from sequencer.platform.addresses import clean_domain

MAX_LINK_DOMAINS = 50


def get_workspace(session: Session) -> Workspace:
    """The settings row, created with defaults on first use."""
    ws = session.scalars(select(Workspace).order_by(Workspace.id)).first()
    if ws is None:
        ws = Workspace(id=1)
        session.add(ws)
        session.flush()
    return ws


def clean_link_domains(raw: str) -> list[str]:
    """The tracked-link domains from text (one per line or comma-separated); Invalid names a bad one."""
    out: list[str] = []
    for part in raw.replace(",", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        domain = clean_domain(part)
        if domain is None:
            raise Invalid.field("tracked_link_domains", f"{part[:60]!r} is not a domain (e.g. example.com)")
        if domain not in out:
            out.append(domain)
    if len(out) > MAX_LINK_DOMAINS:
        raise Invalid.field("tracked_link_domains", f"at most {MAX_LINK_DOMAINS} domains")
    return out
