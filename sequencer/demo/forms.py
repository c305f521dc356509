"""Website forms in the demo: a demo-request form and a content download, each with a few days of submissions
taken through the real intake and worker (contacts, owners, welcome emails, speed-to-lead tasks), most of them
already touched so the report has its median minutes to first touch."""
from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sequencer.forms import definitions, intake, spam
from sequencer.forms.process import process
from sequencer.mail.delivery import SendSettings
from sequencer.models import Company, Task, TaskStatus, User

SECRET = "demo-forms"
FIELDS = [{"name": "email", "label": "Work email", "required": True}, {"name": "first_name", "label": "First name"},
          {"name": "last_name", "label": "Last name"}, {"name": "company", "label": "Company"},
          {"name": "title", "label": "Job title"}, {"name": "country", "label": "Country"},
          {"name": "consent", "label": "Consent", "required": True}]
# (hours ago, first, last, company (index into the demo's companies), title, utm_source, minutes to first
# touch or None); an empty first name is a role address (info@), "Jan" comes from a disposable address
DEMO_LEADS = [
    (70, "Rūta", "Vaitkutė", 3, "CFO", "google", 4),
    (52, "Jonas", "Petrauskas", 8, "Head of Finance", "linkedin", 11),
    (30, "Sarah", "Miller", 41, "VP Finance", "google", 38),
    (20, "", "", 12, "", "", 95),
    (3, "Mark", "Evans", 44, "Finance Director", "linkedin", None),
    (0.05, "Lina", "Kazlauskienė", 17, "Controller", "google", None),
]
GUIDE_LEADS = [
    (96, "Tomas", "Urbonas", 21, "Chief Accountant", "newsletter", 25),
    (60, "Elena", "Ivanova", 5, "CFO", "linkedin", 7),
    (26, "Paul", "Wagner", 30, "Leiter Finanzen", "newsletter", 140),
    (8, "Jan", "Nowak", None, "", "google", None),
]
COUNTRIES = {"LT": "Lithuania", "DE": "Germany", "US": "United States"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _forms(session: Session, users: dict[str, User]) -> tuple:
    manager, rep, rep2 = users["manager"], users["rep"], users["rep2"]
    demo = definitions.create(session, {
        "name": "Book a demo", "kind": "demo_request", "fields": FIELDS,
        "consent_text": "I agree that Kvitas may contact me about my demo.",
        "booking_url": "https://kvitas-demo.com/book", "allowed_origins": ["https://kvitas-demo.com"],
        "thank_you": "Thanks! Your rep will be in touch within minutes.",
        "routing": {"rules": [{"field": "country", "in": ["US"], "user_id": rep2.id}],
                    "round_robin": [{"user_id": rep.id, "weight": 2}, {"user_id": rep2.id, "weight": 1}],
                    "daily_cap": 20}}, manager)
    guide = definitions.create(session, {
        "name": "Month-end close playbook", "kind": "content_download", "fields": FIELDS[:1] + FIELDS[1:4] + FIELDS[5:],
        "consent_text": "Send me the playbook and occasional finance-team tips.",
        "content_url": "https://kvitas-demo.com/files/month-end-close-playbook.pdf",
        "allowed_origins": ["https://kvitas-demo.com"],
        "routing": {"round_robin": [{"user_id": rep.id, "weight": 1}, {"user_id": rep2.id, "weight": 1}]}}, manager)
    return demo, guide


def _submit(session: Session, form, lead: tuple, companies: list[Company], now: datetime) -> None:
    hours, first, last, index, title, source, touched = lead
    at = now - timedelta(hours=hours)
    company = companies[index % len(companies)] if index is not None and companies else None
    if company is None:
        email, name, country = f"{_ascii(first)}.{_ascii(last)}@mailinator.com", "", "Poland"
    else:
        local = f"{_ascii(first)}.{_ascii(last)}" if first else "info"
        email, name, country = f"{local}@{company.domain}", company.name, COUNTRIES.get(company.country or "", "")
    raw = {"email": email, "first_name": first, "last_name": last, "company": name, "title": title,
           "country": country, "consent": "on", "_t": spam.timing_token(SECRET, form.id, at - timedelta(seconds=40))}
    if source:
        raw["utm_source"] = source
    meta = intake.Meta("203.0.113.10", "Mozilla/5.0 (demo)", "https://kvitas-demo.com/demo")
    outcome = intake.receive(session, form, raw, meta, at, SECRET)
    session.commit()
    if outcome.submission is None:
        return
    settings = SendSettings(base_url="http://localhost", secret_key=SECRET, outbox_dir="", clock=lambda: at)
    done = process(session, outcome.submission.id, settings)
    if touched is not None and done.task_id:
        task = session.get_one(Task, done.task_id)
        task.status, task.outcome = TaskStatus.DONE, "connected"
        task.completed_at = at + timedelta(minutes=touched)
        session.commit()


def build_forms(session: Session, users: dict[str, User], now: datetime) -> int:
    """Two forms and their submissions; returns how many submissions (the worker's commits included)."""
    demo, guide = _forms(session, users)
    session.commit()
    companies = list(session.scalars(select(Company).where(Company.domain.is_not(None)).order_by(Company.id)))
    for form, leads in ((demo, DEMO_LEADS), (guide, GUIDE_LEADS)):
        for lead in leads:
            _submit(session, form, lead, companies, now)
    return len(DEMO_LEADS) + len(GUIDE_LEADS)
