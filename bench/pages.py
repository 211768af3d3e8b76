"""Time the HTML search page (with facets, histogram and highlighting) over HTTP.

Usage:
    python bench/pages.py --index DIR [--port 5099]

Starts ``python -m webapp`` (waitress) on loopback over an existing index, requests the search page for a
fixed list of 30 realistic queries (some with filters), and prints the median and p95 time per page.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    ("工资集体协商", {}),
    ("户外劳动者驿站", {}),
    ("送温暖", {"province": "山东"}),
    ("农民工", {}),
    ("职工代表大会", {}),
    ("厂务公开", {"province": "山东"}),
    ("劳动合同 试用期", {}),
    ("女职工 特殊保护", {}),
    ("就业创业", {}),
    ("安全生产", {"year": "2023"}),
    ("工会经费", {}),
    ("劳模 工匠", {}),
    ("职工之家", {}),
    ("集体合同", {"type": "条例"}),
    ("困难职工 帮扶", {}),
    ("法律援助", {}),
    ("技能培训", {}),
    ("新就业形态劳动者", {}),
    ("最低工资标准", {}),
    ("欠薪", {}),
    ("工伤保险", {}),
    ("职工疗休养", {}),
    ("建会率", {}),
    ("政府工作报告 就业", {"city": "三明"}),
    ("乡村振兴", {}),
    ("营商环境", {}),
    ("养老服务", {}),
    ('"职工书屋"', {}),
    ("两公里", {}),
    ("工会主席 任期", {}),
]


def _wait(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("server did not start") from None
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    """Start the server, time the pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--rounds", type=int, default=3, help="times each query is requested (first is warm-up)")
    args = parser.parse_args(argv)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp", "--index", str(args.index), "--port", str(args.port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(base + "/help", server)
        timings = []
        for round_number in range(args.rounds):
            for query, filters in QUERIES:
                url = base + "/?" + urllib.parse.urlencode({"q": query, **filters})
                started = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    assert response.status == 200
                if round_number:
                    timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
        print(f"machine: {platform.machine()} {platform.processor() or ''} cores={__import__('os').cpu_count()}")
        print(
            f"search page with facets: {len(QUERIES)} queries x {args.rounds - 1} rounds, "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
