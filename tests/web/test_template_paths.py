"""Templates live in per-feature folders; a path string left pointing at the old place only fails when that page renders."""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, meta

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
REFERENCE = re.compile(r"""["'](web/[A-Za-z0-9_/]+\.html)["']""")


def _referenced(paths) -> set[str]:
    return {ref for path in paths for ref in REFERENCE.findall(path.read_text())}


def test_every_template_path_in_the_code_exists():
    refs = _referenced((ROOT / "sequencer").rglob("*.py"))
    assert len(refs) > 40  # the regex really finds the render_template calls
    assert sorted(ref for ref in refs if not (TEMPLATES / ref).is_file()) == []


def test_every_include_extends_and_import_in_the_templates_exists():
    env = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"])  # {% trans %} as in the app
    missing = []
    for path in (TEMPLATES / "web").rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        for ref in meta.find_referenced_templates(env.parse(path.read_text())):
            if ref is None or not (TEMPLATES / ref).is_file():
                missing.append((name, ref))
    assert missing == []


def test_only_shared_pieces_stay_at_the_top_of_templates_web():
    loose = sorted(p.name for p in (TEMPLATES / "web").glob("*.html"))
    assert loose == ["_macros.html", "_settings_tabs.html", "base.html", "error.html"]
