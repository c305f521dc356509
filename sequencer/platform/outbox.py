"""Where the outbox transport keeps its .eml copies and what it names them: the transport writes them, erasure
deletes them, and both must agree on the name."""
from __future__ import annotations

import re
from pathlib import Path


def outbox_filename(message_id: str) -> str:
    """The .eml name a message gets in the outbox folder (also how erasure finds it)."""
    return (re.sub(r"[^A-Za-z0-9._-]", "_", message_id.strip("<>")) or "message") + ".eml"


def outbox_path(folder: str | Path, message_id: str) -> Path:
    return Path(folder) / outbox_filename(message_id)
