"""Time the HTML search page (with facets, histogram and highlighting) over HTTP.

Usage:
    python bench/pages.py --index DIR [--port 5099]

Starts ``python -m webapp`` (waitress) on loopback over an existing index, requests the search page for a
fixed list of 30 realistic queries (some with filters), and prints the median and p95 time per page.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from speed import QUERIES as ALL_QUERIES  # noqa: E402
from speed import Server, machine, summarise  # noqa: E402

QUERIES = ALL_QUERIES[:30]


def main(argv: list[str] | None = None) -> int:
    """Start the server, time the pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--rounds", type=int, default=3, help="times each query is requested (first is warm-up)")
    args = parser.parse_args(argv)
    base = f"http://127.0.0.1:{args.port}"
    server = Server([sys.executable, "-m", "webapp", "--index", str(args.index), "--port", str(args.port)], base)
    try:
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
        figures = summarise(timings)
        print(f"machine: {machine()}")
        print(
            f"search page with facets: {len(QUERIES)} queries x {args.rounds - 1} rounds, "
            f"median {figures['p50']} ms, p95 {figures['p95']} ms, max {figures['max']} ms"
        )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
