"""The RQ side: job functions (thin, take ids), the worker entry point and the periodic schedule."""
