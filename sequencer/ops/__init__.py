"""Operating Sequencer: the figures metrics report, the queue view's data, `doctor`'s checks and backups.

Plain services (a Session, a Redis connection, a settings dict); the HTTP and process wiring is in
`sequencer.runtime` and `sequencer.web`.
"""
