"""The processes Sequencer runs as: `sequencer run` (everything on one machine), the RQ worker, the periodic
schedule and one-off jobs, and gunicorn settings. Entry points: they may import anything below them."""
