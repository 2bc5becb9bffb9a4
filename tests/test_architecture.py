"""Imports flow one way: model ← stages ← pipeline ← cli/web/report."""

from __future__ import annotations

import ast
from pathlib import Path

import recoupe

PACKAGE = Path(recoupe.__file__).parent
EDGES = ("recoupe.store", "recoupe.web", "recoupe.cli", "recoupe.report", "recoupe.api")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(folder: str = "") -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_architecture_model_imports_nothing_from_recoupe():
    assert not {n for n in _imports(PACKAGE / "model.py") if n.startswith("recoupe")}


def test_architecture_stages_never_import_edges_or_databases():
    stage_files = [p for p in _modules() if p.relative_to(PACKAGE).parts[0] not in {"store", "web", "report", "export", "cli.py", "api.py", "pipeline.py", "execute", "evaluate", "__init__.py"}]
    for path in stage_files:
        bad = {n for n in _imports(path) if n.startswith(EDGES) or n.split(".")[0] in {"sqlite3", "sqlalchemy"}}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_architecture_only_nlp_init_loads_models():
    for path in _modules():
        if path == PACKAGE / "nlp" / "__init__.py":
            continue
        assert "spacy.load(" not in path.read_text(encoding="utf-8"), path


def test_architecture_only_store_touches_a_database():
    for path in _modules():
        if path.relative_to(PACKAGE).parts[0] == "store":
            continue
        bad = {n for n in _imports(path) if n.split(".")[0] in {"sqlite3", "sqlalchemy", "alembic"}}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"
