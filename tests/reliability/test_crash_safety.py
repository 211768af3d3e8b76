"""Kill the build with SIGKILL at random points while the web app serves: no error responses, nothing lost."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from indexer.store.build import build
from indexer.store.generations import current_generation, read_manifest
from tests.conftest import ROOT, SEEDS, write_designed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _kill_builds_while_serving(tmp_path: Path, kills: int) -> dict:
    documents = tmp_path / "documents"
    shutil.copytree(SEEDS, documents)
    write_designed(documents / "designed")
    index_dir = tmp_path / "index"
    build(documents, index_dir)
    port = _free_port()
    server_log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp", "--index", str(index_dir), "--port", str(port)],
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    statuses: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                url = f"http://127.0.0.1:{port}/api/search?q=%E5%B7%A5%E4%BC%9A"  # 工会
                with urllib.request.urlopen(url, timeout=10) as response:
                    json.loads(response.read())
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
            except OSError:
                if statuses:  # the server is up: a refused connection is a failure
                    statuses.append(-1)
            time.sleep(0.02)

    random_source = random.Random(20261120)
    poller = threading.Thread(target=poll)
    try:
        poller.start()
        deadline = time.monotonic() + 30
        while not statuses and time.monotonic() < deadline:
            time.sleep(0.1)
        for number in range(kills):
            (documents / f"added-{number}.txt").write_text(
                f"第{number}份新增文件\n滨州市总工会开展第{number}轮职工驿站建设，标记词KILLTEST{number}。\n",
                encoding="utf-8",
            )
            if number % 3 == 0:
                (documents / "designed" / "jining-news.txt").touch()
                shutil.copy(SEEDS / "004_648e28119fb2e6d3.txt", documents / f"copy-{number}.txt")
            builder = subprocess.Popen(
                [sys.executable, "-m", "indexer", "build", "--documents", str(documents), "--index", str(index_dir)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            time.sleep(random_source.uniform(0.05, 2.0))
            if builder.poll() is None:
                os.killpg(builder.pid, signal.SIGKILL)
            builder.wait()
        summary = build(documents, index_dir)
        time.sleep(0.5)
    finally:
        stop.set()
        if poller.is_alive():
            poller.join()
        server.terminate()
        server.wait(timeout=10)
        server_log.close()
    manifest = read_manifest(current_generation(index_dir))
    return {
        "statuses": statuses,
        "summary": summary,
        "manifest": manifest,
        "documents": documents,
        "server_log": tmp_path / "server.log",
    }


def _assert_survived(outcome: dict, kills: int) -> None:
    statuses = outcome["statuses"]
    assert statuses, "the web app was never reached"
    log = outcome["server_log"].read_text(encoding="utf-8", errors="replace")
    assert set(statuses) == {200}, f"error responses during builds: {sorted(set(statuses))}\n{log[-3000:]}"
    files = {path.relative_to(outcome["documents"]).as_posix() for path in outcome["documents"].rglob("*.txt")}
    assert set(outcome["manifest"]["files"]) == files  # every document is in the index
    assert all(not entry.get("skipped") for entry in outcome["manifest"]["files"].values())
    assert outcome["summary"].documents >= 9 + kills


def test_builds_killed_five_times_lose_nothing(tmp_path: Path):
    _assert_survived(_kill_builds_while_serving(tmp_path, 5), 5)


@pytest.mark.slow
def test_builds_killed_twenty_times_lose_nothing(tmp_path: Path):
    _assert_survived(_kill_builds_while_serving(tmp_path, 20), 20)
