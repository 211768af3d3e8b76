"""Measure search quality on judged queries (format of ../shared/eval/ and bench/questions/).

Usage:
    python bench/quality.py QUERIES.jsonl [MORE.jsonl …] [--documents DIR] [--index DIR] [--json]
                            [--summary] [--baseline]

Without --index it builds a fresh index of --documents (default: documents/) in a temporary folder. A result is
relevant when its passage text contains one of the query's ``relevant`` snippets, compared after NFKC width
folding with all whitespace removed. Per file and per ``kind``: success@10 (a relevant passage in the top 10),
recall@10 (share of the snippets found), MRR, precision@10 (share of the top 10 that are judged relevant: a
floor), queries answered with nothing, median and p95 time. ``--summary`` prints no query (use it on held-out
sets); ``--baseline`` measures plain BM25 over the words, OR-ed, over the same index (a peer).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import query as Q  # noqa: E402

from indexer.query import match  # noqa: E402
from indexer.query.filters import PASSAGE_FILTERS  # noqa: E402
from indexer.query.searcher import Searcher  # noqa: E402
from indexer.store.build import build  # noqa: E402
from indexer.text import analysis, lexicon  # noqa: E402


def comparable(text: str) -> str:
    """Return text as the judgements compare it: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _plain_bm25(searcher: Searcher, query: str, k: int) -> list[str]:
    """Return the texts of the top k passages of plain BM25 over the jieba words, OR-ed: the peer baseline."""
    handle = searcher.handle()
    stops = lexicon.stop_words()
    words = [word for word in dict.fromkeys(analysis.words(query)) if word not in stops]
    if not words:
        return []
    _, numbers = match.scored(handle.arrays, handle.searcher(), Q.Or([Q.Term("text", word) for word in words]))
    numbers = numbers[~handle.copies[numbers]]
    return [handle.searcher().stored_fields(number).get("text", "") for number in numbers[:k].tolist()]


def evaluate(searcher: Searcher, queries: list[dict], *, k: int = 10, baseline: bool = False) -> dict:
    """Return per-query results and the averages: recall@k, MRR, success@k and precision@k, per kind too."""
    rows = []
    for item in queries:
        filters = {PASSAGE_FILTERS[name]: [str(value)] for name, value in (item.get("filters") or {}).items()}
        started = time.perf_counter()
        if baseline:
            hits, total, parsed, dropped = [], None, [], []
            texts = [comparable(text) for text in _plain_bm25(searcher, item["q"], k)]
        else:
            result = searcher.search(item["q"], filters=filters, per_page=k)
            hits, total, parsed, dropped = result.hits, result.total, list(result.parsed), list(result.dropped)
            texts = [comparable(hit.text) for hit in hits]
        elapsed = time.perf_counter() - started
        wanted = [comparable(snippet) for snippet in item["relevant"]]
        found = [snippet for snippet in wanted if any(snippet in text for text in texts)]
        judged = [any(snippet in text for snippet in wanted) for text in texts]
        first = next((rank for rank, relevant in enumerate(judged, 1) if relevant), None)
        place_ok = True
        if item.get("all_city"):
            place_ok = all(item["all_city"] in hit.city for hit in hits)
        if item.get("all_place"):
            place_ok = place_ok and all(item["all_place"] in (hit.province + hit.city) for hit in hits)
        rows.append(
            {
                "id": item.get("id", item["q"]),
                "q": item["q"],
                "kind": item.get("kind", "keyword"),
                "recall": len(found) / len(wanted) if wanted else 1.0,
                "rr": 1.0 / first if first else 0.0,
                "precision": sum(judged) / k,
                "rank": first,
                "place_ok": place_ok,
                "total": total,
                "parsed": parsed,
                "dropped": dropped,
                "ms": round(elapsed * 1000, 1),
            }
        )
    report = _averages(rows)
    report["by_kind"] = {kind: _averages([row for row in rows if row["kind"] == kind]) for kind in _kinds(rows)}
    report["rows"] = rows
    return report


def _kinds(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(row["kind"] for row in rows))


def _averages(rows: list[dict]) -> dict:
    count = max(len(rows), 1)
    latencies = sorted(row["ms"] for row in rows)
    return {
        "queries": len(rows),
        "recall_at_10": round(sum(row["recall"] for row in rows) / count, 4),
        "mrr": round(sum(row["rr"] for row in rows) / count, 4),
        "success_at_10": round(sum(row["rank"] is not None for row in rows) / count, 4),
        "precision_at_10": round(sum(row["precision"] for row in rows) / count, 4),
        "empty": sum(row["total"] == 0 for row in rows),
        "place_filter_ok": sum(row["place_ok"] for row in rows),
        "median_ms": latencies[len(latencies) // 2] if latencies else 0.0,
        "p95_ms": latencies[min(len(latencies) - 1, math.ceil(0.95 * len(latencies)) - 1)] if latencies else 0.0,
    }


def _line(name: str, report: dict) -> str:
    return (
        f"{name}: queries={report['queries']} success@10={report['success_at_10']:.3f} "
        f"recall@10={report['recall_at_10']:.3f} MRR={report['mrr']:.3f} P@10={report['precision_at_10']:.3f} "
        f"empty={report['empty']} place_filters_ok={report['place_filter_ok']}/{report['queries']} "
        f"median_ms={report['median_ms']} p95_ms={report['p95_ms']}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queries", type=Path, nargs="+")
    parser.add_argument("--documents", type=Path, default=Path("documents"))
    parser.add_argument("--index", type=Path, help="use an existing index instead of building one")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--summary", action="store_true", help="averages only, no query listed (held-out sets)")
    parser.add_argument("--baseline", action="store_true", help="plain BM25 over the words, OR-ed (a peer)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quality-") as temporary:
        index_dir = args.index
        build_seconds = None
        if index_dir is None:
            index_dir = Path(temporary) / "index"
            summary = build(args.documents, index_dir)
            build_seconds = summary.seconds
        searcher = Searcher(index_dir)
        searcher.search("工会")  # warm up: open the index, load jieba
        for path in args.queries:
            queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            report = evaluate(searcher, queries, baseline=args.baseline)
            report["build_seconds"] = build_seconds
            _print(path, report, json_output=args.json, summary=args.summary)
    return 0


def _print(path: Path, report: dict, *, json_output: bool, summary: bool) -> None:
    if json_output:
        if summary:
            report = {key: value for key, value in report.items() if key != "rows"}
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    if not summary:
        for row in report["rows"]:
            if row["recall"] < 1.0 or row["rr"] < 1.0 or not row["place_ok"]:
                print(
                    f"{row['id']:>5} recall={row['recall']:.2f} rank={row['rank']} place_ok={row['place_ok']} "
                    f"total={row['total']} q={row['q']!r} parsed={row['parsed']} dropped={row['dropped']}"
                )
    print(_line(path.name, report))
    if len(report["by_kind"]) > 1:
        for kind, values in report["by_kind"].items():
            print("  " + _line(kind, values))


if __name__ == "__main__":
    sys.exit(main())
