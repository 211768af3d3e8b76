"""Measure 按地区 on judged precedent and measure questions: do the best passages of the top places answer?

Usage:
    python bench/places.py QUESTIONS.jsonl [MORE.jsonl …] --index DIR [--summary]

For each question of kind precedent or measure (the format of ``bench/questions/``), ``search_places`` groups the
passages ``/api/search`` finds by place. Score: places among the first 10 whose best passage holds a judged
snippet, divided by min(10, the places that could: those with a judged passage anywhere among the search's passages;
0 when none has) — averaged over the questions; the same over min(10, judged snippets) is printed beside it (a
floor: a national question's snippets are often all from one place). Also checked on every question: the places' passages add up to ``search_passages``'s total. Timing:
median and p95 of ``search_places`` (in process, second call of each question after a first one warms the caches).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import comparable  # noqa: E402

from indexer.query.by_place import search_places  # noqa: E402
from indexer.query.filters import normalise_filters  # noqa: E402
from indexer.query.index import Index  # noqa: E402
from indexer.query.passages import matching_passages, search_passages  # noqa: E402

KINDS = ("precedent", "measure")
TOP = 10


def evaluate(handle, questions: list[dict], *, summary: bool) -> str:
    """Return the summary line of one set; print each question unless ``summary``."""
    shares, strict, times, consistent = [], [], [], 0
    searcher = handle.searcher()
    columns = handle.place_columns
    for question in questions:
        snippets = [comparable(snippet) for snippet in question["relevant"]]
        filters = question.get("filters") or {}
        search_places(handle, question["q"], filters=filters)
        started = time.perf_counter()
        places = search_places(handle, question["q"], filters=filters)
        times.append((time.perf_counter() - started) * 1000)
        _, found, _ = matching_passages(handle, question["q"], normalise_filters(filters))
        consistent += (
            places.total == search_passages(handle, question["q"], filters=filters).total == found.numbers.size
        )
        # The places that could answer: those holding a judged passage anywhere among the search's passages.
        could = {
            (int(columns["province"][number]), int(columns["city"][number]))
            for number in found.numbers.tolist()
            if any(snippet in comparable(searcher.stored_fields(number).get("text", "")) for snippet in snippets)
        }
        answered = sum(
            any(snippet in comparable(place.best["text"]) for snippet in snippets) for place in places.places[:TOP]
        )
        share = answered / min(TOP, len(could)) if could else 0.0
        shares.append(share)
        strict.append(answered / min(TOP, len(snippets)))
        if not summary:
            print(f"{question['id']} share={share:.2f} could={len(could)} answered={answered} q={question['q'][:40]!r}")
    times.sort()
    return (
        f"questions={len(questions)} best_of_top10_share={statistics.mean(shares):.3f} "
        f"(over judged snippets instead of places: {statistics.mean(strict):.3f}) "
        f"consistent_counts={consistent}/{len(questions)} median_ms={statistics.median(times):.1f} "
        f"p95_ms={times[int(0.95 * (len(times) - 1))]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--summary", action="store_true", help="averages only (held-out sets)")
    options = parser.parse_args()
    handle = Index(options.index).handle()
    for path in options.questions:
        lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines() if text.strip()]
        questions = [line for line in lines if line.get("kind") in KINDS]
        print(f"{path.name}: {evaluate(handle, questions, summary=options.summary)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
