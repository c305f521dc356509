"""`sequencer doctor`: is this installation able to work? Each check says ok / warn / fail with a reason.

Checks run in order and never raise: a failure of one (Redis down) is reported and the rest still run.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import redis
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from sequencer.ops import rq_info
from sequencer.platform.migrate import alembic_config

WORKER_SILENCE = timedelta(seconds=120)
CRON_SILENCE = timedelta(seconds=120)
MAX_SKEW_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok" | "warn" | "fail"
    detail: str


def production(settings: dict) -> bool:
    return str(settings.get("DATABASE_URL", "")).startswith("postgresql")


def check_config(settings: dict) -> list[Check]:
    out = []
    key, prod = settings.get("SECRET_KEY") or "", production(settings)
    if len(key) < 32:
        out.append(Check("SECRET_KEY", "fail", "shorter than 32 characters"))
    elif not settings.get("SECRET_KEY_FROM_ENV"):
        status = "fail" if prod else "ok"
        out.append(Check("SECRET_KEY", status, "generated into the instance folder: set SECRET_KEY so every host "
                         "shares one stable key" if prod else "generated once into the instance folder; keep it"))
    else:
        out.append(Check("SECRET_KEY", "ok", "set in the environment"))
    base = urlsplit(settings.get("BASE_URL") or "")
    if base.scheme not in {"http", "https"} or not base.netloc:
        out.append(Check("BASE_URL", "fail", "not an absolute http(s) URL"))
    elif prod and base.scheme != "https":
        out.append(Check("BASE_URL", "fail", "production (PostgreSQL) needs https:// links"))
    else:
        out.append(Check("BASE_URL", "ok", settings["BASE_URL"]))
    return out


def check_database(engine: Engine, database_url: str) -> list[Check]:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any driver error: unreachable
        return [Check("database", "fail", f"unreachable: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")]
    heads = set(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())
    if current != heads:
        return [Check("database", "ok", "reachable"),
                Check("migrations", "fail", f"at {sorted(current) or 'nothing'}, head is {sorted(heads)}: "
                      "run `sequencer db upgrade`")]
    return [Check("database", "ok", "reachable"), Check("migrations", "ok", f"at head {', '.join(sorted(heads))}")]


def check_redis(conn: redis.Redis | None, now: datetime) -> list[Check]:
    if conn is None:
        return [Check("redis", "fail", "REDIS_URL is not set (the embedded Redis runs only under `sequencer run`)")]
    try:
        conn.ping()
    except Exception as exc:
        return [Check("redis", "fail", f"unreachable: {type(exc).__name__}")]
    out = [Check("redis", "ok", "reachable")]
    alive = [w for w in rq_info.workers(conn) if w.last_heartbeat and now - _aware(w.last_heartbeat) < WORKER_SILENCE]
    out.append(Check("workers", "ok" if alive else "fail",
                     f"{len(alive)} alive" if alive else "no RQ worker has checked in: start `sequencer worker`"))
    tick = rq_info.last_cron_tick(conn)
    if tick is None or now - tick > CRON_SILENCE:
        out.append(Check("cron", "fail", "no tick recorded lately: start `sequencer cron`" if tick is None
                         else f"last tick {int((now - tick).total_seconds())} s ago"))
    else:
        out.append(Check("cron", "ok", f"last tick {int((now - tick).total_seconds())} s ago"))
    return out


def check_clock(engine: Engine, now: datetime) -> list[Check]:
    try:
        with engine.connect() as conn:
            db_now = _db_now(conn, engine.dialect.name)
    except Exception:
        return []  # the database check already says why
    skew = abs((db_now - now).total_seconds())
    status = "ok" if skew <= MAX_SKEW_SECONDS else "fail"
    return [Check("clock", status, f"{skew:.1f} s from the database's clock")]


def _db_now(conn, dialect: str) -> datetime:
    if dialect == "postgresql":
        return conn.execute(text("SELECT now()")).scalar_one()
    raw = conn.execute(text("SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now')")).scalar_one()
    return _aware(datetime.fromisoformat(raw))


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run(checks: list[Callable[[], list[Check]]]) -> list[Check]:
    out: list[Check] = []
    for check in checks:
        try:
            out.extend(check())
        except Exception as exc:  # a check that crashed is a problem to report, not a traceback
            out.append(Check(getattr(check, "__name__", "check"), "fail", f"{type(exc).__name__}: {exc}"))
    return out


def table(results: list[Check]) -> str:
    width = max((len(c.name) for c in results), default=5)
    lines = [f"{'check':<{width}}  status  detail"]
    lines += [f"{c.name:<{width}}  {c.status:<6}  {c.detail}" for c in results]
    return "\n".join(lines)
