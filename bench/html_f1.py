"""Score the HTML main-text extractor against hand-made answers: character-bigram F1.

Usage:
    python bench/html_f1.py [CORPUS_DIR] [--worst N] [--json]

CORPUS_DIR (default ../shared/corpus/cwce-html) holds ``groundtruth.jsonl`` with one row per page
(``file``, ``cleaned_text``). Each page's bytes are decoded with ``indexer.ingest.read.decode``, its main
text taken with ``indexer.ingest.htmltext.extract``, and compared with the answer as multisets of character
bigrams after NFKC folding with all whitespace removed. Prints the mean F1, the worst pages and the
time per page.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.htmltext import extract  # noqa: E402
from indexer.ingest.read import decode  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "cwce-html"


def comparable(text: str) -> str:
    """Return text as it is compared: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def bigrams(text: str) -> Counter:
    """Return the multiset of character bigrams of the comparable text."""
    text = comparable(text)
    return Counter(text[index : index + 2] for index in range(len(text) - 1))


def bigram_f1(extracted: str, truth: str) -> float:
    """Return the F1 of the character bigrams of extracted against truth (1.0 when both are empty)."""
    extracted_bigrams, truth_bigrams = bigrams(extracted), bigrams(truth)
    extracted_total, truth_total = sum(extracted_bigrams.values()), sum(truth_bigrams.values())
    if not extracted_total and not truth_total:
        return 1.0
    overlap = sum((extracted_bigrams & truth_bigrams).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / extracted_total, overlap / truth_total
    return 2 * precision * recall / (precision + recall)


def score(corpus_dir: Path) -> dict:
    """Return per-page rows (file, encoding, f1, precision-ish lengths, ms) and the mean F1 over corpus_dir."""
    rows = []
    with (corpus_dir / "groundtruth.jsonl").open(encoding="utf-8") as answers:
        for line in answers:
            if not line.strip():
                continue
            answer = json.loads(line)
            html, encoding = decode((corpus_dir / answer["file"]).read_bytes())
            started = time.perf_counter()
            page = extract(html)
            elapsed = time.perf_counter() - started
            rows.append(
                {
                    "file": answer["file"],
                    "encoding": encoding,
                    "f1": round(bigram_f1(page.text, answer["cleaned_text"]), 4),
                    "extracted_chars": len(comparable(page.text)),
                    "truth_chars": len(comparable(answer["cleaned_text"])),
                    "title": page.title,
                    "ms": round(elapsed * 1000, 1),
                }
            )
    count = max(len(rows), 1)
    latencies = sorted(row["ms"] for row in rows)
    return {
        "pages": len(rows),
        "mean_f1": round(sum(row["f1"] for row in rows) / count, 4),
        "mean_ms": round(sum(latencies) / count, 1),
        "max_ms": latencies[-1] if latencies else 0.0,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the scoring and print the mean, the worst pages and the timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst pages to list")
    parser.add_argument("--json", action="store_true", help="print every row as JSON")
    args = parser.parse_args(argv)
    result = score(args.corpus_dir)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"mean F1 over {result['pages']} pages: {result['mean_f1']:.4f}")
    print(f"extract time per page: mean {result['mean_ms']} ms, max {result['max_ms']} ms")
    print(f"{args.worst} worst pages:")
    for row in sorted(result["rows"], key=lambda row: row["f1"])[: args.worst]:
        print(
            f"  {row['file']}  F1 {row['f1']:.4f}  extracted {row['extracted_chars']} / truth {row['truth_chars']} chars"
            f"  ({row['encoding']})  {row['title'][:40]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
