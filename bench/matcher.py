"""Score the speed benchmark's and the dev queries with both matchers over one production index, in process.

    .venv/bin/python -m indexer build --documents DOCS --index DIR
    .venv/bin/python bench/matcher.py --index DIR

For each query as the search ranks it (``rank.queries``: each concept, its synonyms and expansions, the proximity phrases): Whoosh's own matchers (``search(q, limit=None)``, reading the
postings through our codec and scoring with our model) against the numpy matcher
(``indexer/query/match.py``). Reports whether both return the same passages with the same scores in the
same order (``tests/oracle.agrees``), and the median / p95 / max time of each, per query.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import QUERIES, machine  # noqa: E402
from indexer.query import match, rank  # noqa: E402
from indexer.query.index import Index  # noqa: E402
from indexer.query.understand import understand  # noqa: E402
from tests.oracle import agrees  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"


def queries() -> list[str]:
    found = [query for query, _ in QUERIES]
    for name in ("dev-queries.jsonl", "dev-corpus-queries.jsonl", "dev-questions.jsonl"):
        path = EVAL / name
        if path.exists():
            found += [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(found))


def summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="index folder (holding current)")
    args = parser.parse_args(argv)
    handle = Index(args.index, cache_items=0).handle()
    whoosh_searcher = handle.searcher()
    arrays = handle.arrays
    whoosh_times, fast_times = [], []
    different, unsupported = [], []
    for text in queries():
        for query in rank.queries(understand(text)):
            started = time.perf_counter()
            theirs = whoosh_searcher.search(query, limit=None, terms=False).top_n
            whoosh_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            try:
                scores, numbers = match.FastMatcher(arrays, whoosh_searcher).scored(query)
            except match.Unsupported:
                unsupported.append(text)
                whoosh_times.pop()
                continue
            fast_times.append(time.perf_counter() - started)
            same = agrees(theirs, (scores, numbers))
            if not same:
                different.append(text)
    print(f"machine: {machine()}")
    print(f"index: {args.index} ({len(handle.facet_postings.doc_ids)} passages, {len(arrays.segments)} segments)")
    print(f"queries: {len(fast_times)} compared, {len(different)} different {different}, {len(unsupported)} to Whoosh")
    print(f"Whoosh matchers: {summary(whoosh_times)}")
    print(f"numpy matcher:   {summary(fast_times)}")
    print(f"ratio of medians: {statistics.median(fast_times) / statistics.median(whoosh_times):.3f}")
    handle.close()
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
