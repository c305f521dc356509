"""Output fields (and a row wrapper) for response schemas: the API's JSON comes from the schemas the document shows."""
from __future__ import annotations

from typing import Any

from marshmallow import fields

from sequencer.platform.serialize import iso


class UtcDateTime(fields.DateTime):
    """A moment as the contract writes it: UTC with a `Z` (`2026-03-04T14:00:00Z`)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return iso(value)


class _Across(fields.Field):
    """Reads along a relationship (`company.name`); null when a link on the way is missing."""

    def __init__(self, path: str, **kwargs: Any):
        self.path = path.split(".")
        kwargs.setdefault("allow_none", True)
        super().__init__(dump_only=True, **kwargs)

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        for name in self.path:
            if obj is None:
                return None
            obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name)
        return obj


class AcrossString(_Across, fields.String):
    """A string read along a relationship."""


class AcrossDateTime(_Across, UtcDateTime):
    """A moment read along a relationship."""


class Computed(fields.Function):
    """A value worked out from the object; `of` is its JSON type, for the OpenAPI document."""

    def __init__(self, func: Any, of: str, **kwargs: Any):
        metadata = {"type": of, **kwargs.pop("metadata", {})}
        super().__init__(serialize=func, metadata=metadata, **kwargs)


class With:
    """A row plus values kept elsewhere (a task's step position, a deal's activity), for a response schema."""

    def __init__(self, row: Any, **extra: Any):
        self._row = row
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def enum_value(enum: type, **kwargs: Any) -> fields.Enum:
    """An enum member as its string value (the document shows `type: string` and the values)."""
    return fields.Enum(enum, by_value=fields.String, **kwargs)
