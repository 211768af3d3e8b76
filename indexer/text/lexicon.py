"""Load the domain knowledge kept as data in ``indexer/data/`` (once per process).

Parts: the gazetteer (provinces and prefecture-level cities with short forms),
the topic taxonomy (topic → trigger phrases), the jieba user dictionary path,
the query synonym table, query stop words, document-type rules and the
traditional → simplified character map (from OpenCC's own dictionary).
"""

from __future__ import annotations

import csv
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
USER_DICTIONARY = DATA_DIR / "userdict.txt"


@dataclass(frozen=True)
class Place:
    """A province-level or prefecture-level division and how people name it."""

    province: str
    city: str  # "" for a province-level row
    names: tuple[str, ...]  # full name first, then short forms
    status: str  # current | former | county-level


def _read_csv(name: str) -> list[dict[str, str]]:
    """Return a data file's rows (lines starting with # are comments: where the list comes from)."""
    path = DATA_DIR / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


@functools.lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """Return every gazetteer row as a Place."""
    rows = []
    for row in _read_csv("gazetteer.csv"):
        province, city = row["province"].strip(), row["city"].strip()
        names = (city, *_split(row.get("city_short"))) if city else (province, *_split(row.get("province_short")))
        rows.append(Place(province, city, tuple(dict.fromkeys(names)), row.get("status", "current")))
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def province_tiles() -> dict[str, tuple[int, int]]:
    """Return province → (row, column) of its square in the tile map."""
    return {row["province"].strip(): (int(row["row"]), int(row["col"])) for row in _read_csv("province_tiles.csv")}


@functools.lru_cache(maxsize=1)
def topic_phrases() -> dict[str, tuple[str, ...]]:
    """Return topic → trigger phrases, longest phrase first."""
    topics: dict[str, list[str]] = {}
    for row in _read_csv("topics.csv"):
        phrase = row["phrase"].strip()
        if len(phrase) >= 2:
            topics.setdefault(row["topic"].strip(), []).append(phrase)
    return {topic: tuple(sorted(set(found), key=len, reverse=True)) for topic, found in topics.items()}


@functools.lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Return term → alternatives searched with a lower weight (query time only)."""
    table: dict[str, list[str]] = {}
    for row in _read_csv("synonyms.csv"):
        term = row["term"].strip()
        for alternative in _split(row["alternatives"]):
            if alternative != term:
                table.setdefault(term, []).append(alternative)
    return {term: tuple(dict.fromkeys(found)) for term, found in table.items()}


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Return query words that never carry content (多少, 哪些, 的, …)."""
    text = (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def doc_type_rules() -> tuple[tuple[str, str, str], ...]:
    """Return (doc_type, where, phrase) rules in priority order."""
    return tuple(
        (row["doc_type"].strip(), row["where"].strip(), row["phrase"].strip()) for row in _read_csv("doctypes.csv")
    )


@functools.lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Return the one-character traditional → simplified map shipped with OpenCC."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        raise RuntimeError("opencc-python-reimplemented is not installed (see requirements.txt)")
    path = Path(spec.origin).parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
            table[parts[0]] = parts[1]
    return table


@functools.lru_cache(maxsize=1)
def ambiguous_place_names() -> frozenset[str]:
    """Return short place names that are everyday words too (安康杯, 长治久安)."""
    text = (DATA_DIR / "ambiguous_places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@functools.lru_cache(maxsize=1)
def question_frames() -> dict[str, str]:
    """Return question phrase → the kind of answer it asks for (precedent, measure, rule, figure, frame)."""
    return {row["phrase"].strip(): row["kind"].strip() for row in _read_csv("question_frames.csv") if row["phrase"]}


@functools.lru_cache(maxsize=1)
def colloquial() -> dict[str, tuple[str, ...]]:
    """Return how people say it → how documents say it (searched at a lower weight, shown, removable)."""
    table: dict[str, list[str]] = {}
    for row in _read_csv("colloquial.csv"):
        phrase = (row.get("colloquial") or "").strip()
        for official in _split(row.get("official")):
            if phrase and official != phrase:
                table.setdefault(phrase, []).append(official)
    return {phrase: tuple(dict.fromkeys(found)) for phrase, found in table.items()}


@functools.lru_cache(maxsize=1)
def answer_doc_types() -> dict[str, frozenset[str]]:
    """Return the kind of a question → the document types that answer it (a rule: laws and regulations)."""
    table: dict[str, set[str]] = {}
    for row in _read_csv("answer_types.csv"):
        table.setdefault(row["kind"].strip(), set()).add(row["doc_type"].strip())
    return {kind: frozenset(types) for kind, types in table.items()}


@functools.lru_cache(maxsize=1)
def national_words() -> frozenset[str]:
    """Return the words by which a question asks about the whole country (国家, 全国)."""
    text = (DATA_DIR / "national_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
