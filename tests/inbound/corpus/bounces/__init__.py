"""Delivery reports and complaints written from the RFCs and the vendors' documented formats (see generate.py)."""
