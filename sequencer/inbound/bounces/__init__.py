"""Delivery reports and complaints as the real world sends them: detection, reasons, recipients, per-MTA formats."""
