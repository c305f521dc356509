"""Managers' reports: aggregates in SQL over the append-only events, statistics in `sequencer.reports.stats`."""
