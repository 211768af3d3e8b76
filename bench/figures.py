"""Measure the figure extractor: precision on a hand-checked sample, recall on hand-labelled reports, speed.

Usage:
    python bench/figures.py [--documents DIR] [--sample FILE] [--recall FILE] [--corpus DIR] [--json]
    python bench/figures.py --draw-sample K   # print every K-th figure as a sample line to check by hand

Precision re-checks the saved verdicts in tests/data/figures_sample.jsonl against
the live extractor: a verdict applies only while the extractor still produces
that figure (same source, sentence, value, unit) with the same indicator, approx
and kind; the others are counted as "changed" or "gone" and need a new look.
Recall: a labelled figure in tests/data/figures_recall.jsonl is found when the
extractor gives the same value and unit in a sentence containing the labelled
text. Speed is measured over the seed documents (and --corpus, if given).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.documents import load_documents  # noqa: E402
from indexer.ingest.figures import Figure, document_figures, extract_figures  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "figures_sample.jsonl"
RECALL = ROOT / "tests" / "data" / "figures_recall.jsonl"
TARGETS = {"precision": 0.9, "recall": 0.85}


def read_jsonl(path: Path) -> list[dict]:
    """Return the records of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def folder_figures(documents: Path) -> list[tuple[str, Figure]]:
    """Return (source, figure) for every figure of every document in a folder, in reading order."""
    found: list[tuple[str, Figure]] = []
    for path in sorted(documents.iterdir()):
        if not path.is_file():
            continue
        for document in load_documents(path, documents):
            for figures in document_figures(document):
                found.extend((document.source, figure) for figure in figures)
    return found


def _same_number(left: float, right: float) -> bool:
    return abs(left - right) <= 1e-6 * max(1.0, abs(left))


def check_sample(sample: list[dict], found: list[tuple[str, Figure]]) -> dict:
    """Return precision over the sampled figures the extractor still produces unchanged."""
    kept, changed, gone = [], [], []
    for row in sample:
        candidates = [
            figure
            for source, figure in found
            if source == row["source"]
            and figure.sentence == row["sentence"]
            and figure.unit == row["unit"]
            and _same_number(figure.value, row["value"])
        ]
        same = [
            figure
            for figure in candidates
            if (figure.indicator, figure.approx, figure.kind) == (row["indicator"], row["approx"], row["kind"])
        ]
        if same:
            kept.append(row)
        elif candidates:
            now = candidates[0]
            changed.append({**row, "now": {"indicator": now.indicator, "approx": now.approx, "kind": now.kind}})
        else:
            gone.append(row)
    correct = sum(1 for row in kept if row["correct"])
    return {
        "sampled": len(sample),
        "checked": len(kept),
        "correct": correct,
        "precision": round(correct / len(kept), 4) if kept else 0.0,
        "wrong": [row for row in kept if not row["correct"]],
        "changed": changed,
        "gone": gone,
    }


def check_recall(labels: list[dict], found: list[tuple[str, Figure]]) -> dict:
    """Return the share of labelled figures the extractor finds, and how many of those have the labelled kind."""
    misses, kind_misses = [], []
    for label in labels:
        matches = [
            figure
            for source, figure in found
            if source == label["source"]
            and label["sentence"] in figure.sentence
            and figure.unit == label["unit"]
            and _same_number(figure.value, label["value"])
        ]
        if not matches:
            misses.append(label)
        elif all(figure.kind != label["kind"] for figure in matches):
            kind_misses.append({**label, "found_kind": matches[0].kind})
    found_count = len(labels) - len(misses)
    return {
        "labelled": len(labels),
        "found": found_count,
        "recall": round(found_count / len(labels), 4) if labels else 0.0,
        "kind_agreement": round((found_count - len(kind_misses)) / found_count, 4) if found_count else 0.0,
        "misses": misses,
        "kind_misses": kind_misses,
    }


def measure_speed(texts: Iterable[str]) -> dict:
    """Return megabytes per second of extract_figures over texts (after one warm-up call)."""
    texts = list(texts)
    extract_figures("发放慰问金180万元。")  # load jieba outside the timing
    size = sum(len(text.encode("utf-8")) for text in texts)
    started = time.perf_counter()
    count = sum(len(extract_figures(text)) for text in texts)
    seconds = time.perf_counter() - started
    return {
        "megabytes": round(size / 1e6, 3),
        "figures": count,
        "seconds": round(seconds, 3),
        "mb_per_s": round(size / 1e6 / seconds, 2),
    }


def passage_texts(folder: Path) -> list[str]:
    """Return the passage texts of every readable document under folder."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".md", ".html", ".htm"}:
            for document in load_documents(path, folder):
                texts.extend(passage.text for passage in document.passages)
    return texts


def draw_sample(found: list[tuple[str, Figure]], step: int) -> list[dict]:
    """Return every step-th figure as a sample line with an empty verdict."""
    rows = []
    for source, figure in found[::step]:
        record = asdict(figure)
        rows.append(
            {
                "source": source,
                "sentence": record["sentence"],
                "indicator": record["indicator"],
                "value": record["value"],
                "unit": record["unit"],
                "approx": record["approx"],
                "kind": record["kind"],
                "correct": None,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=Path, default=ROOT / "documents")
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--recall", type=Path, default=RECALL)
    parser.add_argument("--corpus", type=Path, help="also measure speed over this folder (e.g. ../shared/corpus)")
    parser.add_argument("--draw-sample", type=int, metavar="K", help="print every K-th figure as JSON lines and stop")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    found = folder_figures(args.documents)
    if args.draw_sample:
        for row in draw_sample(found, args.draw_sample):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    report = {
        "figures": len(found),
        "precision": check_sample(read_jsonl(args.sample), found),
        "recall": check_recall(read_jsonl(args.recall), found),
        "speed": measure_speed(passage_texts(args.documents)),
    }
    if args.corpus:
        report["corpus_speed"] = measure_speed(passage_texts(args.corpus))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    precision, recall = report["precision"], report["recall"]
    for row in precision["wrong"]:
        print(f"wrong    {row['indicator']} = {row['value']:g} {row['unit']} ({row['kind']}): {row.get('note', '')}")
    for row in precision["changed"]:
        print(
            f"changed  {row['indicator']} → {row['now']['indicator']} ({row['kind']} → {row['now']['kind']}) in {row['sentence'][:40]}"
        )
    for row in precision["gone"]:
        print(f"gone     {row['indicator']} = {row['value']:g} {row['unit']} in {row['sentence'][:40]}")
    for label in recall["misses"]:
        print(f"miss     {label['source'][:3]} {label['value']:g} {label['unit']} in “{label['sentence']}”")
    for label in recall["kind_misses"]:
        print(
            f"kind     {label['source'][:3]} {label['value']:g} {label['unit']} labelled {label['kind']}, found {label['found_kind']} in “{label['sentence']}”"
        )
    speed = report["speed"]
    print(
        f"\nfigures={report['figures']} "
        f"precision={precision['precision']:.3f} ({precision['correct']}/{precision['checked']} checked, "
        f"{len(precision['changed'])} changed, {len(precision['gone'])} gone of {precision['sampled']} sampled) "
        f"recall={recall['recall']:.3f} ({recall['found']}/{recall['labelled']}, kind agrees {recall['kind_agreement']:.3f}) "
        f"speed={speed['mb_per_s']} MB/s over {speed['megabytes']} MB"
        + (
            f" corpus_speed={report['corpus_speed']['mb_per_s']} MB/s over {report['corpus_speed']['megabytes']} MB"
            if args.corpus
            else ""
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
