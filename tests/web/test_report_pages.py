"""The sequence report page, its controls and CSV exports, and activity per rep: managers only."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from sequencer.models import TaskStatus
from sequencer.platform import clock
from tests.reports.helpers import T0, ab_sequence, event, sent_run


def _seq(factory, session, prospect_name="Ona"):
    cfo = factory.persona("cfo", name="CFO / finance lead")
    seq = ab_sequence(session)
    seq.name = "=HYPERLINK(\"x\") outbound"
    a, b = seq.steps[0].variants
    for i in range(6):
        run = sent_run(session, seq, factory.prospect(persona_id=cfo.id, first_name=prospect_name), 1,
                       a if i % 2 else b)
        if i == 0:
            event(session, "replied", run, sentiment="positive")
    session.commit()
    return seq


def test_manager_sees_variants_intervals_probability_and_personas(client, as_role, factory, session):
    seq = _seq(factory, session)
    as_role("manager")
    html = client.get(f"/reports/sequences/{seq.id}").get_data(as_text=True)
    assert "Step 1 · A/B test" in html and "P(best)" in html and "95% CI" in html
    assert "Not enough data to call it yet" in html and "CFO / finance lead" in html
    assert "unreliable" in html  # opens are flagged
    assert 'id="report-data"' in html and "chart.umd.min.js" in html
    assert "&#34;x&#34;" in html or "&quot;x&quot;" in html  # the name is escaped


def test_reps_cannot_open_team_reports(client, as_role, factory, session):
    seq = _seq(factory, session)
    rep = as_role("rep")
    assert client.get(f"/reports/sequences/{seq.id}").status_code == 403
    assert client.get(f"/reports/reps?owner={rep.id + 1000}").status_code == 403  # only their own activity
    assert client.get(f"/reports/sequences/{seq.id}/variants.csv").status_code == 403


def test_settings_form_saves_and_reports_bad_values(client, as_role, factory, session):
    seq = _seq(factory, session)
    as_role("manager")
    url = f"/reports/sequences/{seq.id}/steps/1/experiment"
    res = client.post(url, data={"primary_metric": "meeting", "min_sample": "40", "holdout_pct": "10",
                                 "auto_promote": "on"}, follow_redirects=True)
    assert "Experiment settings of step 1 saved" in res.get_data(as_text=True)
    step = seq.steps[0]
    session.refresh(step)
    assert (step.primary_metric, step.min_sample, step.holdout_pct, step.auto_promote, step.stratify_by_persona) == \
        ("meeting", 40, 10, True, False)
    res = client.post(url, data={"primary_metric": "meeting", "min_sample": "5", "holdout_pct": "90"},
                      follow_redirects=True)
    text = res.get_data(as_text=True)
    assert "min sample: a whole number from 10 to 100000" in text and "holdout pct" in text
    session.refresh(step)
    assert step.min_sample == 40


def test_winner_form_promotes_and_page_says_so(client, as_role, factory, session):
    seq = _seq(factory, session)
    as_role("manager")
    b = seq.steps[0].variants[1]
    res = client.post(f"/reports/sequences/{seq.id}/steps/1/winner", data={"variant_id": str(b.id), "override": "on"},
                      follow_redirects=True)
    html = res.get_data(as_text=True)
    assert "Variant B is the winner of step 1" in html and "Variant B won." in html
    assert "declared by a manager" in html


def test_csv_exports_are_formula_safe(client, as_role, factory, session):
    seq = _seq(factory, session)
    evil = factory.persona("evil", name="=SUM(1+1)")
    sent_run(session, seq, factory.prospect(persona_id=evil.id), 1, seq.steps[0].variants[0])
    session.commit()
    as_role("manager")
    res = client.get(f"/reports/sequences/{seq.id}/variants.csv")
    assert res.mimetype == "text/csv" and "attachment" in res.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["step", "persona", "variant", "sent"]
    assert [r[2:4] for r in rows[1:]] == [["A", "4"], ["B", "3"]]
    personas = list(csv.reader(io.StringIO(
        client.get(f"/reports/sequences/{seq.id}/personas.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert {r[1] for r in personas[1:]} == {"CFO / finance lead", "'=SUM(1+1)"}
    for table in ("funnel", "weekly"):
        assert client.get(f"/reports/sequences/{seq.id}/{table}.csv").status_code == 200
    assert client.get(f"/reports/sequences/{seq.id}/secrets.csv").status_code == 404


def test_rep_activity_counts_per_week(client, as_role, factory, session):
    manager = as_role("manager")
    rep = factory.user("rep", name="Emily Carter")
    box = factory.mailbox(owner_id=rep.id)
    seq = ab_sequence(session)
    now = T0 + timedelta(days=3)
    for _ in range(3):
        sent_run(session, seq, factory.prospect(), 1, seq.steps[0].variants[0], T0, mailbox_id=box.id)
    for outcome in ("connected", "no_answer"):
        factory.task("call", status=TaskStatus.DONE, owner_id=rep.id, due_at=T0, title="Call", outcome=outcome,
                     completed_at=T0)
    factory.task("linkedin_view", status=TaskStatus.DONE, owner_id=rep.id, due_at=T0, title="View", outcome="done",
                 completed_at=T0)
    factory.task("call", status=TaskStatus.OPEN, owner_id=rep.id, due_at=T0, title="Late call")
    session.commit()
    with clock.frozen(now):
        html = client.get("/reports/reps").get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(client.get("/reports/reps.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert "Emily Carter" in html and 'id="rep-chart"' in html
    week = next(r for r in rows if r[0] == "Emily Carter" and r[1] == T0.date().isoformat())
    assert week[2:] == ["3", "2", "1", "1", "0", "1"]
    assert manager.name not in {r[0] for r in rows[1:]}


def test_reports_overview_counts_a_resent_step_run_once(client, as_role, factory, session):
    seq = _seq(factory, session)
    run = sent_run(session, seq, factory.prospect(), 1, seq.steps[0].variants[0])
    event(session, "sent", run)  # the soft-bounce retry
    session.commit()
    as_role("manager")
    html = client.get("/reports").get_data(as_text=True)
    variants = html.split("Steps and variants", 1)[1]
    assert '<td class="num">4</td>' in variants and '<td class="num">3</td>' in variants  # A 4 runs, B 3
    assert f'href="/reports/sequences/{seq.id}"' in html


def test_holdout_results_are_shown(client, as_role, factory, session):
    seq = _seq(factory, session)
    seq.steps[0].holdout_pct = 10
    run = sent_run(session, seq, factory.prospect(), 1, seq.steps[0].variants[0])
    run.holdout = True
    session.commit()
    as_role("manager")
    html = client.get(f"/reports/sequences/{seq.id}").get_data(as_text=True)
    holdout = html.split('id="holdouts"', 1)[1].split("</section>", 1)[0]
    assert "Step 1" in holdout and '<td class="num">6</td>' in holdout and '<td class="num">1</td>' in holdout
