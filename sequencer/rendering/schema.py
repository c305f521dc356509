"""What an email template may reference: the variable schema and the filter/test allowlists.

One source of truth shared by validation (``validate_template``), context building
(``build_context``) and, later, the UI that lists the variables an author can use.
"""
from __future__ import annotations

from typing import Final

#: Marker key: an object whose keys are free-form (``prospect.fields.<anything>``).
ANY: Final = "*"

#: Top-level variables. A dict is an object (its keys are its attributes); a string is a leaf
#: (its description). ``None`` and ``""`` values count as missing at send time.
SCHEMA: Final[dict[str, dict | str]] = {
    "prospect": {
        "first_name": "First name",
        "last_name": "Last name",
        "name": "First and last name",
        "email": "Email address",
        "title": "Job title",
        "phone": "Phone number",
        "linkedin_url": "LinkedIn profile URL",
        "city": "City",
        "country": "Country (ISO 3166 alpha-2)",
        "timezone": "IANA time zone",
        "language": "Preferred language",
        "fields": {ANY: "Custom field: prospect.fields.<name> or prospect.fields['<name>']"},
    },
    "company": {
        "name": "Company name",
        "domain": "Web domain",
        "industry": "Industry",
        "size": "Company size",
        "country": "Country (ISO 3166 alpha-2)",
    },
    "sender": {
        "name": "Sender's name",
        "email": "Sender's email address",
        "title": "Sender's job title",
        "signature": "Sender's signature",
    },
    "persona": {
        "key": "Persona key (e.g. cfo)",
        "name": "Persona name (e.g. Chief Financial Officer)",
    },
    "unsubscribe_url": "One-click unsubscribe link for this prospect",
}

#: The schema objects (as opposed to leaves such as ``unsubscribe_url``).
OBJECTS: Final = tuple(k for k, v in SCHEMA.items() if isinstance(v, dict))

#: Filters an author may use. Deliberately absent: ``format`` and ``center`` (unbounded output),
#: ``safe``/``tojson``/``xmlattr`` (bypass escaping), ``map``/``attr``/``select``/``sort``...
#: (attribute walking, CPU), ``pprint``/``filesizeformat`` (no use in an email).
ALLOWED_FILTERS: Final = frozenset({
    "default", "d", "upper", "lower", "title", "capitalize", "trim", "truncate", "replace",
    "join", "first", "last", "length", "striptags", "wordcount", "urlencode", "e", "escape",
    "int", "round", "vocative",
})

#: Filters of our own → the variable they are made for; the builder's Variables panel offers the pair
#: (`vocative`: a Lithuanian first name in the vocative case, Tomas → Tomai, for "Laba diena, Tomai,").
CUSTOM_FILTERS: Final[dict[str, str]] = {"vocative": "prospect.first_name"}

#: Tests usable with ``is``.
ALLOWED_TESTS: Final = frozenset({
    "defined", "undefined", "none", "boolean", "true", "false", "number", "integer", "float",
    "string", "mapping", "sequence", "iterable", "even", "odd", "divisibleby", "lower", "upper",
    "eq", "ne", "lt", "le", "gt", "ge", "==", "!=", "<", "<=", ">", ">=", "equalto",
    "lessthan", "greaterthan", "in",
})

#: Global functions: only a bounded ``range`` (see sandbox.bounded_range).
ALLOWED_GLOBALS: Final = frozenset({"range"})

#: Methods a template may call (dict views for custom fields, loop helpers).
ALLOWED_METHODS: Final = frozenset({"items", "keys", "values", "get", "cycle", "changed"})


def variable_paths() -> list[str]:
    """Every documented variable as a dotted path, for the editor's variable picker."""
    out: list[str] = []
    for name, spec in SCHEMA.items():
        if isinstance(spec, str):
            out.append(name)
            continue
        for attr, sub in spec.items():
            out.append(f"{name}.{attr}.*" if isinstance(sub, dict) else f"{name}.{attr}")
    for filter_name, path in CUSTOM_FILTERS.items():
        out.insert(out.index(path) + 1, f"{path} | {filter_name}")
    return out
