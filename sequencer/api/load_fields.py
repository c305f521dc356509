"""Input fields for moments and days: refused outside 1970–2100, where date arithmetic could overflow."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from sequencer.platform.bounds import WINDOW, in_window


class Moment(fields.AwareDateTime):
    """An ISO 8601 moment with its offset, within the window."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not in_window(moment):
            raise ValidationError(WINDOW)
        return moment


class Day(fields.Date):
    """An ISO 8601 date within the window."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not in_window(day):
            raise ValidationError(WINDOW)
        return day
