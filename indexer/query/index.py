"""An index directory, opened generation by generation: what every search of one generation reads.

Parts:

* ``Index`` — an index directory; ``handle()`` returns the handle of the generation ``current``
  points at now, opening a new one when a build has swapped in another.
* ``IndexHandle`` — one generation, frozen: its Whoosh indexes (passages and figures), each thread's
  Whoosh searchers of them, the duplicates, the match cache, and what searches share, loaded once
  (facet postings, postings arrays, the mask of duplicate copies, the figures' arrays, facets and sort
  keys). A request holds one handle throughout, so everything it reads is of one generation, also
  when a build swaps in a new one meanwhile. A handle no one holds any more closes its searchers.
* ``document_record`` — a document's stored record (metadata, text, passage spans).
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from indexer.query import facets as facet_sets
from indexer.query import match
from indexer.query.cache import MATCH_CACHE_ITEMS, MatchCache
from indexer.query.scoring import ChannelBM25F
from indexer.store.generations import DOCS_DIR, DUPLICATES, current_generation, read_manifest
from indexer.store.schema import FACETS, FIGURE_FACETS, FIGURES_INDEX, SCHEMA_VERSION

_DOC_ID = re.compile(r"[0-9a-f]{16}")


class IndexMissing(FileNotFoundError):
    """There is no usable index (none built, or one of an older schema)."""


def document_record(generation: Path, doc_id: str) -> dict | None:
    """Return the stored record (metadata, text, passage spans) of a document, None for an unknown id."""
    if not _DOC_ID.fullmatch(doc_id or ""):
        return None  # only our own ids, never a path
    path = generation / DOCS_DIR / f"{doc_id}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _read_duplicates(generation: Path) -> dict[str, tuple[str, ...]]:
    path = generation / DUPLICATES
    if not path.is_file():
        return {}
    groups = json.loads(path.read_text(encoding="utf-8")).get("groups", {})
    return {canonical: tuple(copies) for canonical, copies in groups.items()}


class _ThreadSearchers:
    """Each thread's Whoosh searcher of one index (Whoosh searchers read files and are not shared)."""

    def __init__(self, whoosh_ix):
        self._index = whoosh_ix
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list = []

    def get(self):
        """Return this thread's searcher, opened on first use."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._index.searcher(weighting=ChannelBM25F())
            with self._lock:
                self._opened.append(searcher)
        return searcher

    def close(self) -> None:
        """Close every searcher opened (their files are released)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for searcher in opened:
            searcher.close()


