"""The rooms hold: ``publish`` imports nothing from api, cli, sources or store, nor duckdb or ibis; no
module outside ``store/`` and ``indicators/`` holds SQL text; the session offers no raw-SQL method."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from usmca_monitor.indicators.session import Session

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "usmca_monitor"
FORBIDDEN = ("usmca_monitor.api", "usmca_monitor.cli", "usmca_monitor.sources", "usmca_monitor.store", "duckdb",
             "ibis")
EXCLUDED: set[Path] = set()  # nothing: every module of publish/ keeps the rule
SQL = re.compile(r"\b(SELECT\s+[\w*].*\bFROM\b|INSERT\s+INTO|CREATE\s+(TABLE|VIEW)|DELETE\s+FROM|read_parquet\s*\()",
                 re.S)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_publish_imports_no_api_cli_sources_store_duckdb_or_ibis() -> None:
    modules = [p for p in (PACKAGE / "publish").rglob("*.py") if p not in EXCLUDED]
    assert len(modules) > 15
    for path in modules:
        bad = sorted(name for name in _imports(path)
                     if any(name == f or name.startswith(f + ".") for f in FORBIDDEN))
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_sql_text_outside_store_and_indicators() -> None:
    allowed = (PACKAGE / "store", PACKAGE / "indicators")
    assert any(SQL.search(s) for p in (PACKAGE / "store").rglob("*.py") for s in _strings(p))  # the check finds SQL
    for path in PACKAGE.rglob("*.py"):
        if path in EXCLUDED or any(folder in path.parents for folder in allowed):
            continue
        sql = [s[:60] for s in _strings(path) if SQL.search(s)]
        assert not sql, f"{path.relative_to(PACKAGE)} holds SQL text: {sql}"


def test_the_session_offers_no_raw_sql() -> None:
    names = {n.lower() for n in dir(Session)}
    assert not {"sql", "raw_sql", "execute", "query", "con", "connection"} & names
