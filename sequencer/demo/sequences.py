"""The three demo cadences (copy as Jinja, per-persona overrides, one A/B pair) and a sandboxed renderer.

Rendering here mirrors what delivery stores with a send: the exact subject, a plain-text body and
a minimal HTML body, so the demo's sent step runs look like real ones.
"""
from __future__ import annotations

import html
from datetime import datetime

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from sequencer.models import Sequence, SequenceStatus, Step, StepType, User, Variant
from sequencer.models.workspace import DEFAULT_SCHEDULE

T = StepType
SIGN = "\n\n{{ sender.name }}\n{{ sender.title }}, Kvitas"

OUTBOUND_A = """Hi {{ prospect.first_name }},

Most finance teams at companies like {{ company.name }} still chase receipts and approvals by email \
before they can close the month.

Kvitas connects company cards, supplier invoices and approvals to \
{{ prospect.fields.erp | default("your ERP") }}, so the close takes days instead of weeks.

Would a 20-minute walkthrough next week be useful?""" + SIGN

OUTBOUND_B = """Hi {{ prospect.first_name }},

Quick question: how many people at {{ company.name }} touch a supplier invoice before it is paid?

Teams on Kvitas get it down to one approval in the app, with every invoice already matched in \
{{ prospect.fields.erp | default("the ERP") }}. Baltic logistics firms close 6 days faster on average.

Worth a short call?""" + SIGN

CFO_A = """Hi {{ prospect.first_name }},

As {{ prospect.title | default("finance lead") }} at {{ company.name }} you own the close. Our customers' \
CFOs tell us the slow part is not the ledger, it is collecting receipts, approvals and VAT evidence.

Kvitas does that in one flow and posts clean entries to {{ prospect.fields.erp | default("your ERP") }}: \
a 200-person distributor went from a 12-day to a 4-day close in one quarter.

Open to comparing notes for 20 minutes?""" + SIGN

CTO_COPY = """Hi {{ prospect.first_name }},

Finance will probably bring a spend tool to you for review soon, so here is the short version up front: \
Kvitas is ISO 27001 certified, hosted in the EU, supports SSO/SCIM and keeps a full audit log; the \
{{ prospect.fields.erp | default("ERP") }} connector is read/write through the official API only.

Happy to send the security pack for {{ company.name }} or do a 15-minute technical call.""" + SIGN

BUMP = """Hi {{ prospect.first_name }},

Bumping this in case it got buried. Here is a one-page case study from a \
{{ company.industry | default("company") | lower }} business of a similar size to {{ company.name }}: \
what they automated first and what it saved.

Shall I send it over?""" + SIGN

MANUAL = """Hi {{ prospect.first_name }},

[One line about something specific: a post, a hiring ad, a new site.]

That is usually when invoice approvals start to hurt. I put together a two-minute video of how \
{{ company.name }} could run them in Kvitas on top of {{ prospect.fields.erp | default("your ERP") }}.

Want me to send the link?""" + SIGN

BREAKUP = """Hi {{ prospect.first_name }},

I have not heard back, so I will assume spend management is not a priority at {{ company.name }} right now \
and close your file.

If that changes, reply to this email and I will pick it up.""" + SIGN

REENGAGE = """Hi {{ prospect.first_name }},

We spoke a while ago about approvals and the month-end close at {{ company.name }}. Since then we have \
shipped a native {{ prospect.fields.erp | default("ERP") }} connector and per-department budgets.

Is it worth a fresh look, or should I check back next year?""" + SIGN

DE_FIRST = """Guten Tag {{ prospect.first_name }} {{ prospect.last_name }},

Prüfer fragen bei {{ company.name }} sicher auch nach lückenlosen Belegen und Freigaben. Kvitas \
archiviert jede Ausgabe revisionssicher (GoBD) und übergibt sie sauber an \
{{ prospect.fields.erp | default("Ihr ERP") }}.

Hätten Sie nächste Woche 20 Minuten für einen kurzen Austausch?

Viele Grüße
{{ sender.name }}"""


def _email(subject: str, body: str, by_persona: dict | None = None, label: str = "A") -> dict:
    return {"label": label, "subject": subject, "body": body, "by_persona": by_persona or {}}