@dataclass(frozen=True, eq=False)
class IndexHandle:
    """One index generation, opened; shared by every thread searching it."""

    generation: Path
    passages: object  # whoosh.index.FileIndex
    figures: object  # whoosh.index.FileIndex of the figures
    duplicates: dict[str, tuple[str, ...]]
    matches: MatchCache
    _searchers: _ThreadSearchers = field(repr=False)
    _figure_searchers: _ThreadSearchers = field(repr=False)

    @classmethod
    def open(cls, generation: Path, *, cache_items: int = MATCH_CACHE_ITEMS) -> IndexHandle:
        """Open a generation (its Whoosh indexes, duplicates and an empty match cache)."""
        if read_manifest(generation).get("schema_version") != SCHEMA_VERSION:
            raise IndexMissing(f"index {generation} has an old schema; rebuild it / 索引版本过旧，请重新构建")
        passages = whoosh_index.open_dir(str(generation))
        figures = whoosh_index.open_dir(str(generation), indexname=FIGURES_INDEX)
        searchers, figure_searchers = _ThreadSearchers(passages), _ThreadSearchers(figures)
        handle = cls(
            generation,
            passages,
            figures,
            _read_duplicates(generation),
            MatchCache(cache_items),
            searchers,
            figure_searchers,
        )
        # A handle no one holds any more releases its files (the generation may be gone by then).
        weakref.finalize(handle, searchers.close)
        weakref.finalize(handle, figure_searchers.close)
        return handle

    def searcher(self):
        """Return this thread's Whoosh searcher of the passages."""
        return self._searchers.get()

    def figure_searcher(self):
        """Return this thread's Whoosh searcher of the figures."""
        return self._figure_searchers.get()

    def close(self) -> None:
        """Close the searchers this handle opened (a search still using them fails)."""
        self._searchers.close()
        self._figure_searchers.close()

    # ------------------------------------------------------------ shared, loaded once

    @cached_property
    def facet_postings(self) -> facet_sets.FacetPostings:
        """Every passage facet's (passage, value) pairs and the doc_id and date columns."""
        return facet_sets.load(self.searcher().reader(), FACETS)

    @cached_property
    def arrays(self) -> match.Arrays:
        """The passages' postings arrays, segment by segment."""
        return match.Arrays(self.searcher().reader())

    @cached_property
    def copies(self) -> np.ndarray:
        """The mask of passages of duplicate copies (never shown)."""
        return self.facet_postings.passages_of({copy for group in self.duplicates.values() for copy in group})

    @cached_property
    def _type_masks(self) -> dict:
        return {}

    @cached_property
    def undated_rank(self) -> int:
        """The date rank of passages without a date (-1 when every passage has one)."""
        postings = self.facet_postings
        if not postings.doc_count:
            return -1
        lowest = int(np.argmin(postings.date_rank))
        return int(postings.date_rank[lowest]) if not postings.dates[lowest] else -1

    @cached_property
    def place_columns(self) -> dict[str, np.ndarray]:
        """Per passage, the number of its province, city and year among the facet's values (-1: none)."""
        postings = self.facet_postings
        columns = {}
        for name in ("province", "city", "year"):
            found = np.full(postings.doc_count, -1, dtype=np.int32)
            numbers, owners = postings.pairs.get(name, (np.zeros(0, np.int64), np.zeros(0, np.int32)))
            found[numbers] = owners
            columns[name] = found
        return columns

    def passages_of_types(self, doc_types: frozenset[str]) -> np.ndarray:
        """Return the mask of passages whose document is of one of the types (kept per set of types)."""
        found = self._type_masks.get(doc_types)
        if found is None:
            found = facet_sets.allowed(self.facet_postings, {"doc_type": tuple(sorted(doc_types))})
            self._type_masks[doc_types] = found
        return found

    def passages_of_year(self, year: str) -> np.ndarray:
        """Return the mask of passages of documents of a year (kept per year)."""
        key = ("year", year)
        found = self._type_masks.get(key)
        if found is None:
            found = facet_sets.allowed(self.facet_postings, {"year": (year,)})
            self._type_masks[key] = found
        return found

    @cached_property
    def national_passages(self) -> np.ndarray:
        """The mask of passages of national documents (no province)."""
        postings = self.facet_postings
        provincial = facet_sets.allowed(postings, {"province": tuple(postings.values.get("province", ()))})
        return postings.live & ~provincial

    @cached_property
    def figure_arrays(self) -> match.Arrays:
        """The figures' postings arrays."""
        return match.Arrays(self.figure_searcher().reader())

    @cached_property
    def figure_facets(self) -> facet_sets.FacetPostings:
        """Every figure facet's (figure, value) pairs."""
        return facet_sets.load(self.figure_searcher().reader(), FIGURE_FACETS, documents=False)

    @cached_property
    def figure_value_places(self) -> tuple[np.ndarray, int]:
        """Each figure's place among the index's distinct values (ascending; no value: past the end), and
        how many values there are."""
        reader = self.figure_searcher().reader()
        places = np.full(reader.doc_count_all(), reader.doc_count_all() + 1, dtype=np.int64)
        count = 0
        for count, term in enumerate(reader.schema["value"].sortable_terms(reader, "value"), start=1):
            places[np.fromiter(reader.postings("value", term).all_ids(), dtype=np.int64)] = count - 1
        return places, count

    @cached_property
    def figure_ranks(self) -> dict[str, np.ndarray]:
        """Per place field (year, province, city), each figure's rank by its value in byte order (0: none)."""
        postings = self.figure_facets
        ranks = {}
        for name in ("year", "province", "city"):
            names = postings.values.get(name, [])
            rank_of_value = np.zeros(len(names), dtype=np.int32)
            by_bytes = sorted(range(len(names)), key=lambda number: names[number].encode("utf-8"))
            rank_of_value[by_bytes] = np.arange(1, len(names) + 1, dtype=np.int32)
            found = np.zeros(postings.doc_count, dtype=np.int32)
            numbers, owners = postings.pairs.get(name, (np.zeros(0, np.int64), np.zeros(0, np.int32)))
            found[numbers] = rank_of_value[owners]
            ranks[name] = found
        return ranks

    def warm(self) -> None:
        """Load everything searches share now, before the first request needs it."""
        for name in ("facet_postings", "arrays", "copies", "figure_arrays", "figure_facets", "figure_value_places"):
            getattr(self, name)

    # ------------------------------------------------------------ documents

    def document(self, doc_id: str) -> dict | None:
        """Return a document's stored record, None when unknown."""
        return document_record(self.generation, doc_id)

    def copies_of(self, doc_id: str) -> tuple[str, list[str]]:
        """Return (canonical doc_id, its copies) for a document (itself and [] when it has none)."""
        for canonical, copies in self.duplicates.items():
            if doc_id == canonical or doc_id in copies:
                return canonical, list(copies)
        return doc_id, []


class Index:
    """An index directory; hands out the handle of its current generation."""

    def __init__(self, index_dir: Path, *, cache_items: int = MATCH_CACHE_ITEMS):
        self.index_dir = Path(index_dir)
        self._cache_items = cache_items
        self._lock = threading.Lock()
        self._handle: IndexHandle | None = None

    def handle(self) -> IndexHandle:
        """Return the handle of the generation in use now (a new one after a build swapped generations)."""
        generation = current_generation(self.index_dir)
        if generation is None:
            raise IndexMissing(f"no index in {self.index_dir} / 索引不存在，请先运行 build")
        handle = self._handle
        if handle is None or handle.generation != generation:
            with self._lock:
                handle = self._handle
                if handle is None or handle.generation != generation:
                    handle = self._handle = IndexHandle.open(generation, cache_items=self._cache_items)
        return handle

    def close(self) -> None:
        """Close the current handle's searchers."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
