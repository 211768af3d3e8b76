"""Measure metadata extraction on the real corpus: place and year accuracy against the manifest.

Usage:
    python bench/ingest.py [--corpus DIR]

Reads ``DIR/manifest.csv`` (default ``../shared/corpus``) and, for every row with
``labels=given``, loads the file through the real pipeline
(``indexer.ingest.documents.load_documents``) and compares its first document with the
row's ``place`` and ``year``. Place rules: 全国/国务院 → no province, no city; a
province-level name → that province and no city (a municipality such as 北京市 is
its own city too), except a city's regulation
(listed under its province), where only the province is compared; a city name →
that city. Rows with an empty label are not scored for it. Prints accuracy
overall and per source folder, the misses, and the HTML main-text F1 of
``bench/html_f1.py`` when that module exists.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.documents import load_documents  # noqa: E402
from indexer.ingest.read import ReadError  # noqa: E402
from indexer.text import places  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
NATIONAL = ("全国", "国务院", "中央")
TARGETS = {"place": 0.93, "year": 0.95}


@dataclass(frozen=True)
class Miss:
    """One wrong answer: which file, which field, what the manifest says and what we found."""

    file: str
    field: str
    expected: str
    got: str


@dataclass
class Tally:
    """Right and scored counts for place and year."""

    place_right: int = 0
    place_scored: int = 0
    year_right: int = 0
    year_scored: int = 0

    def accuracy(self, name: str) -> float | None:
        """Return the share right for "place" or "year" (None when nothing was scored)."""
        scored = getattr(self, f"{name}_scored")
        return getattr(self, f"{name}_right") / scored if scored else None


@dataclass
class Report:
    """The whole measurement: overall and per-folder tallies and the misses."""

    overall: Tally = field(default_factory=Tally)
    by_source: dict[str, Tally] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)


def read_manifest(corpus: Path) -> list[dict[str, str]]:
    """Return the manifest rows whose labels are given."""
    with (corpus / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["labels"] == "given"]


def _shown(province: str, city: str) -> str:
    return "/".join(part for part in (province, city) if part) or "(national)"


def _is_city_regulation(title: str, province: str) -> bool:
    """Return whether a title names a city of the province first (宁波市…条例, 深圳经济特区…条例)."""
    mentions = places.place_mentions(title)
    return bool(mentions) and bool(mentions[0].city) and mentions[0].province == province


def place_correct(expected: str, row_title: str, province: str, city: str) -> bool:
    """Return whether (province, city) answers the manifest place value."""
    if expected in NATIONAL:
        return not province and not city
    wanted = places.normalise_place(expected)
    if not wanted.province:
        raise ValueError(f"manifest place {expected!r} is not in the gazetteer")
    if wanted.city:
        return city == wanted.city
    if _is_city_regulation(row_title, wanted.province):
        return province == wanted.province
    # A municipality (北京市) is province and city at once.
    return province == wanted.province and city in ("", places.with_municipality_city(wanted).city)


def evaluate(corpus: Path) -> Report:
    """Run the pipeline over the given rows and tally place and year."""
    report = Report()
    for row in read_manifest(corpus):
        tally = report.by_source.setdefault(row["source"], Tally())
        try:
            documents = load_documents(corpus / row["file"], corpus)
        except ReadError as error:
            documents, reason = [], f"(read error: {error})"
        else:
            reason = "(no document)"
        document = documents[0] if documents else None
        if row["place"]:
            right = document is not None and place_correct(row["place"], row["title"], document.province, document.city)
            for counts in (tally, report.overall):
                counts.place_scored += 1
                counts.place_right += right
            if not right:
                got = _shown(document.province, document.city) if document else reason
                report.misses.append(Miss(row["file"], "place", row["place"], got))
        if row["year"]:
            right = document is not None and str(document.year) == row["year"]
            for counts in (tally, report.overall):
                counts.year_scored += 1
                counts.year_right += right
            if not right:
                got = str(document.year) if document else reason
                report.misses.append(Miss(row["file"], "year", row["year"], got))
    return report


def html_f1(corpus: Path) -> tuple[float | None, str]:
    """Return the mean F1 of bench/html_f1.py over the cwce pages, or None and the reason it is missing."""
    path = Path(__file__).resolve().parent / "html_f1.py"
    if not path.exists():
        return None, "bench/html_f1.py not present"
    spec = importlib.util.spec_from_file_location("html_f1", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except ImportError as error:
        return None, f"bench/html_f1.py cannot be imported: {error}"
    result = module.score(corpus / "cwce-html")
    return float(result["mean_f1"]), f"over {result.get('pages', '?')} cwce pages"


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.csv").exists():
        print(f"error: {args.corpus}/manifest.csv not found", file=sys.stderr)
        return 2
    report = evaluate(args.corpus)
    for miss in report.misses:
        print(f"miss {miss.field:<5} {miss.file:<42} expected {miss.expected:<12} got {miss.got}")
    print()
    print(f"{'source':<22}{'place':>8}{'n':>5}{'year':>8}{'n':>5}")
    for source, tally in sorted(report.by_source.items()):
        print(
            f"{source:<22}{_share(tally.accuracy('place')):>8}{tally.place_scored:>5}"
            f"{_share(tally.accuracy('year')):>8}{tally.year_scored:>5}"
        )
    overall = report.overall
    print(
        f"\nplace accuracy: {_share(overall.accuracy('place'))} ({overall.place_right}/{overall.place_scored})"
        f"  target {TARGETS['place']}"
    )
    print(
        f"year accuracy:  {_share(overall.accuracy('year'))} ({overall.year_right}/{overall.year_scored})"
        f"  target {TARGETS['year']}"
    )
    f1, note = html_f1(args.corpus)
    print(f"HTML F1: {'n/a' if f1 is None else f'{f1:.3f}'} ({note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
