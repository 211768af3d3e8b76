"""Check the figures of government work reports against a hand-judged sample (not the seeds).

Usage:
    python bench/figures_judged.py bench/questions/figures-gwr-dev.jsonl [--corpus ../shared/corpus] [--summary]
    python bench/figures_judged.py --recall bench/questions/figures-gwr-recall.jsonl [--summary]

Each judged line names a corpus file, the first characters of the sentence (``anchor``) and the number as
written; the live extractor's figure there is compared with the judgment: value and unit, indicator (the same
measured thing: equal, one inside the other, or character-bigram Dice ≥ 0.6 with the judged name), kind
(target / actual), year (the year the figure is about), year_from (the first year of a period), measure
(level / change / share / count) and the whole figure (value, unit, indicator, kind and year right).
``--summary`` prints no figure (use it on the held-out half).

``--recall``: every figure of a few number-rich passages listed by hand (file, passage ordinal, the number as
written, value, unit, kind, year); a listed figure is found when the extractor gives that number in that passage
with the same amount (万 and 亿 folded in: 1691 万吨 = 16 910 000 吨); recall of value and kind, and of the year for actuals, over all of them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.documents import load_documents  # noqa: E402
from indexer.ingest.figures import document_figures  # noqa: E402

FIELDS = ("found", "value", "unit", "indicator", "kind", "year", "year_from", "measure", "whole")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def same_indicator(found: str, judged: str) -> bool:
    """Say whether an extracted indicator names the judged measured thing."""
    found = found.replace("（上限）", "").replace("（下限）", "")
    if not found or not judged:
        return False
    if found in judged or judged in found:
        return True
    left, right = _bigrams(found), _bigrams(judged)
    return 2 * len(left & right) / (len(left) + len(right)) >= 0.6


def figures_of(path: Path, corpus: Path) -> list[tuple[str, object]]:
    """Return (passage text, figure) for each figure of a file."""
    found = []
    for document in load_documents(path, corpus):
        for passage, figures in zip(document.passages, document_figures(document), strict=True):
            found.extend((passage.text, figure) for figure in figures)
    return found


def check(line: dict, found: list[tuple[str, object]]) -> dict:
    """Return which fields of one judged figure the extractor gets right."""
    match = next(
        (
            figure
            for text, figure in found
            if figure.sentence.startswith(line["anchor"]) and text[figure.start : figure.end] == line["number"]
        ),
        None,
    )
    if match is None:
        return {"found": False} | {name: False for name in FIELDS[1:]}
    right = {
        "found": True,
        "value": line["value"] is not None and abs(match.value - line["value"]) <= 1e-6 * max(1, abs(line["value"])),
        "unit": line["unit"] is not None and match.unit == line["unit"],
        "indicator": same_indicator(match.indicator, line["indicator"]),
        "kind": match.kind == line["kind"],
        "year": getattr(match, "year", None) == line["year"],
        "year_from": getattr(match, "year_from", None) == line["year_from"],
        "measure": getattr(match, "measure", None) == line["measure"],
    }
    right["whole"] = all(right[name] for name in ("value", "unit", "indicator", "kind", "year"))
    right["figure"] = {
        "indicator": match.indicator,
        "kind": match.kind,
        "year": getattr(match, "year", None),
        "year_from": getattr(match, "year_from", None),
        "measure": getattr(match, "measure", None),
    }
    return right


_SCALES = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))


def base_amount(value: float, unit: str) -> tuple[float, str]:
    """Return a value and unit with 万 / 亿 folded into the number (1691 万吨 → 16 910 000 吨), so the
    extractor's convention (things in the base unit, money and volumes as written) and a reader's compare."""
    for prefix, scale in _SCALES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return value * scale, unit[len(prefix) :]
    return value, unit


def same_amount(found_value: float, found_unit: str, value: float, unit: str) -> bool:
    """Say whether two (value, unit) are the same quantity, whatever multiplier each unit carries."""
    left, right = base_amount(found_value, found_unit), base_amount(value, unit)
    return left[1] == right[1] and abs(left[0] - right[0]) <= 1e-6 * max(1.0, abs(right[0]))


def recall(lines: list[dict], corpus: Path, *, summary: bool) -> str:
    """Return the recall line of hand-listed figures (value, value and kind, year of actuals)."""
    cache: dict[str, list] = {}
    found = with_kind = actuals = actual_years = 0
    for line in lines:
        if line["file"] not in cache:
            cache[line["file"]] = [
                (passage, figures)
                for document in load_documents(corpus / line["file"], corpus)
                for passage, figures in zip(document.passages, document_figures(document), strict=True)
            ]
        passage, figures = cache[line["file"]][line["ordinal"]]
        match = next(
            (
                figure
                for figure in figures
                if line["number"] in passage.text[figure.start - 2 : figure.end + 2]
                and same_amount(figure.value, figure.unit, line["value"], line["unit"])
            ),
            None,
        )
        found += match is not None
        with_kind += match is not None and match.kind == line["kind"]
        if line["kind"] == "actual":
            actuals += 1
            actual_years += match is not None and match.year == line["year"]
        if match is None and not summary:
            print("missed", line["file"], line["ordinal"], line["number"], line["indicator"])
    return (
        f"figures={len(lines)} value_recall={found / len(lines):.3f} value_and_kind_recall={with_kind / len(lines):.3f}"
        f" actual_year_recall={actual_years / max(1, actuals):.3f} (actuals={actuals})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("judged", type=Path, nargs="?")
    parser.add_argument("--recall", type=Path, help="hand-listed figures of whole passages")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--summary", action="store_true", help="averages only (held-out sets)")
    options = parser.parse_args()
    if options.recall:
        lines = [json.loads(text) for text in options.recall.read_text(encoding="utf-8").splitlines() if text.strip()]
        print(f"{options.recall.name}: {recall(lines, options.corpus, summary=options.summary)}")
        return 0
    if options.judged is None:
        parser.error("give a judged file or --recall FILE")
    lines = [json.loads(text) for text in options.judged.read_text(encoding="utf-8").splitlines() if text.strip()]
    cache: dict[str, list] = {}
    totals = dict.fromkeys(FIELDS, 0)
    for line in lines:
        if line["file"] not in cache:
            cache[line["file"]] = figures_of(options.corpus / line["file"], options.corpus)
        right = check(line, cache[line["file"]])
        for name in FIELDS:
            totals[name] += bool(right[name])
        wrong = [name for name in FIELDS if not right[name]]
        if wrong and not options.summary:
            judged = {name: line[name] for name in ("indicator", "kind", "year", "year_from", "measure")}
            print(line["id"], "wrong:", ",".join(wrong), "got", right.get("figure"), "judged", judged)
    shares = " ".join(f"{name}={totals[name] / len(lines):.3f}" for name in FIELDS)
    print(f"{options.judged.name}: figures={len(lines)} {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
