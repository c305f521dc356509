"""Prospect CSV import: reading any export, mapping its columns, checking rows, loading them in batches."""
