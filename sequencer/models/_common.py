"""Small column helpers shared by the model modules."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum
from sqlalchemy.orm import Mapped, mapped_column

from sequencer.platform import clock


def enum_column(enum_cls: type[enum.Enum], **kwargs):
    """A VARCHAR holding the enum's value: portable, and new values need no ALTER TYPE."""
    return mapped_column(
        Enum(enum_cls, native_enum=False, create_constraint=False, length=32,
             values_callable=lambda e: [m.value for m in e]),
        **kwargs,
    )


def created_at() -> Mapped[datetime]:
    return mapped_column(default=clock.now)
