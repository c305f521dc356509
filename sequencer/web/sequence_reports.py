"""Managers' report pages: one sequence's A/B comparison and funnel, activity per rep, and their CSV exports."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required

from sequencer.errors import DomainError
from sequencer.extensions import db
from sequencer.platform import clock
from sequencer.platform.csv_export import to_csv
from sequencer.reports import sequence_report
from sequencer.reports.comparison import METRICS
from sequencer.reports.reps import COLUMNS, rep_activity
from sequencer.sequences.authoring import load_sequence
from sequencer.sequences.promotion import declare_winner, update_settings
from sequencer.web import web_bp
from sequencer.web.access import MANAGERS, REPORT_VIEWERS, roles_required
from sequencer.web.locale import say, when
from sequencer.web.refusals import flash_refusal
from sequencer.web.report_filters import owner_choices, range_end, report_filters

SETTING_NAMES = {"primary_metric": lazy_gettext("primary metric"), "min_sample": lazy_gettext("min sample"),
                 "holdout_pct": lazy_gettext("holdout pct"), "auto_promote": lazy_gettext("auto promote"),
                 "stratify_by_persona": lazy_gettext("stratify by persona")}


def _load(sequence_id: int):
    try:
        return load_sequence(db.session, sequence_id)
    except DomainError:
        abort(404)


def chart_data(report: sequence_report.SequenceReport) -> dict:
    """What the page's charts draw (read by static/reports.js from a JSON script tag, no inline code)."""
    pct = lambda x: None if x is None else round(100 * x, 2)  # noqa: E731
    experiments = []
    for s in report.steps:
        if s.is_experiment:
            field = s.metric_field
            experiments.append({"position": s.position, "metric": say(METRICS[s.primary_metric][1]), "arms": [
                {"label": a.label, "rate": pct(a.counts.rate(field)),
                 "low": pct(a.counts.interval(field)[0]), "high": pct(a.counts.interval(field)[1])}
                for a in s.arms]})
    return {"weeks": [{"week": when(w.start, "%-d %b"), "sent": w.sent, "reply": pct(w.rate("replied")),
                       "meeting": pct(w.rate("meetings"))} for w in report.weeks],
            "funnel": [{"position": f.position, "reached": f.reached} for f in report.funnel],
            "experiments": experiments}


@web_bp.route("/reports/sequences/<int:sequence_id>")
@roles_required(*REPORT_VIEWERS)
def sequence_report_page(sequence_id: int):
    report = sequence_report.build(db.session, _load(sequence_id))
    return render_template("web/reports/sequence_report.html", report=report, seq=report.sequence, metrics=METRICS,
                           charts=chart_data(report), funnel={f.position: f for f in report.funnel})


@web_bp.post("/reports/sequences/<int:sequence_id>/steps/<int:position>/winner")
@roles_required(*MANAGERS)
def sequence_report_winner(sequence_id: int, position: int):
    seq = _load(sequence_id)
    step = next((s for s in seq.steps if s.position == position), None) or abort(404)
    try:
        decision = declare_winner(db.session, step, request.form.get("variant_id", type=int) or 0,
                                  current_user.id, clock.now(), override=request.form.get("override") == "on")
        db.session.commit()
        label = next(v.label for v in step.variants if v.id == decision.variant_id)
        flash(_("Variant %(label)s is the winner of step %(position)s; the others are no longer assigned.",
                label=label, position=position), "success")
    except DomainError as exc:
        flash_refusal(exc)
    return redirect(url_for("web.sequence_report_page", sequence_id=sequence_id))


@web_bp.post("/reports/sequences/<int:sequence_id>/steps/<int:position>/experiment")
@roles_required(*MANAGERS)
def sequence_report_settings(sequence_id: int, position: int):
    seq = _load(sequence_id)
    step = next((s for s in seq.steps if s.position == position), None) or abort(404)
    form = request.form
    data = {"primary_metric": form.get("primary_metric", step.primary_metric),
            "auto_promote": form.get("auto_promote") == "on",
            "stratify_by_persona": form.get("stratify_by_persona") == "on"}
    for key in ("min_sample", "holdout_pct"):
        raw = form.get(key, "").strip()
        data[key] = int(raw) if raw.isdigit() else raw or getattr(step, key)
    try:
        update_settings(db.session, step, data)
        db.session.commit()
        flash(_("Experiment settings of step %(position)s saved.", position=position), "success")
    except DomainError as exc:
        db.session.rollback()
        flash("; ".join(f"{say(SETTING_NAMES.get(d['field'], d['field']))}: {say(d['message'])}" for d in exc.details),
              "error")
    return redirect(url_for("web.sequence_report_page", sequence_id=sequence_id))


