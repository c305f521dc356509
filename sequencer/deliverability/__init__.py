"""Deliverability: domain authentication checks, DKIM signing, tracking domains and the warm-up ramp."""
