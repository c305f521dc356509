"""The Lithuanian catalogue is complete: every marked string translated, nothing fuzzy, placeholders and plurals right."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from sequencer.platform import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "sequencer" / "translations" / "lt" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "tr": None,
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3), "lazy_ngettext": (1, 2),
            "gettext_in": (2,), "ngettext_in": (2, 3)}  # the same keywords as `make translations`
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as source:
        return read_po(source, locale="lt")


@pytest.fixture(scope="module")
def marked() -> set[tuple[str, str | None]]:
    """Every (msgid, context) the code and templates mark, extracted the way `make translations` does."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: set[tuple[str, str | None]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        found.add((message[0] if isinstance(message, tuple) else message, context))
    return found


def test_every_marked_string_has_a_lithuanian_translation(catalog, marked):
    missing = sorted(f"{c}|{m}" if c else m for m, c in marked
                     if m and (catalog.get(m, context=c) is None or not _translated(catalog.get(m, context=c))))
    assert not missing, f"{len(missing)} strings have no Lithuanian translation (run make translations): {missing[:40]}"


def test_nothing_is_fuzzy(catalog):
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries are not used by the app; review them: {fuzzy[:40]}"


def test_placeholders_survive_translation(catalog):
    broken = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text and not set(PLACEHOLDER.findall(text)) <= wanted:
                broken.append((ids[0], text))
            if text and not isinstance(message.id, tuple) and set(PLACEHOLDER.findall(text)) != wanted:
                broken.append((ids[0], text))
    assert not broken, f"translations whose %(name)s placeholders differ from the English: {broken[:20]}"


@pytest.mark.parametrize(("n", "form"), [(0, 2), (1, 0), (2, 1), (10, 2), (11, 2), (21, 0), (22, 1), (101, 0),
                                         (111, 2), (29, 1), (30, 2)])
def test_lithuanian_plural_rule(catalog, n, form):
    """One (1, 21, 101), few (2–9, 22–29), many/other (0, 10–20, 30, 111): the header's rule and the loaded
    catalogue both say so."""
    assert catalog.num_plurals == 3
    assert _plural_index(catalog.plural_expr, n) == form
    assert i18n.translations("lt").plural(n) == form


def test_every_plural_entry_has_three_forms(catalog):
    short = [m.id[0] for m in catalog if isinstance(m.id, tuple) and m.id[0]
             and (len(m.string) != 3 or not all(m.string))]
    assert not short, f"plural entries without all three Lithuanian forms: {short}"


def test_the_compiled_catalogue_is_the_source(catalog):
    """The `.mo` the app loads is rebuilt from the `.po` whenever the `.po` is newer."""
    i18n.ensure_compiled()
    i18n.translations.cache_clear()
    sample = next(m for m in catalog if m.id and not isinstance(m.id, tuple) and m.string)
    assert i18n.gettext_in("lt", sample.id) == sample.string


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def _plural_index(expr: str, n: int) -> int:
    """Evaluates the header's C expression the way gettext itself does."""
    import gettext

    return gettext.c2py(expr)(n)
