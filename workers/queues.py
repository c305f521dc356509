"""Queue names for the jobs; they live in sequencer.platform.queues, where sequencer's own code reaches them."""
from sequencer.platform.queues import ALL, DEFAULT, DISPATCH, SEND, WEBHOOKS, queue

__all__ = ["ALL", "DEFAULT", "DISPATCH", "SEND", "WEBHOOKS", "queue"]