SEQUENCES = {
    "outbound": {
        "name": "Spend control for finance leaders — Q4 outbound",
        "description": "Cold outbound to CFOs, IT-security leads and sales heads at 50–5,000-person companies in "
                       "LT, DE and the US. Eight touches over about 17 business days; step 1 A/B tests a "
                       "benefit-led versus a question-led opener.",
        "status": SequenceStatus.ACTIVE,
        "steps": [
            (T.AUTO_EMAIL, 0, "", False, [
                _email("{{ company.name }}: month-end close without the receipt chase", OUTBOUND_A,
                       {"cfo": {"subject": "Closing the books at {{ company.name }} in 4 days", "body": CFO_A},
                        "cto": {"subject": "Security pack: Kvitas for {{ company.name }}", "body": CTO_COPY}}),
                _email("Question about invoice approvals at {{ company.name }}", OUTBOUND_B,
                       {"cto": {"subject": "Security pack: Kvitas for {{ company.name }}", "body": CTO_COPY}},
                       label="B")]),
            (T.LINKEDIN_VIEW, 1, "View the profile so your name shows up before the call. Note anything recent "
                                 "(new role, posts, hiring for finance or AP).", False, []),
            (T.CALL, 2, "Call about the step-1 email. Opener: 'You got my note about month-end close — is "
                        "chasing approvals a problem for you or did I guess wrong?'\nObjection 'our ERP has an "
                        "expense module' → ask how receipts get into it today.\nGoal: book a 30-minute demo.",
             False, []),
            (T.AUTO_EMAIL, 3, "", True, [_email("", BUMP)]),
            (T.LINKEDIN_CONNECT, 2, "Connect with a short note, no pitch: 'Hi {{ prospect.first_name }}, I work with "
                                    "finance teams at companies like {{ company.name }} on month-end close. Happy to "
                                    "connect.'", False, []),
            (T.MANUAL_EMAIL, 3, "Personalise the first line with something from their profile or company news, "
                                "then send from your own mailbox.", False,
             [_email("{{ company.name }} + Kvitas: an idea for {{ prospect.fields.erp | default('your ERP') }}",
                     MANUAL)]),
            (T.CALL, 2, "Second attempt. If no answer leave a 20-second voicemail: name, Kvitas, 'closing the "
                        "books in days', your number, and that you will email.", False, []),
            (T.AUTO_EMAIL, 4, "", False, [_email("Should I close your file, {{ prospect.first_name }}?", BREAKUP)]),
        ],
    },
    "dach": {
        "name": "DACH IT-Sicherheit & Audit-Trail (Entwurf)",
        "description": "German-language sequence for IT and finance leads in Germany; waiting for legal review "
                       "of the GoBD claims before activation.",
        "status": SequenceStatus.DRAFT,
        "steps": [
            (T.AUTO_EMAIL, 0, "", False, [_email("Revisionssichere Belege für {{ company.name }}", DE_FIRST)]),
            (T.LINKEDIN_CONNECT, 2, "Kontaktanfrage ohne Pitch senden.", False, []),
            (T.CALL, 2, "Nach der E-Mail fragen; Ziel: 30-Minuten-Demo mit IT und Finanzen.", False, []),
        ],
    },
    "reengage": {
        "name": "Re-engagement: closed-lost and went-dark (Q3)",
        "description": "Prospects who went quiet or chose a competitor at least 3 months ago; short and "
                       "low-pressure, one call at the end.",
        "status": SequenceStatus.ACTIVE,
        "schedule": {**DEFAULT_SCHEDULE, "window_start": "10:00", "window_end": "16:00"},
        "steps": [
            (T.AUTO_EMAIL, 0, "", False, [_email("What changed at {{ company.name }} since spring?", REENGAGE)]),
            (T.LINKEDIN_MESSAGE, 2, "Short LinkedIn message referencing the email; offer the 2-minute "
                                    "connector video instead of a meeting.", False, []),
            (T.AUTO_EMAIL, 3, "", True, [_email("", BUMP)]),
            (T.CALL, 2, "Last touch: ask whether to keep them on the list for next year's budget round.",
             False, []),
        ],
    },
}


def build_sequences(owner: User, created: datetime) -> dict[str, Sequence]:
    out = {}
    for key, spec in SEQUENCES.items():
        seq = Sequence(name=spec["name"], description=spec["description"], status=spec["status"],
                       owner_id=owner.id, schedule=dict(spec.get("schedule", DEFAULT_SCHEDULE)),
                       exit_on_reply=True, track_opens=True, track_clicks=True,
                       created_at=created, updated_at=created)
        for position, (stype, wait, instructions, thread, variants) in enumerate(spec["steps"], start=1):
            step = Step(sequence=seq, position=position, type=stype, wait_days=wait,
                        instructions=instructions, thread=thread, created_at=created)
            for v in variants:
                step.variants.append(Variant(label=v["label"], weight=50 if len(variants) > 1 else 100,
                                             subject=v["subject"], body=v["body"], by_persona=v["by_persona"],
                                             created_at=created))
        out[key] = seq
    return out


class Renderer:
    """Sandboxed Jinja with StrictUndefined, templates compiled once per distinct source."""

    def __init__(self):
        self.env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        self._cache: dict[str, object] = {}

    def _render(self, source: str, ctx: dict) -> str:
        tpl = self._cache.get(source)
        if tpl is None:
            tpl = self._cache[source] = self.env.from_string(source)
        return tpl.render(ctx)

    def render(self, variant: Variant, persona_key: str | None, ctx: dict,
               thread_subject: str | None) -> tuple[str, str, str]:
        """(subject, body_text, body_html) for a variant, applying the persona override if any."""
        override = variant.by_persona.get(persona_key or "", {})
        body = self._render(override.get("body") or variant.body, ctx)
        if thread_subject is not None:
            subject = thread_subject if thread_subject.startswith("Re: ") else f"Re: {thread_subject}"
        else:
            subject = self._render(override.get("subject") or variant.subject, ctx)
        paragraphs = [html.escape(p).replace("\n", "<br>\n") for p in body.split("\n\n")]
        body_html = "<html><body>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs) + "\n</body></html>"
        return subject, body, body_html


def context(prospect, company, sender: User, persona) -> dict:
    return {
        "prospect": {"first_name": prospect.first_name, "last_name": prospect.last_name, "name": prospect.name,
                     "title": prospect.title, "email": prospect.email, "city": prospect.city,
                     "fields": dict(prospect.fields or {})},
        "company": {"name": company.name, "domain": company.domain, "industry": company.industry,
                    "size": company.size},
        "sender": {"name": sender.name, "first_name": sender.name.split()[0], "title": sender.title,
                   "email": sender.email, "signature": sender.signature},
        "persona": {"key": persona.key, "name": persona.name} if persona else {"key": "", "name": ""},
    }