def _csv(name: str, header, rows) -> Response:
    return Response(to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _rate(x):
    return "" if x is None else round(x, 4)


@web_bp.route("/reports/sequences/<int:sequence_id>/<any(variants, personas, funnel, weekly):table>.csv")
@roles_required(*REPORT_VIEWERS)
def sequence_report_csv(sequence_id: int, table: str):
    report = sequence_report.build(db.session, _load(sequence_id))
    if table == "funnel":
        f = {x.position: x for x in report.funnel}
        return _csv(f"sequence-{sequence_id}-funnel",
                    ["step", "type", "reached", "held_out", "sent", "replied", "meetings", "bounced", "unsubscribed",
                     "tasks_done", "exited"],
                    [[s.position, s.type, f[s.position].reached, f[s.position].held_out, s.totals.sent,
                      s.totals.replied, s.totals.meetings, s.totals.bounced, s.totals.unsubscribed,
                      s.totals.tasks_done, "; ".join(f"{k} {v}" for k, v in f[s.position].exited.items())]
                     for s in report.steps])
    if table == "weekly":
        return _csv(f"sequence-{sequence_id}-weekly", ["week", "sent", "replied", "meetings", "reply_rate",
                                                      "meeting_rate"],
                    [[w.start, w.sent, w.replied, w.meetings, _rate(w.rate("replied")), _rate(w.rate("meetings"))]
                     for w in report.weeks])
    header = ["step", "persona", "variant", "sent", "opened", "clicked", "replied", "positive_replies", "meetings",
              "reply_rate", "reply_ci_low", "reply_ci_high", "meeting_rate", "prob_best", "primary_metric"]
    rows = []
    for s in report.steps:
        slices = [("all", s.arms)] if table == "variants" else [(p.persona, p.arms) for p in s.personas]
        for persona, arms in slices:
            for a in arms:
                c = a.counts
                rows.append([s.position, persona, a.label, c.sent, c.opened, c.clicked, c.replied, c.positive,
                             c.meetings, _rate(c.rate("replied")), _rate(c.interval("replied")[0]),
                             _rate(c.interval("replied")[1]), _rate(c.rate("meetings")), _rate(a.prob_best),
                             s.primary_metric])
    return _csv(f"sequence-{sequence_id}-{table}", header, rows)


def _activity():
    """The activity report's weeks and rows for the request's range and owner (a rep: only their own row)."""
    filters = report_filters()
    now = clock.now()
    weeks, rows = rep_activity(db.session, range_end(filters, now), weeks=filters.weeks(8, now.date()))
    if filters.owner_id is not None:
        rows = [r for r in rows if r.user_id == filters.owner_id]
    return filters, weeks, rows


@web_bp.route("/reports/reps")
@login_required
def rep_report():
    filters, weeks, rows = _activity()
    chart = {"weeks": [when(w, '%-d %b') for w in weeks],
             "reps": [{"name": r.name, "emails": [r.weeks[w].emails if w in r.weeks else 0 for w in weeks],
                       "meetings": [r.weeks[w].meetings if w in r.weeks else 0 for w in weeks]} for r in rows]}
    return render_template("web/reports/rep_report.html", weeks=weeks, rows=rows, columns=COLUMNS, chart=chart,
                           filters=filters, owners=owner_choices())


@web_bp.route("/reports/reps.csv")
@login_required
def rep_report_csv():
    _, weeks, rows = _activity()
    out = []
    for r in rows:
        for w in weeks:
            wk = r.weeks.get(w)
            out.append([r.name, w, *[getattr(wk, c) if wk else 0 for c in COLUMNS], r.overdue])
    return _csv("rep-activity", ["rep", "week", "emails_sent", "calls_made", "calls_connected", "linkedin_touches",
                                 "meetings_booked", "tasks_overdue_now"], out)
