"""The layers import one way: domain, store and services never import Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "station_console"
NON_UI = ["domain", "store", "services"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", NON_UI)
def test_layer_does_not_import_qt_or_ui(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no sources in {layer}"
    offenders = {
        str(f.relative_to(PACKAGE)): sorted(
            m for m in _imports(f) if m.startswith(("PySide6", "station_console.ui", "pyqtgraph"))
        )
        for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_domain_does_not_touch_sql() -> None:
    for f in sorted((PACKAGE / "domain").rglob("*.py")):
        bad = [m for m in _imports(f) if m.startswith(("sqlalchemy", "sqlmodel", "station_console.store"))]
        assert bad == [], f"{f.name} imports {bad}"
