"""Lead scoring: activities in, fit and engagement points on an append-only ledger, decay, re-scores, hand-off."""
