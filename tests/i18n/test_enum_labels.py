"""Every enum value a page shows through `|humanize` is in the catalogue, so it is said in the reader's language."""
from __future__ import annotations

import enum
import inspect

import sequencer.models as models
from sequencer.web import enum_labels


def test_every_model_enum_value_has_a_marked_label():
    marked = {str(label._args[0]) if hasattr(label, "_args") else str(label) for label in enum_labels.LABELS}
    missing = set()
    for obj in vars(models).values():
        if inspect.isclass(obj) and issubclass(obj, enum.Enum) and obj.__module__.startswith("sequencer."):
            missing |= {str(v.value).replace("_", " ").capitalize() for v in obj} - marked
    assert not missing, f"add these to sequencer/web/enum_labels.py and translate them: {sorted(missing)}"
