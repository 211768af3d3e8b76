"""Ablation: each technique of the ranking switched off in turn, on judged query sets; prints a table.

    .venv/bin/python bench/ablation.py --index DIR SET.jsonl [SET.jsonl …] [--variants full,no_feedback,…]

A variant sets module constants (or empties a data table) before searching, with the match cache off, so
every search is ranked anew. Columns per set: success@10 and MRR; last, the p95 time over every set.
Use the development sets for direction; run held-out sets with --summary-like care (no query is printed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality import evaluate  # noqa: E402
from indexer.query import parse, rank, understand  # noqa: E402
from indexer.query.searcher import Searcher  # noqa: E402
from indexer.text import lexicon  # noqa: E402


def _empty_table(name: str):
    """Return a patch that empties one lexicon table (and the caches built on it)."""

    def patch(stack: contextlib.ExitStack) -> None:
        original = getattr(lexicon, name)
        stack.callback(setattr, lexicon, name, original)
        setattr(lexicon, name, lambda: {})
        for cached in (parse._phrase_pattern, parse._colloquial_table, parse._synonym_table):
            cached.cache_clear()
            stack.callback(cached.cache_clear)

    return patch


def _constant(module, name: str, value):
    def patch(stack: contextlib.ExitStack) -> None:
        stack.callback(setattr, module, name, getattr(module, name))
        setattr(module, name, value)

    return patch


VARIANTS = {
    "full": [],
    "no_coverage": [_constant(rank, "COVERAGE_WEIGHT", 0.0)],
    "no_kind_boost": [_constant(rank, "KIND_BOOST", 0.0)],
    "no_rare_floor": [_constant(rank, "RARE_SHARE", 0.0)],
    "no_known_factor": [_constant(rank, "KNOWN_FACTOR", 1.0)],
    "no_thesaurus": [_empty_table("colloquial")],
    "no_synonyms": [_empty_table("synonyms")],
    "no_question_words": [_empty_table("question_frames")],
    "keywords_as_questions": [_constant(understand, "KEYWORD_CONCEPTS", 0)],
}


def _patches(name: str) -> list:
    """Return a variant's patches: a named one, or settings written module.NAME=value[;module.NAME=value]."""
    if name in VARIANTS:
        return VARIANTS[name]
    modules = {"rank": rank, "understand": understand}
    patches = []
    for setting in name.split(";"):
        target, value = setting.split("=")
        module, constant = target.split(".")
        patches.append(_constant(modules[module], constant, float(value)))
    return patches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--baseline", action="store_true", help="add plain BM25 over the words, OR-ed")
    args = parser.parse_args(argv)
    sets = {
        path.stem: [json.loads(line) for line in path.read_text("utf-8").splitlines() if line] for path in args.sets
    }
    print("| variant | " + " | ".join(f"{name} success@10 / recall@10 / MRR" for name in sets) + " | p95 ms |")
    print("|---|" + "---|" * (len(sets) + 1))
    rows = [(name, False) for name in args.variants.split(",")] + ([("plain BM25 OR", True)] if args.baseline else [])
    for name, baseline in rows:
        with contextlib.ExitStack() as stack:
            for patch in [] if baseline else _patches(name):
                patch(stack)
            searcher = Searcher(args.index, cache_items=0)
            searcher.search("工会")
            cells, times = [], []
            for queries in sets.values():
                report = evaluate(searcher, queries, baseline=baseline)
                cells.append(f"{report['success_at_10']:.3f} / {report['recall_at_10']:.3f} / {report['mrr']:.3f}")
                times += [row["ms"] for row in report["rows"]]
            searcher.close()
        times.sort()
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
        print(f"| {name} | " + " | ".join(cells) + f" | {p95:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
