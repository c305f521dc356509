"""Webhooks and the change feed: catalogue events written to an outbox with their change, delivered signed."""
