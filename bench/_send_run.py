"""The processes of a send benchmark (workers, the cron, py-spy), what they cost (CPU, RSS), and the report."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
from rq import Worker

from bench._send_world import ROOT, raw_ceiling, summarise_profile

MB = 1024 * 1024


def named(*names: str) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith(names)]


def backends(database: str) -> list[psutil.Process]:
    """This benchmark's PostgreSQL backends only (`postgres: user DATABASE host…`): the server is shared."""
    out = []
    for p in psutil.process_iter(["name", "cmdline"]):
        if (p.info["name"] or "").startswith("postgres") and f" {database} " in " ".join(p.info["cmdline"] or []):
            out.append(p)
    return out


def cpu_of(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    return total


class PgSampler(threading.Thread):
    """CPU of the benchmark database's backends, short-lived ones included, every 200 ms (a backend's time dies
    with it); the server's shared background processes (WAL writer, checkpointer) are not counted."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database = database
        self.base = {p.pid: cpu_of([p]) for p in backends(database)}
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            for proc in backends(self.database):
                with contextlib.suppress(psutil.Error):
                    self.seen[proc.pid] = cpu_of([proc])

    def total(self) -> float:
        return sum(max(0.0, v - self.base.get(pid, 0.0)) for pid, v in self.seen.items())


class Processes:
    """W `python -m sequencer worker` (own process groups), optionally `sequencer cron` and py-spy on each worker."""

    def __init__(self, env: dict, tmp: Path, workers: int, conn, sink, database: str, profile: Path | None = None):
        self.database = database
        self.env, self.tmp, self.n, self.conn, self.sink, self.profile = env, tmp, workers, conn, sink, profile
        self.workers: list[subprocess.Popen] = []
        self.cron: subprocess.Popen | None = None
        self.spies: list[subprocess.Popen] = []
        self.rss: list[float] = []  # all workers together, MiB, one sample per poll
        self.cpu: dict[str, float] = {}

    def _spawn(self, *command: str, log: str) -> subprocess.Popen:
        with open(self.tmp / log, "wb") as out:
            return subprocess.Popen([sys.executable, "-m", "sequencer", *command], cwd=ROOT, env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self) -> Processes:
        self.workers = [self._spawn("worker", log=f"worker{i}.log") for i in range(self.n)]
        while len(Worker.all(connection=self.conn)) < self.n:
            time.sleep(0.05)
        if self.profile:
            self.profile.mkdir(parents=True, exist_ok=True)
            self.spies = [subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(w.pid),
                                            "--rate", "200", "--format", "raw", "--nonblocking",
                                            "-o", str(self.profile / f"worker{i}.txt")],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                          for i, w in enumerate(self.workers)]
            time.sleep(1.0)
        self.pg = PgSampler(self.database)
        self.pg.start()
        self.cpu0 = self._cpu()
        self.started = time.perf_counter()
        self.sample_rss()
        return self

    def start_cron(self) -> None:
        self.cron = self._spawn("cron", log="cron.log")

    def _cpu(self) -> dict[str, float]:
        return {"workers": cpu_of([psutil.Process(w.pid) for w in self.workers]),
                "redis": cpu_of(named("redis-server")), "sink": cpu_of([psutil.Process(self.sink.proc.pid)]),
                "cron": cpu_of([psutil.Process(self.cron.pid)]) if self.cron else 0.0}

    def sample_rss(self) -> None:
        total = 0
        for w in self.workers:
            with contextlib.suppress(psutil.Error):
                total += psutil.Process(w.pid).memory_info().rss
        self.rss.append(total / MB)

    def finish(self) -> None:
        """Take the CPU figures while everything still runs (a process's times are gone once it exits)."""
        self.wall = time.perf_counter() - self.started
        cpu1 = self._cpu()
        self.cpu = {k: cpu1[k] - self.cpu0.get(k, 0.0) for k in cpu1}
        self.pg.stop.set()
        self.pg.join()
        self.cpu["postgres"] = self.pg.total()

    def __exit__(self, *exc) -> None:
        for spy in self.spies:
            spy.send_signal(2)
        for spy in self.spies:
            try:
                spy.wait(20)
            except subprocess.TimeoutExpired:
                spy.kill()
        everyone = [*self.workers, *([self.cron] if self.cron else [])]
        for proc in everyone:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
        for proc in everyone:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


def report(app, args, sink, procs: Processes, *, sent: int, elapsed: float, dispatches: int) -> None:
    e2e = sent / elapsed
    print(f"end to end: {sent:,} sent (sink received {sink.count():,}) in {elapsed:.2f} s = {e2e:,.0f} msg/s  "
          f"[{args.mode}: {dispatches or 'cron +'} dispatch jobs, {args.workers} workers, "
          f"batch {args.batch or app.config['SEND_BATCH_SIZE']}]")
    raw, build_rate, size = raw_ceiling(app, sink.port, min(sent, 20_000))
    print(f"raw ceiling: smtplib, one connection, pre-built messages ({size:,} bytes each): {raw:,.0f} msg/s")
    print(f"ratio end-to-end / raw: {e2e / raw:.2f}   (build_message alone: {build_rate:,.0f} msg/s)")
    rss = procs.rss
    print(f"worker RSS, all {args.workers} together: start {rss[0]:.0f} MiB, peak {max(rss):.0f} MiB, "
          f"end {rss[-1]:.0f} MiB ({len(rss)} samples)")
    print(f"CPU seconds during the {procs.wall:.1f} s run (2 cores = {2 * procs.wall:.0f} available), "
          "and milliseconds per message: "
          + ", ".join(f"{k} {v:.1f} s = {1000 * v / max(sent, 1):.2f} ms" for k, v in procs.cpu.items()))
    print(f"load average at the end: {os.getloadavg()}")
    if args.profile:
        summarise_profile(args.profile)
