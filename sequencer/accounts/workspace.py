"""The workspace's single settings row."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sequencer.errors import Invalid
from sequencer.models import Workspace
from sequencer.platform.addresses import clean_domain
from sequencer.platform.i18n import DEFAULT_LOCALE, LOCALES, supported
from sequencer.texts import tr

MAX_LINK_DOMAINS = 50


def get_workspace(session: Session) -> Workspace:
    """The settings row, created with defaults on first use; a process that loses the race to create it (two
    first send batches at once) reads the winner's row instead of failing its job."""
    ws = session.scalars(select(Workspace).order_by(Workspace.id)).first()
    if ws is not None:
        return ws
    try:
        with session.begin_nested():
            ws = Workspace(id=1)
            session.add(ws)
    except IntegrityError:
        ws = session.scalars(select(Workspace).order_by(Workspace.id)).one()
    return ws


def default_locale(session: Session, workspace: Workspace | None = None) -> str:
    """The language for readers who chose none: the one rule every door and job asks (never creates the row).

    A caller that already holds the row (a send batch) passes it, saving a query per email."""
    value = workspace.default_locale if workspace is not None else \
        session.scalar(select(Workspace.default_locale).order_by(Workspace.id).limit(1))
    return supported(value) or DEFAULT_LOCALE


def set_default_locale(ws: Workspace, value: str) -> None:
    """The language for readers whose profile and browser name none we speak: one of ours, never empty."""
    value = (value or "").strip()
    if value not in LOCALES:
        raise Invalid.field("default_locale", tr("Pick a language from the list."))
    ws.default_locale = value


def clean_link_domains(raw: str) -> list[str]:
    """The tracked-link domains from text (one per line or comma-separated); Invalid names a bad one."""
    out: list[str] = []
    for part in raw.replace(",", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        domain = clean_domain(part)
        if domain is None:
            raise Invalid.field("tracked_link_domains",
                                tr("%(value)s is not a domain (e.g. example.com)", value=repr(part[:60])))
        if domain not in out:
            out.append(domain)
    if len(out) > MAX_LINK_DOMAINS:
        raise Invalid.field("tracked_link_domains", tr("at most %(max)s domains", max=MAX_LINK_DOMAINS))
    return out
