"""`sequencer` never imports `workers`: jobs go by dotted path, and the schedule is loaded by name in one place."""
from __future__ import annotations

import ast
from pathlib import Path

import sequencer
from sequencer.runtime.periodic import load_schedule
from workers.schedule import SCHEDULE

PACKAGE = Path(sequencer.__file__).parent
ALLOWED = {("runtime/periodic.py", "load_schedule")}  # the one run-time lookup of workers.schedule


def _is_workers(name: str | None) -> bool:
    return bool(name) and (name == "workers" or name.startswith("workers."))


def _imports_of_workers(path: Path) -> list[tuple[int, str]]:
    """(line, enclosing function) of every static or dynamic import of `workers` in one module."""
    tree = ast.parse(path.read_text(), str(path))
    found = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        hit = (isinstance(node, ast.Import) and any(_is_workers(a.name) for a in node.names)) or (
            isinstance(node, ast.ImportFrom) and _is_workers(node.module)) or (
            isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str) and _is_workers(node.args[0].value)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__"))
        if hit:
            found.append((node.lineno, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_sequencer_imports_workers_only_through_the_schedule_loader():
    hits = {(str(path.relative_to(PACKAGE)), function, line)
            for path in PACKAGE.rglob("*.py") for line, function in _imports_of_workers(path)}
    assert {(path, function) for path, function, _ in hits} == ALLOWED, sorted(hits)


def test_the_checker_sees_imports_in_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import importlib\nfrom workers import jobs\ndef f():\n    import workers.queues\n"
                      "    return importlib.import_module('workers.schedule')\n")
    assert _imports_of_workers(module) == [(2, ""), (4, "f"), (5, "f")]


def test_the_loader_finds_the_schedule():
    assert load_schedule() == SCHEDULE
