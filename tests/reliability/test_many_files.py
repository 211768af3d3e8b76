"""The production server keeps answering when the process holds more than 1024 open files.

A large index has many segments and every serving thread's searcher opens each segment's files; at
about a million passages the server's sockets got descriptors above 1024, where ``select()`` fails and
waitress stopped. The server now polls.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT
from tests.reliability.test_crash_safety import _free_port

_SERVE_WITH_MANY_FILES = """
import os, sys
held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]  # as an index of many segments would
from webapp.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_server_answers_with_more_than_1024_files_open(designed_index: Path, tmp_path: Path):
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE_WITH_MANY_FILES, "--index", str(designed_index), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        answers = []
        deadline = time.monotonic() + 60
        while len(answers) < 5 and time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{port}/api/search?q=%E5%BB%BA%E4%BC%9A%E7%8E%87"  # 建会率
                with urllib.request.urlopen(url, timeout=10) as response:
                    answers.append((response.status, json.loads(response.read())["total"]))
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
        assert answers == [(200, answers[0][1])] * 5 and answers[0][1] >= 1
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
