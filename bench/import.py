"""Import a 100,000-row CSV on PostgreSQL the way a worker does; prints wall time and the worker's
peak memory (targets: < 30 s, < 300 MB).

    .venv/bin/python -m bench.import [--rows 100000]

The parent writes the file and queues the import; a child process (the "worker") runs the job and
reports its own peak RSS, so file generation does not count against the worker.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

from bench._pg import bench_app, fresh_database
from sequencer.extensions import db
from sequencer.models import Persona, Role, User
from sequencer.people.csv_import.service import confirm, start_import
from sequencer.platform import clock

DB_NAME = "sequencer_bench_import"
PLACES = [("Vilnius", "Lithuania", "+370 612 {:05d}"), ("Kaunas", "LT", "8 612 {:05d}"),
          ("Berlin", "Germany", "+49 30 {:07d}"), ("Riga", "Latvia", "+371 2{:07d}"),
          ("Chicago, IL", "United States", "(312) 555-{:04d}"), ("München", "Deutschland", "089 {:07d}")]
TITLES = ["CFO", "Finansų direktorė", "Head of Sales", "IT direktorius", "Leiter Finanzen", "Office manager"]
FIRST = ["Šarūnas", "Jūratė", "Jürgen", "Käthe", "Emily", "Laura", "Mindaugas", "Ieva"]
LAST = ["Žukauskas", "Čepulienė", "Müller", "Groß", "Carter", "Bērziņa", "Ąžuolas", "Petraitytė"]


def write_csv(path: str, rows: int) -> None:
    rng = random.Random(9)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("First Name,Last Name,Email,Title,Company,Website,Phone,City,Country,Notes\r\n")
        for i in range(rows):
            city, country, phone = PLACES[i % len(PLACES)]
            company = i // 40
            email = f"person{i}@company{company}.example"
            if i % 100 == 7:
                email = f"broken{i}@"  # 1 % bad rows
            elif i % 250 == 3:
                email = f"person{i - 1}@company{(i - 1) // 40}.example".upper()  # duplicates within the file
            city_cell = f'"{city}"' if "," in city else city
            fh.write(f"{rng.choice(FIRST)},{rng.choice(LAST)},{email},{rng.choice(TITLES)},Company {company} UAB,"
                     f"company{company}.example,{phone.format(i % 10000)},{city_cell},{country},lead {i}\r\n")


def worker(database_url: str, import_id: int) -> None:
    from sequencer.people.csv_import.runner import run_import

    app = bench_app(database_url)
    with app.app_context():
        started = time.perf_counter()
        imp = run_import(db.session, import_id, clock.now())
        elapsed = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(json.dumps({"seconds": elapsed, "peak_rss_mb": usage.ru_maxrss / 1024,
                          "cpu_seconds": usage.ru_utime + usage.ru_stime, "status": imp.status.value,
                          "created": imp.created_count, "skipped": imp.skipped_count,
                          "failed": imp.failed_count}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE_URL", "IMPORT_ID"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    url = fresh_database(DB_NAME)
    app = bench_app(url)
    workdir = tempfile.mkdtemp(prefix="bench-import-")
    path = os.path.join(workdir, "leads.csv")
    write_csv(path, args.rows)
    size_mb = os.path.getsize(path) / 1e6
    with app.app_context():
        s = db.session
        user = User(email="manager@example.com", name="Manager", role=Role.MANAGER, password_hash="x")
        s.add(user)
        s.add_all([Persona(key="cfo", name="CFO", title_keywords=["CFO", "Finansų direktor", "Leiter Finanzen"]),
                   Persona(key="sales", name="Head of Sales", title_keywords=["Head of Sales"]),
                   Persona(key="cto", name="CTO", title_keywords=["CTO", "IT direktor"])])
        s.flush()
        with open(path, "rb") as fh:
            imp = start_import(s, fh, "leads.csv", user, workdir)
        confirm(s, imp, None, {"on_duplicate": "update_empty"}, user)
        s.commit()
        import_id = imp.id
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-m", "bench.import", "--worker", url, str(import_id)],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{args.rows:,} rows ({size_mb:.1f} MB) imported in {result['seconds']:.1f} s "
          f"({args.rows / result['seconds']:,.0f} rows/s); worker peak RSS {result['peak_rss_mb']:.0f} MB, "
          f"worker CPU {result['cpu_seconds']:.1f} s (load average {load:.1f} on {os.cpu_count()} cores); "
          f"created {result['created']:,}, duplicates/suppressed {result['skipped']:,}, "
          f"bad rows {result['failed']:,} ({result['status']})")


if __name__ == "__main__":
    main()
