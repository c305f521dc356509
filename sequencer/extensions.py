"""Extensions created unbound; `create_app` initialises them."""
from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from sequencer.platform.db import db
from sequencer.platform.redis_conn import redis_store

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

__all__ = ["csrf", "db", "limiter", "login_manager", "redis_store"]
