"""Upload → searchable, and searches while a build runs: the staff write path on the seeds' index.

Usage:
    python bench/upload.py [--rounds 5] [--port 8790]

Starts ``python -m webapp`` with writes on over a scratch copy of ``documents/`` (the seeds), then: idle search
latency (the 52 queries of ``bench/speed.py``); ``--rounds`` times, two new documents uploaded in one request and
the time until both are found by ``/api/search`` (upload → searchable), while one client keeps searching (latency
and errors during the builds). Prints p50 / max of upload → searchable, and idle vs during-build search p95.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speed import PYTHON, QUERIES, Server  # noqa: E402

from indexer.store.build import build  # noqa: E402

TOKEN = "bench-upload-token-0123456789"


def _search_ms(base: str, query: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{base}/api/search?q={urllib.parse.quote(query)}", timeout=30) as response:
            ok = response.status == 200
            total = json.load(response)["total"]
    except OSError:
        return (time.perf_counter() - started) * 1000, False
    return (time.perf_counter() - started) * 1000, ok and total >= 0


def _found(base: str, query: str) -> bool:
    with urllib.request.urlopen(f"{base}/api/search?q={urllib.parse.quote(query)}", timeout=30) as response:
        return json.load(response)["total"] > 0


def _upload(base: str, files: list[tuple[str, bytes]]) -> dict:
    boundary = "----bench"
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
            + data
            + b"\r\n"
            for name, data in files
        )
        + f"--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "/api/documents",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()
    queries = [query for query, _ in QUERIES]
    with tempfile.TemporaryDirectory(prefix="upload-") as scratch_name:
        scratch = Path(scratch_name)
        shutil.copytree(ROOT / "documents", scratch / "documents")
        (scratch / "token").write_text(TOKEN, encoding="utf-8")
        build(scratch / "documents", scratch / "index")
        base = f"http://127.0.0.1:{args.port}"
        command = [PYTHON, "-m", "webapp", "--index", str(scratch / "index"), "--port", str(args.port),
                   "--documents", str(scratch / "documents"), "--admin-token-file", str(scratch / "token")]  # fmt: skip
        server = Server(command, base, log=scratch / "server.log")
        try:
            idle = [_search_ms(base, query)[0] for query in queries * 2]
            during: list[float] = []
            errors = 0
            stop = threading.Event()

            def keep_searching() -> None:
                nonlocal errors
                while not stop.is_set():
                    for query in queries:
                        elapsed, ok = _search_ms(base, query)
                        during.append(elapsed)
                        errors += not ok
                        if stop.is_set():
                            return

            searcher = threading.Thread(target=keep_searching, daemon=True)
            searcher.start()
            waits = []
            for round_number in range(args.rounds):
                marker = f"上传测评第{round_number}轮"
                files = [
                    (f"bench-{round_number}-a.txt", f"{marker}甲文档\n{marker}：职工书屋建设纪实。\n".encode("gbk")),
                    (f"bench-{round_number}-b.txt", f"{marker}乙文档\n{marker}：户外劳动者驿站。\n".encode()),
                ]
                started = time.perf_counter()
                _upload(base, files)
                while not (_found(base, f'"{marker}甲文档"') and _found(base, f'"{marker}乙文档"')):
                    time.sleep(0.1)
                waits.append(time.perf_counter() - started)
            stop.set()
            searcher.join(timeout=30)
        finally:
            server.stop()
    print(
        f"upload → searchable (2 files, {args.rounds} rounds): p50 {statistics.median(waits):.2f} s, max {max(waits):.2f} s"
    )
    print(
        f"search p95 idle {_p95(idle):.1f} ms, during builds {_p95(during):.1f} ms "
        f"({_p95(during) / max(_p95(idle), 0.001):.2f}×), {len(during)} searches, {errors} errors"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
