"""Bounded load test on loopback: N concurrent clients for S seconds against a running-from-here server.

Usage:
    python bench/load.py --index DIR [--clients 16] [--seconds 60] [--port 5301]

Starts ``python -m webapp`` over an existing index, warms it up, then runs the clients (a second process
from the server) with realistic queries — API and HTML pages, with and without filters, figures —
for a fixed time, and stops by itself. Prints requests, errors (5xx or failed connections), p50/p95/max
and the worker's memory before and after (growth must stay under 20 %). Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from speed import QUERIES, Server, summarise  # noqa: E402


def urls(base: str) -> list[str]:
    """Return a mix of realistic requests."""
    found = []
    for query, filters in QUERIES:
        encoded = urllib.parse.urlencode({"q": query, **filters})
        found += [
            f"{base}/api/search?{encoded}",
            f"{base}/?{encoded}",
            f"{base}/api/figures?q={urllib.parse.quote(query)}",
        ]
    found += [f"{base}/api/search?q=%E5%B7%A5%E4%BC%9A&page=3&sort=date", f"{base}/help"]
    return found


def run(index: Path, *, clients: int, seconds: float, port: int) -> dict:
    """Run the load; return the figures."""
    base = f"http://127.0.0.1:{port}"
    server = Server([sys.executable, "-m", "webapp", "--index", str(index), "--port", str(port)], base)
    targets = urls(base)
    try:
        for url in targets:  # warm-up: every code path once
            urllib.request.urlopen(url, timeout=60).read()
        rss_before = server.rss_mb()
        times: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + seconds

        def client(number: int) -> None:
            index = number * 13
            while time.monotonic() < deadline:
                url = targets[index % len(targets)]
                index += 1
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        response.read()
                        failed = response.status >= 500
                except urllib.error.HTTPError as error:
                    failed = error.code >= 500
                except OSError as error:
                    failed = True
                    url = f"{url} ({error})"
                with lock:
                    times.append((time.perf_counter() - started) * 1000)
                    if failed:
                        errors.append(url)

        threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rss_after = server.rss_mb()
    finally:
        server.stop()
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(times),
        "errors": len(errors),
        "error_examples": errors[:5],
        "latency_ms": summarise(times),
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "rss_growth": round(rss_after / rss_before - 1, 3) if rss_before else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Run from the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=5301)
    args = parser.parse_args(argv)
    report = run(args.index, clients=args.clients, seconds=args.seconds, port=args.port)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if report["errors"] or (report["rss_growth"] or 0) >= 0.2 else 0


if __name__ == "__main__":
    sys.exit(main())
