"""A worker process for the kill test: imports with small batches and stalls inside batch 2's
transaction (rows written, not committed) so the test can SIGKILL it there."""
import sys
import time

from sequencer.app import create_app
from sequencer.extensions import db
from sequencer.people.csv_import import runner
from sequencer.platform import clock


def stall(stage: str, imp) -> None:
    if stage == "before_commit" and imp.processed_rows == runner.BATCH:
        print("stalled", flush=True)
        time.sleep(60)


if __name__ == "__main__":
    database_url, redis_url, import_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runner.BATCH = 5
    app = create_app({"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "kill-test",
                      "TESTING": True})
    with app.app_context():
        runner.run_import(db.session, import_id, clock.now(), hook=stall)
