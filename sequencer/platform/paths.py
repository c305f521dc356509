"""Where the templates are: inside the installed package (the wheel carries them as `sequencer/templates`), or at
the top of a clone."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def templates_dir() -> Path:
    packaged = PACKAGE / "templates"
    return packaged if packaged.is_dir() else PACKAGE.parent / "templates"
