"""The command lines: ``python -m indexer build|search|inspect`` and ``python -m webapp`` under waitress."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from indexer.__main__ import main as indexer_main
from tests.conftest import ROOT, SEEDS


def test_inspect_prints_one_json_object_per_article(capsys):
    assert indexer_main(["inspect", str(SEEDS)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 9  # seed 002 is a compilation of five articles
    assert [record["source"] for record in records].count("002_c4eb309a19e7a455.txt") == 5
    expected = {"source", "title", "date", "year", "province", "city", "doc_type", "topics", "passages"}
    assert all(expected <= set(record) for record in records)
    assert "text" not in records[0]


def test_inspect_text_includes_the_normalised_text(capsys):
    assert indexer_main(["inspect", "--json", "--text", str(SEEDS / "001_a3055cdec558e202.txt")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["source"] == "001_a3055cdec558e202.txt"
    assert "十九大" in record["text"] and "着力点" in record["text"] and "96.9%" in record["text"]


def test_build_prints_a_summary_and_search_prints_json(designed_docs: Path, tmp_path: Path, capsys):
    index_dir = tmp_path / "index"
    assert indexer_main(["build", "--documents", str(designed_docs), "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "documents: 3" in out and "skipped" in out
    assert indexer_main(["build", "--documents", str(designed_docs), "--index", str(index_dir)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert indexer_main(["search", "送温暖", "--index", str(index_dir), "--city", "临沂", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] >= 1 and data["results"][0]["city"] == "临沂市"


def test_build_fails_when_nothing_can_be_indexed(tmp_path: Path, capsys):
    empty = tmp_path / "documents"
    empty.mkdir()
    (empty / "blank.txt").write_text("   ", encoding="utf-8")
    assert indexer_main(["build", "--documents", str(empty), "--index", str(tmp_path / "index")]) == 1
    assert indexer_main(["build", "--documents", str(tmp_path / "missing"), "--index", str(tmp_path / "i")]) == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_webapp_serves_the_api_with_waitress(designed_index: Path):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp", "--index", str(designed_index), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/search?q=%E9%A9%BF%E7%AB%99"  # 驿站
                with urllib.request.urlopen(url, timeout=5) as response:
                    data = json.loads(response.read())
                    server_header = response.headers.get("Server", "")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert data["total"] >= 1
        assert server_header == "union-search"  # waitress, not the Flask development server
    finally:
        server.terminate()
        server.wait(timeout=10)
