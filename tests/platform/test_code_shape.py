"""The layout rules of the codebase, checked so they stay true: only the named files loose in `sequencer/`,
modules of at most 300 lines and functions of at most 60 (demo data and migrations excepted), and one
clock."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sequencer"
LOOSE = {"__init__.py", "__main__.py", "app.py", "cli.py", "config.py", "extensions.py", "errors.py", "texts.py", "wsgi.py"}
EXEMPT = ("demo", "migrations")


def _sources():
    for base in (PACKAGE, ROOT / "workers"):
        for path in base.rglob("*.py"):
            if not set(path.relative_to(ROOT).parts) & set(EXEMPT):
                yield path


def test_only_the_named_modules_are_loose_in_the_package():
    assert {p.name for p in PACKAGE.glob("*.py")} <= LOOSE


def test_modules_stay_small():
    long = [f"{p.relative_to(ROOT)}: {n}" for p in _sources() if (n := len(p.read_text().splitlines())) > 300]
    assert long == []


def test_functions_stay_short():
    long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > 60:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


def test_nothing_but_the_clock_reads_the_wall_time():
    wall = re.compile(r"datetime\.(now|utcnow|today)\(|date\.today\(\)|time\.time\(\)")
    found = [f"{p.relative_to(ROOT)}:{i}" for p in _sources() if p.name != "clock.py"
             for i, line in enumerate(p.read_text().splitlines(), 1) if wall.search(line)]
    assert found == []
