"""Measure search quality: recall@10 and MRR for judged queries (format of ../shared/eval/).

Usage:
    python bench/quality.py QUERIES.jsonl [--documents DIR] [--index DIR] [--json]

Without --index it builds a fresh index of --documents (default: documents/) in a
temporary folder. A result is relevant when its passage text contains one of the
query's ``relevant`` snippets, compared after NFKC width folding with all
whitespace removed. Prints per-query misses and the two averages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.query.filters import PASSAGE_FILTERS  # noqa: E402
from indexer.query.searcher import Searcher  # noqa: E402
from indexer.store.build import build  # noqa: E402


def comparable(text: str) -> str:
    """Return text as the judgements compare it: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def evaluate(searcher: Searcher, queries: list[dict], *, k: int = 10) -> dict:
    """Return per-query results and the averaged recall@k and MRR."""
    rows = []
    for item in queries:
        filters = {PASSAGE_FILTERS[name]: [str(value)] for name, value in (item.get("filters") or {}).items()}
        started = time.perf_counter()
        result = searcher.search(item["q"], filters=filters, per_page=k)
        elapsed = time.perf_counter() - started
        texts = [comparable(hit.text) for hit in result.hits]
        wanted = [comparable(snippet) for snippet in item["relevant"]]
        found = [snippet for snippet in wanted if any(snippet in text for text in texts)]
        first = next((rank for rank, text in enumerate(texts, 1) if any(s in text for s in wanted)), None)
        place_ok = True
        if item.get("all_city"):
            place_ok = all(item["all_city"] in hit.city for hit in result.hits)
        if item.get("all_place"):
            place_ok = place_ok and all(item["all_place"] in (hit.province + hit.city) for hit in result.hits)
        rows.append(
            {
                "id": item.get("id", item["q"]),
                "q": item["q"],
                "recall": len(found) / len(wanted) if wanted else 1.0,
                "rr": 1.0 / first if first else 0.0,
                "rank": first,
                "place_ok": place_ok,
                "total": result.total,
                "parsed": list(result.parsed),
                "dropped": list(result.dropped),
                "ms": round(elapsed * 1000, 1),
            }
        )
    count = max(len(rows), 1)
    latencies = sorted(row["ms"] for row in rows)
    return {
        "queries": len(rows),
        "recall_at_10": round(sum(row["recall"] for row in rows) / count, 4),
        "mrr": round(sum(row["rr"] for row in rows) / count, 4),
        "place_filter_ok": sum(row["place_ok"] for row in rows),
        "median_ms": latencies[len(latencies) // 2] if latencies else 0.0,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--documents", type=Path, default=Path("documents"))
    parser.add_argument("--index", type=Path, help="use an existing index instead of building one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    queries = [json.loads(line) for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="quality-") as temporary:
        index_dir = args.index
        build_seconds = None
        if index_dir is None:
            index_dir = Path(temporary) / "index"
            summary = build(args.documents, index_dir)
            build_seconds = summary.seconds
        searcher = Searcher(index_dir)
        searcher.search("工会")  # warm up: open the index, load jieba
        report = evaluate(searcher, queries)
    report["build_seconds"] = build_seconds
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    for row in report["rows"]:
        if row["recall"] < 1.0 or row["rr"] < 1.0 or not row["place_ok"]:
            print(
                f"{row['id']:>4} recall={row['recall']:.2f} rank={row['rank']} place_ok={row['place_ok']} "
                f"total={row['total']} q={row['q']!r} parsed={row['parsed']} dropped={row['dropped']}"
            )
    print(
        f"\nqueries={report['queries']} recall@10={report['recall_at_10']:.3f} MRR={report['mrr']:.3f} "
        f"place_filters_ok={report['place_filter_ok']}/{report['queries']} median_ms={report['median_ms']}"
        + (f" build_s={build_seconds:.1f}" if build_seconds is not None else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
