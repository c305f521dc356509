"""The RQ side: job functions (thin, take ids) and the periodic schedule; the worker itself is `sequencer worker`."""
