"""The architecture's rules, checked: imports point one way, the web server never loads the ingest stack,
and every module and function stays small enough to read in one sitting."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("indexer", "webapp")
# What each layer may import from the project (text ← ingest, text ← store ← query ← webapp; store's build
# reads documents through ingest; manage changes the documents folder and builds, and the web server loads it
# only when writes are on). The CLI (indexer/__main__.py) sits on top of all of them.
ALLOWED = {
    "indexer.text": {"indexer.text"},
    "indexer.ingest": {"indexer.text", "indexer.ingest"},
    "indexer.store": {"indexer.text", "indexer.ingest", "indexer.store"},
    "indexer.query": {"indexer.text", "indexer.store", "indexer.query"},
    "indexer.manage": {"indexer.text", "indexer.ingest", "indexer.store", "indexer.manage"},
    "webapp": {"indexer.text", "indexer.store", "indexer.query", "indexer.manage", "webapp"},
}
# The build: the part of store that reads documents. Neither the query side nor the web server imports it.
BUILD_MODULES = {"indexer.store.build", "indexer.store.indexing", "indexer.store.rows", "indexer.store.commit"}
STORE_FOR_QUERIES = {
    "indexer.store.schema",
    "indexer.store.codec",
    "indexer.store.postarrays",
    "indexer.store.generations",
}
INGEST_LIBRARIES = ("bs4", "lxml", "yaml", "charset_normalizer", "pypdf", "docx")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _project_imports(name: str, path: Path) -> set[str]:
    """Return the project modules a module imports (at any depth of its code, lazy imports too)."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join(name.split(".")[: -node.level] + [node.module])
            imported.add(base)
            imported.update(f"{base}.{alias.name}" for alias in node.names)
    modules = _modules()
    return {module for module in imported if module in modules}


def _layer(module: str) -> str | None:
    for layer in ALLOWED:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def test_imports_point_one_way():
    modules = _modules()
    broken = []
    for name, path in modules.items():
        layer = _layer(name)
        if layer is None:  # indexer/__init__ and the CLI on top
            continue
        for imported in _project_imports(name, path):
            target = _layer(imported)
            if target not in ALLOWED[layer]:
                broken.append(f"{name} imports {imported}")
            elif (
                layer in ("indexer.query", "webapp")
                and imported.startswith("indexer.store.")
                and imported not in STORE_FOR_QUERIES
            ):
                broken.append(f"{name} imports {imported} (the build)")
    assert not broken, broken


def test_the_store_modules_queries_read_import_nothing_of_the_build_or_ingest():
    modules = _modules()
    for name in STORE_FOR_QUERIES:
        for imported in _project_imports(name, modules[name]):
            assert not imported.startswith("indexer.ingest") and imported not in BUILD_MODULES, (name, imported)


def test_the_layering_check_sees_a_wrong_import(tmp_path):
    # The check itself can fail: a query module importing ingest is reported.
    path = tmp_path / "bad.py"
    path.write_text("from indexer.ingest.documents import load_documents\n", encoding="utf-8")
    assert "indexer.ingest.documents" in _project_imports("indexer.query.bad", path)


_SERVE = """
import json, sys
from webapp import create_app
app = create_app({"TESTING": True, "INDEX_DIR": sys.argv[1]})
client = app.test_client()
statuses = [client.get(url).status_code for url in (
    "/api/search?q=工资集体协商", "/?q=户外劳动者 驿站&city=滨州", "/api/figures?q=建会率", "/figures?q=建会率&sort=value",
    "/export.csv?q=工会", "/help")]
doc_id = client.get("/api/search?q=工资集体协商").get_json()["results"][0]["doc_id"]
statuses.append(client.get("/doc/" + doc_id + "?q=工资集体协商").status_code)
after_queries = sorted(sys.modules)
statuses += [client.get(url).status_code for url in ("/export.xlsx?q=工会", "/figures.xlsx?q=建会率")]
print(json.dumps({"statuses": statuses, "after_queries": after_queries, "after_exports": sorted(sys.modules)}))
"""


def _ingest(modules: list[str]) -> list[str]:
    return [
        module
        for module in modules
        if module.split(".")[0] in INGEST_LIBRARIES or module.startswith("indexer.ingest") or module in BUILD_MODULES
    ]


def test_the_web_server_never_loads_the_ingest_stack(seed_index: Path):
    completed = subprocess.run(
        [sys.executable, "-c", _SERVE, str(seed_index)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert set(report["statuses"]) == {200}
    assert "indexer.query.passages" in report["after_queries"]  # it did serve
    assert "indexer.store.codec" in report["after_queries"]
    assert _ingest(report["after_queries"]) == []
    # Excel exports: openpyxl writes with lxml when it is installed (it is, for reading HTML when
    # building); nothing else of the ingest stack comes with it.
    exports = _ingest(report["after_exports"])
    assert {module.split(".")[0] for module in exports} <= {"lxml"}
    assert not exports or "openpyxl" in report["after_exports"]


def _long_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_and_functions_stay_small(package: str):
    paths = [path for name, path in _modules().items() if name.split(".")[0] == package]
    long_modules = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in paths
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long_modules
    assert not [found for path in paths for found in _long_functions(path)]
