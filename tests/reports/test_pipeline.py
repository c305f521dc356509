"""Pipeline report arithmetic on a small, hand-checked set of deals."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sequencer.deals.deals import create_opportunity, move_stage
from sequencer.models import Stage
from sequencer.reports.pipeline import (
    conversion,
    load_deals,
    lost_reasons,
    previous_quarters,
    quarter_bounds,
    quarter_view,
    summary,
)

UTC = UTC
Q3 = datetime(2026, 7, 1, tzinfo=UTC)
Q4 = datetime(2026, 10, 1, tzinfo=UTC)
Q1 = datetime(2027, 1, 1, tzinfo=UTC)


def _deal(session, factory, manager, created, amount, moves, currency="EUR"):
    opp = create_opportunity(session, {"name": "D", "prospect_id": factory.prospect().id, "amount": amount,
                                       "currency": currency}, manager, created)
    for when, stage, *reason in moves:
        move_stage(session, opp, Stage(stage), manager, when, *reason)
    return opp


def test_conversion_summary_lost_reasons_and_quarter(session, factory):
    m = factory.user("manager")
    d = timedelta(days=1)
    # won: created in Q3, walks every stage, won 40 days later in Q4
    _deal(session, factory, m, Q3 + 80 * d, 30000, [(Q3 + 85 * d, "qualification"), (Q3 + 90 * d, "proposal"),
                                                    (Q4 + 5 * d, "negotiation"), (Q4 + 28 * d, "closed_won")])
    # lost in Q4 from proposal
    _deal(session, factory, m, Q3 + 10 * d, 10000, [(Q3 + 20 * d, "qualification"), (Q4 + 3 * d, "proposal"),
                                                    (Q4 + 20 * d, "closed_lost", "=Chose a competitor")])
    # created in Q4, still open in qualification
    _deal(session, factory, m, Q4 + 40 * d, 5000, [(Q4 + 41 * d, "qualification")])
    # in USD: counted, never summed with EUR
    _deal(session, factory, m, Q4 + 2 * d, 99999, [(Q4 + 50 * d, "closed_won")], currency="USD")
    session.flush()
    deals = load_deals(session)

    rows = {(r.stage, r.next_stage): (r.entered, r.advanced) for r in conversion(deals)}
    assert rows[("prospecting", "qualification")] == (4, 4)  # the USD deal skipped ahead: it reached won
    assert rows[("qualification", "needs_analysis")] == (4, 3)  # skipping a stage still counts as passing it
    assert rows[("proposal", "negotiation")] == (3, 2)
    assert rows[("negotiation", "closed_won")] == (2, 2)

    s = summary(deals, "EUR", Q4, Q1)
    assert (s.won, s.lost, s.win_rate) == (2, 1, 2 / 3)
    assert s.avg_deal == Decimal("30000") and s.won_amount == Decimal("30000")  # USD left out of the EUR sum
    assert s.avg_cycle_days == (40 + 48) / 2  # 19 Sep → 29 Oct, and 3 Oct → 20 Nov
    assert lost_reasons(deals, "EUR") == [("=Chose a competitor", 1, Decimal("10000"))]

    q = quarter_view(deals, "EUR", Q4, Q1, "2026 Q4")
    assert (q.open_at_start, q.open_at_start_amount) == (2, Decimal("40000"))
    assert (q.created, q.created_amount) == (2, Decimal("5000"))
    assert (q.won, q.won_amount, q.lost, q.lost_amount) == (2, Decimal("30000"), 1, Decimal("10000"))
    assert q.moved == 3  # proposal (lost deal), negotiation (won deal), qualification (new deal)
    assert (q.open_at_end, q.open_at_end_amount) == (1, Decimal("5000"))


def test_quarter_boundaries():
    assert quarter_bounds(date(2026, 11, 28))[::2] == (Q4, "2026 Q4")
    assert quarter_bounds(date(2026, 12, 31))[1] == Q1
    assert [label for _, _, label in previous_quarters(date(2027, 2, 1), 4)] == [
        "2026 Q2", "2026 Q3", "2026 Q4", "2027 Q1"]
