"""Search core (no Flask): query parsing, filters, facets, relaxation, snippets, paging.

Parts:

* ``parse_query`` — user text → ``ParsedQuery``: quoted phrases, ``-词``
  exclusions, ``OR`` groups, ``标题:`` field, words after normalisation, with
  question words and fillers dropped and synonyms attached (lower weight).
* ``concept_query`` — one word → the word channel (jieba term) OR the bigram
  channel (phrase of character pairs), over text and heading.
* ``Searcher.search`` — AND of the concepts; when nothing has every word, the
  largest set of words that still matches is kept and the rest reported as
  dropped; facet counts over all matches; highlighted snippets for the page shown.
* ``highlight`` / ``snippet`` — ``<mark>`` around matches, HTML-escaped, cut at
  sentence ends, found by plain substring search on the passage's search form
  (aligned with the display text), so nothing is re-segmented at query time.
"""

from __future__ import annotations

import contextlib
import functools
import html
import itertools
import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as Q

from indexer.query import facets as facet_sets
from indexer.query import fastmatch
from indexer.query.phrase import ContiguousPhrase
from indexer.store.generations import current_generation, read_manifest
from indexer.store.schema import FACETS, FIGURE_FACETS, FIGURES_INDEX, SCHEMA_VERSION
from indexer.text import analysis, lexicon, places
from indexer.text.normalise import NUMBER_WITH_MEASURE, normalise_query, numeral_variants, search_form

MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
MAX_PAGE = 1000
_MAX_CONCEPTS = 12
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_TOKEN = re.compile(r'(-?)(?:([^\s:："]+)[:：])?("[^"]*"?|[^\s"]+)')
_TITLE_FIELDS = {"标题", "title", "题目"}
_TEXT_FIELDS = {"正文", "text", "内容"}
SYNONYM_BOOST = 0.5
PHRASE_BOOST = 3.0
PASSAGES_PER_DOCUMENT = 3  # a document's best passages shown together; the rest are counted
GROUP_WINDOW_FACTOR = 3
MAX_GROUP_WINDOW = 2000
_MAX_RELAX_CHECKS = 16  # subsets tried when relaxing a query nothing matches whole
MATCH_CACHE_ITEMS = 2_000_000  # scored passages kept for repeated queries (12 bytes each)


class QueryError(ValueError):
    """A query or parameter that cannot be searched; the message is for the user (Chinese / English)."""


@dataclass(frozen=True)
class Concept:
    """One thing the user asked for: a word or phrase, its synonyms, where to look."""

    text: str  # search form
    exact: bool = False  # quoted: match as written
    synonyms: tuple[str, ...] = ()  # other words for it: searched with a lower weight
    variants: tuple[str, ...] = ()  # the same words written otherwise (两公里 / 2公里): full weight
    title_only: bool = False
    alternatives: tuple[Concept, ...] = ()  # an OR group
    optional: bool = False  # a single character cut from a longer term (稳 of 稳就业): ranks, never filters

    def needles(self) -> list[str]:
        """Return the strings to highlight for this concept."""
        found = [self.text, *self.variants, *self.synonyms]
        for alternative in self.alternatives:
            found.extend(alternative.needles())
        return [needle for needle in found if needle]

    def label(self) -> str:
        """Return how the concept is shown in ``parsed``."""
        if self.alternatives:
            return " OR ".join(alternative.label() for alternative in self.alternatives)
        label = f'"{self.text}"' if self.exact else self.text
        if self.optional:
            label = f"({label})"
        if self.title_only:
            label = f"标题:{label}"
        if self.variants or self.synonyms:
            label += "(" + "|".join((*self.variants, *self.synonyms)) + ")"
        return label


@dataclass(frozen=True)
class ParsedQuery:
    """A query after parsing: required concepts, exclusions and whole-term phrases for proximity."""

    concepts: tuple[Concept, ...]
    excluded: tuple[Concept, ...] = ()
    phrases: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # question words and fillers


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count."""

    value: str
    count: int


@dataclass(frozen=True)
class Hit:
    """One passage in a result list."""

    id: str
    doc_id: str
    title: str
    source: str
    year: str
    province: str
    city: str
    doc_type: str
    topics: tuple[str, ...]
    text: str
    snippet: str
    score: float
    section: str = ""
    date: str = ""
    ordinal: int = 0
    doc_hits: int = 1  # matching passages in this passage's document (命中 N 处)
    issuer: str = ""

    def citation(self) -> str:
        """Return how staff cite the passage: title, issuer, date, text."""
        return cite(self.title, self.issuer, self.date or self.year, self.text)

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/search results."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "year": int(self.year) if self.year.isdigit() else None,
            "province": self.province,
            "city": self.city,
            "doc_type": self.doc_type,
            "topics": list(self.topics),
            "section": self.section,
            "date": self.date,
            "issuer": self.issuer,
            "doc_hits": self.doc_hits,
            "text": self.text,
            "snippet": self.snippet,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class SearchResult:
    """A page of passages with facet counts and what was searched."""

    query: str
    total: int
    page: int
    per_page: int
    hits: tuple[Hit, ...]
    facets: dict[str, list[FacetValue]]
    parsed: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    seconds: float = 0.0
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    documents: int = 0  # matching documents (passages are grouped by document)

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/search."""
        return {
            "query": self.query,
            "total": self.total,
            "documents": self.documents,
            "page": self.page,
            "per_page": self.per_page,
            "parsed": list(self.parsed),
            "dropped": list(self.dropped),
            "filters": {name: list(values) for name, values in self.filters.items()},
            "seconds": round(self.seconds, 4),
            "results": [hit.as_dict() for hit in self.hits],
            "facets": {
                name: [{"value": value.value, "count": value.count} for value in values]
                for name, values in self.facets.items()
            },
        }


# ---------------------------------------------------------------- parsing


def _protected_spans(term: str) -> list[re.Match]:
    """Return the parts of a term kept whole: synonym keys, then numbers with their measure word."""
    found: list[re.Match] = []
    keys = _synonym_pattern()
    for pattern in (keys, NUMBER_WITH_MEASURE):
        for match in pattern.finditer(term) if pattern else ():
            if all(match.end() <= other.start() or match.start() >= other.end() for other in found):
                found.append(match)
    return sorted(found, key=lambda match: match.start())


def _segment_term(term: str) -> list[str]:
    """Split a query term into words: synonym keys and numbers with units kept whole, the rest cut by jieba."""
    words: list[str] = []
    position = 0
    for match in _protected_spans(term):
        if match.start() > position:
            words.extend(analysis.words(term[position : match.start()]))
        words.append(match.group())
        position = match.end()
    if position < len(term):
        words.extend(analysis.words(term[position:]))
    return words


_synonym_cache: dict[str, re.Pattern | None] = {}


def _synonym_pattern() -> re.Pattern | None:
    if "pattern" not in _synonym_cache:
        keys = sorted((search_form(key) for key in lexicon.synonyms() if len(key) >= 2), key=len, reverse=True)
        _synonym_cache["pattern"] = re.compile("|".join(map(re.escape, keys))) if keys else None
    return _synonym_cache["pattern"]


def _synonyms_of(word: str) -> tuple[str, ...]:
    table = _synonym_table()
    return tuple(alternative for alternative in table.get(word, ()) if alternative != word)


_synonym_table_cache: dict[str, dict[str, tuple[str, ...]]] = {}


def _synonym_table() -> dict[str, tuple[str, ...]]:
    if "table" not in _synonym_table_cache:
        _synonym_table_cache["table"] = {
            search_form(key): tuple(search_form(value) for value in values)
            for key, values in lexicon.synonyms().items()
        }
    return _synonym_table_cache["table"]


def _term_concepts(raw: str, *, title_only: bool) -> tuple[list[Concept], list[str], str]:
    """Return (concepts, ignored words, whole term) for one unquoted term."""
    term = normalise_query(raw)
    words = _segment_term(term)
    stops = lexicon.stop_words()
    content = [word for word in words if word not in stops]
    ignored = [word for word in words if word in stops]
    if not content:
        content, ignored = words, []
    unique = list(dict.fromkeys(content))
    concepts = [
        Concept(
            word,
            synonyms=_synonyms_of(word),
            variants=tuple(dict.fromkeys([*numeral_variants(word), *places.place_name_variants(word)])),
            title_only=title_only,
            # One Chinese character cut from a longer term is a weak, costly filter (every bigram
            # it starts); the whole term as written still ranks first through the proximity phrase.
            optional=len(unique) > 1 and len(word) == 1 and not word.isascii(),
        )
        for word in unique
    ]
    return concepts, ignored, term


def parse_query(text: str) -> ParsedQuery:
    """Parse what a user typed into concepts, exclusions and proximity phrases."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"查询太长（最多 {MAX_QUERY_CHARS} 个字符）/ query too long (at most {MAX_QUERY_CHARS} characters)"
        )
    text = text.translate(_QUOTES)
    groups: list[list[Concept]] = []
    excluded: list[Concept] = []
    phrases: list[str] = []
    ignored: list[str] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        negative, field_name, body = match.groups()
        if body == "OR" and not negative and not field_name:
            join_next = bool(groups)
            continue
        title_only = (field_name or "").lower() in _TITLE_FIELDS
        if field_name and not title_only and field_name.lower() not in _TEXT_FIELDS:
            body = f"{field_name}:{body}"  # not a field we know: search the text as typed
        if body.startswith('"'):
            phrase = normalise_query(body.strip('"'))
            found = [Concept(phrase, exact=True, title_only=title_only)] if phrase else []
            whole = ""
        else:
            found, dropped_words, whole = _term_concepts(body, title_only=title_only)
            ignored.extend(dropped_words)
        if not found:
            continue
        if negative:
            excluded.extend(found)
            continue
        if len(found) > 1 and whole:
            phrases.append(whole)
        if join_next and groups:
            previous = groups.pop()
            groups.append([Concept(previous[-1].text, alternatives=(*_flatten(previous), *found))])
        else:
            groups.extend([concept] for concept in found)
        join_next = False
    concepts = tuple(group[0] for group in groups)[:_MAX_CONCEPTS]
    return ParsedQuery(concepts, tuple(excluded), tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(ignored)))


def _flatten(group: list[Concept]) -> list[Concept]:
    flat = []
    for concept in group:
        flat.extend(concept.alternatives or (concept,))
    return flat


# ---------------------------------------------------------------- query objects


@dataclass(frozen=True)
class Channels:
    """The fields a concept is matched in: word and bigram channels, all and title-only."""

    words: tuple[str, ...]
    grams: tuple[str, ...]
    title_words: tuple[str, ...]
    title_grams: tuple[str, ...]


PASSAGE_CHANNELS = Channels(("text", "head"), ("grams", "head_grams"), ("head",), ("head_grams",))
# Figures: indicator (both channels) and where the figure comes from (title, place, year);
# the indicator counts as the "title" (标题:建会率 searches indicators only).
FIGURE_CHANNELS = Channels(("indicator", "context"), ("indicator_grams",), ("indicator",), ("indicator_grams",))


def _channel_query(text: str, *, title_only: bool, boost: float, channels: Channels = PASSAGE_CHANNELS) -> Q.Query:
    """Match one word or phrase in the word channel or the bigram channel."""
    word_fields = channels.title_words if title_only else channels.words
    gram_fields = channels.title_grams if title_only else channels.grams
    parts: list[Q.Query] = []
    tokens = analysis.words(text)
    for name in word_fields:
        if len(tokens) == 1:
            parts.append(Q.Term(name, tokens[0], boost=2.0 * boost))
        elif tokens:
            parts.append(ContiguousPhrase(name, tokens, boost=2.0 * boost))
    grams = analysis.bigrams(text)
    for name in gram_fields:
        if len(grams) == 1 and len(grams[0]) == 1:
            parts.append(Q.Or([Q.Term(name, grams[0], boost=boost), Q.Prefix(name, grams[0], boost=boost)]))
        elif grams:
            parts.append(ContiguousPhrase(name, grams, boost=boost))
    return Q.Or(parts) if parts else Q.NullQuery


def concept_query(concept: Concept, channels: Channels = PASSAGE_CHANNELS) -> Q.Query:
    """Return the Whoosh query of one concept (its synonyms with a lower weight)."""
    if concept.alternatives:
        return Q.Or([concept_query(alternative, channels) for alternative in concept.alternatives])
    parts = [
        _channel_query(text, title_only=concept.title_only, boost=1.0, channels=channels)
        for text in (concept.text, *concept.variants)
    ]
    for synonym in concept.synonyms:
        parts.append(_channel_query(synonym, title_only=concept.title_only, boost=SYNONYM_BOOST, channels=channels))
    return Q.Or(parts) if len(parts) > 1 else parts[0]


def _proximity_query(parsed: ParsedQuery) -> Q.Query | None:
    """Reward passages holding a whole multi-word term as written."""
    parts = [
        ContiguousPhrase("grams", analysis.bigrams(phrase), boost=PHRASE_BOOST)
        for phrase in parsed.phrases
        if len(analysis.bigrams(phrase)) > 1
    ]
    return Q.Or(parts) if parts else None


# ---------------------------------------------------------------- highlighting


_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")


def match_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of every needle in text's search form."""
    form = search_form(text)
    spans = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = form.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = form.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: list[tuple[int, int]], *, start: int = 0, end: int | None = None) -> str:
    """Return text[start:end] HTML-escaped with <mark> around the spans."""
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(html.escape(text[position:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def snippet(text: str, needles: list[str], *, max_chars: int = 160) -> str:
    """Return an escaped, highlighted excerpt cut at sentence ends around the best matches."""
    spans = match_spans(text, needles)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
    if not sentences:
        return ""
    form = search_form(text)

    def distinct(begin: int, finish: int) -> int:
        return len({form[s:e] for s, e in spans if s >= begin and e <= finish})

    best = max(range(len(sentences)), key=lambda index: (distinct(*sentences[index]), -index))
    begin, finish = sentences[best]
    index = best
    while index + 1 < len(sentences) and sentences[index + 1][1] - begin <= max_chars:
        index += 1
        finish = sentences[index][1]
    if finish - begin > max_chars * 1.5:
        first = next((s for s, e in spans if s >= begin), begin)
        begin = max(begin, first - 40)
        finish = min(finish, begin + max_chars)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if finish < len(text) else ""
    return prefix + highlight(text, spans, start=begin, end=finish).strip() + suffix


# ---------------------------------------------------------------- searching


def _facet_list(name: str, counted: list[tuple[str, int]]) -> list[FacetValue]:
    values = [FacetValue(value, count) for value, count in counted if value]
    if name == "year":
        return sorted(values, key=lambda item: item.value, reverse=True)
    return sorted(values, key=lambda item: (-item.count, item.value))


def group_by_document(ranked: list[tuple[int, float]], doc_ids, *, per_document: int = PASSAGES_PER_DOCUMENT):
    """Order ranked (docnum, score) so each document's best passages stand together, best document first."""
    groups: dict[str, list[tuple[int, float]]] = {}
    for docnum, score in ranked:
        members = groups.setdefault(doc_ids[docnum], [])
        if len(members) < per_document:
            members.append((docnum, score))
    return [member for members in groups.values() for member in members]


def normalise_filters(
    filters: dict[str, list[str] | tuple[str, ...]], allowed: tuple[str, ...] = FACETS
) -> dict[str, tuple[str, ...]]:
    """Return filters with everyday place names expanded (济宁 → 济宁市, 山东 → 山东省)."""
    clean: dict[str, tuple[str, ...]] = {}
    for name, values in filters.items():
        if name not in allowed:
            raise QueryError(f"未知的筛选条件 {name} / unknown filter {name}")
        found = []
        for value in values:
            value = value.strip()
            if not value:
                continue
            if name == "city":
                value = places.normalise_place(value).city or value
            elif name == "province":
                place = places.normalise_place(value)
                value = place.province or value
            elif name == "year" and not re.fullmatch(r"\d{4}", value):
                raise QueryError(f"年份应为四位数字：{value} / year must be four digits: {value}")
            found.append(value)
        if found:
            clean[name] = tuple(dict.fromkeys(found))
    return clean


def filter_query(filters: dict[str, tuple[str, ...]]) -> Q.Query | None:
    parts = [Q.Or([Q.Term(name, value) for value in values]) for name, values in filters.items()]
    return Q.And(parts) if parts else None


def _hit(stored: dict, *, score, snippet_html: str, doc_hits: int = 1) -> Hit:
    """Return a Hit from a passage's stored fields."""
    return Hit(
        id=stored["id"],
        doc_id=stored["doc_id"],
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        year=stored.get("year", ""),
        province=stored.get("province", ""),
        city=stored.get("city", ""),
        doc_type=stored.get("doc_type", ""),
        topics=tuple(topic for topic in stored.get("topic", "").split(",") if topic),
        text=stored.get("text", ""),
        snippet=snippet_html,
        score=float(score) if isinstance(score, int | float) else 0.0,
        section=stored.get("section", ""),
        date=stored.get("date", ""),
        ordinal=int(stored.get("ordinal", 0)),
        doc_hits=doc_hits,
        issuer=stored.get("issuer", ""),
    )


def cite(title: str, issuer: str, date: str, text: str) -> str:
    """Return a citation line: 《title》（issuer，date）：text."""
    source = "，".join(part for part in (issuer, str(date or "")) if part) or "日期不详"
    return f"《{title}》（{source}）：{text}"


_DOC_ID = re.compile(r"[0-9a-f]{16}")
RELATED_TERMS = 12


def _read_duplicates(generation: Path) -> dict[str, list[str]]:
    path = generation / "duplicates.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("groups", {})


def document_record(generation: Path, doc_id: str) -> dict | None:
    """Return the stored record (metadata, text, passage spans) of a document, None for an unknown id."""
    if not _DOC_ID.fullmatch(doc_id or ""):
        return None  # only our own ids, never a path
    path = generation / "docs" / f"{doc_id}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


class MatchCache:
    """Scored matches of recent queries in one index generation, least recently used dropped first.

    Scoring every match is the cost of a search; filters, sorting, paging and the facet counts are
    applied to the scored list afterwards, so clicking a facet value, turning a page, changing the
    sort or exporting the same query reuses it. Bounded by the passages held, not by the queries.
    """

    def __init__(self, max_items: int = MATCH_CACHE_ITEMS):
        self.max_items = max_items
        self._entries: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._items = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Return (scores, passage numbers) of a query, best first, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return entry[0], entry[1].astype(np.int64)

    def put(self, key: str, matches: tuple[np.ndarray, np.ndarray]) -> None:
        """Keep a query's scored matches (not when they alone exceed the bound)."""
        if len(matches[0]) > self.max_items:
            return
        entry = (matches[0], matches[1].astype(np.uint32))
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._items -= len(previous[0])
            self._entries[key] = entry
            self._items += len(entry[0])
            while self._items > self.max_items:
                _, dropped = self._entries.popitem(last=False)
                self._items -= len(dropped[0])


def _one_generation(method):
    """Run a ``Searcher`` method on one index generation throughout (``Searcher.one_generation``)."""

    @functools.wraps(method)
    def pinned(self, *args, **kwargs):
        with self.one_generation():
            return method(self, *args, **kwargs)

    return pinned


class Searcher:
    """Searches the current generation of an index directory; reopens when a new one is swapped in."""

    def __init__(self, index_dir: Path, *, cache_items: int = MATCH_CACHE_ITEMS):
        self.index_dir = Path(index_dir)
        self._cache_items = cache_items
        self._lock = threading.RLock()  # re-entered: copy_docnums loads the facet postings
        self._generation: Path | None = None
        self._index = None
        self._duplicates: dict[str, list[str]] = {}
        # Per generation, each kept as (generation, value): see _once.
        self._postings: tuple | None = None
        self._arrays: tuple | None = None
        self._copy_docnums: tuple | None = None
        self._figure_tools: tuple | None = None
        self._figure_values: tuple | None = None
        self._figure_ranks: tuple | None = None
        self.matches = MatchCache(cache_items)
        self._local = threading.local()
        self._opened: list = []  # every Whoosh searcher opened, so close() can release their files

    def _current_index(self):
        generation = current_generation(self.index_dir)
        if generation is None:
            raise FileNotFoundError(f"no index in {self.index_dir} / 索引不存在，请先运行 build")
        if generation != self._generation:
            with self._lock:
                if generation != self._generation:
                    if read_manifest(generation).get("schema_version") != SCHEMA_VERSION:
                        raise FileNotFoundError(
                            f"index in {self.index_dir} has an old schema; rebuild it / 索引版本过旧，请重新构建"
                        )
                    self._index = whoosh_index.open_dir(str(generation))
                    self._duplicates = _read_duplicates(generation)
                    self._postings = None
                    self._arrays = None
                    self._copy_docnums = None
                    self._figure_tools = None
                    self._figure_values = None
                    self._figure_ranks = None
                    self.matches = MatchCache(self._cache_items)
                    self._generation = generation
        return self._index, self._generation

    def searcher(self):
        """Return a Whoosh searcher for this thread, reopened when the index generation changed.

        Inside a search (``_one_generation``) it stays the searcher the search started with.
        """
        if getattr(self._local, "pinned", False):
            return self._local.cached[1]
        ix, generation = self._current_index()
        cached = getattr(self._local, "cached", None)
        if cached is None or cached[0] != generation:
            if cached is not None:
                self._release(cached[1])
            cached = (generation, self._register(ix.searcher()))
            self._local.cached = cached
        return cached[1]

    @contextlib.contextmanager
    def one_generation(self):
        """Keep this thread on the generation it is on now until the block ends.

        Searchers, postings arrays, facet postings and copies then all belong to that generation; a
        build swapping in a new one meanwhile is seen after the block.
        """
        local = self._local
        if getattr(local, "pinned", False):
            yield
            return
        self.searcher()
        local.pinned = True
        try:
            yield
        finally:
            local.pinned = False

    def _register(self, whoosh_searcher):
        with self._lock:
            self._opened.append(whoosh_searcher)
        return whoosh_searcher

    def _release(self, whoosh_searcher) -> None:
        with self._lock:
            if whoosh_searcher in self._opened:
                self._opened.remove(whoosh_searcher)
        whoosh_searcher.close()

    def close(self) -> None:
        """Close every Whoosh searcher this object opened (their index files are released)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for whoosh_searcher in opened:
            with contextlib.suppress(Exception):  # a searcher its thread already closed
                whoosh_searcher.close()

    def __del__(self):
        self.close()

    def _once(self, name: str, load, *, figures: bool = False):
        """Return a value kept per generation in attribute ``name``, loaded once from this thread's searcher.

        Kept with the generation it was loaded from: a thread still on the previous generation while
        another moves to a new one never gets (or leaves behind) the other generation's value.
        ``figures``: loaded from this thread's searcher of the figures index.
        """
        searcher = self.figure_searcher() if figures else self.searcher()
        generation = (self._local.figures if figures else self._local.cached)[0]
        found = getattr(self, name)
        if found is None or found[0] != generation:
            with self._lock:
                found = getattr(self, name)
                if found is None or found[0] != generation:
                    found = (generation, load(searcher, generation))
                    if generation == self._generation:
                        setattr(self, name, found)
        return found[1]

    def facet_postings(self) -> facet_sets.FacetPostings:
        """Return the facet postings of the current generation (read once per generation)."""
        return self._once("_postings", lambda searcher, _: facet_sets.load(searcher.reader(), FACETS))

    def arrays(self) -> fastmatch.Arrays:
        """Return the postings arrays of the current generation (opened once per generation)."""
        return self._once("_arrays", lambda searcher, generation: fastmatch.Arrays(generation, searcher.reader()))

    def warm(self) -> None:
        """Load what searches of the current generation share (facets, arrays, copies, figures, values) now."""
        with self.one_generation():
            self.facet_postings()
            self.arrays()
            self.copy_docnums()
            self.figure_tools()
            self.figure_value_places()

    def figure_tools(self) -> tuple[fastmatch.Arrays, facet_sets.FacetPostings]:
        """Return the figures index's postings arrays and facet postings (read once per generation)."""

        def load(figures, generation):
            reader = figures.reader()
            return fastmatch.Arrays(generation, reader), facet_sets.load(reader, FIGURE_FACETS, documents=False)

        return self._once("_figure_tools", load, figures=True)

    def figure_value_places(self) -> tuple[np.ndarray, int]:
        """Return each figure's place among the index's distinct values (ascending), and how many there are.

        Read once per generation from the value field's terms, as Whoosh's sort by value reads them (its
        ``PostingCategorizer``; a figure without a value gets one past the end).
        """

        def load(figures, _):
            reader = figures.reader()
            places = np.full(reader.doc_count_all(), reader.doc_count_all() + 1, dtype=np.int64)
            count = 0
            for count, term in enumerate(figures.schema["value"].sortable_terms(reader, "value"), start=1):
                places[np.fromiter(reader.postings("value", term).all_ids(), dtype=np.int64)] = count - 1
            return places, count

        return self._once("_figure_values", load, figures=True)

    def figure_ranks(self) -> dict[str, np.ndarray]:
        """Return, per place field (year, province, city), each figure's rank by its value in byte order
        (0: no value, lowest): the year and place sorts' keys, computed once per generation."""

        def load(figures, _):
            _, postings = self.figure_tools()
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

        return self._once("_figure_ranks", load, figures=True)

    def scored(self, whoosh_query: Q.Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, passage numbers) of every match of a query, best first (Whoosh's order).

        Scored over the postings arrays with numpy (``fastmatch``); Whoosh's own matchers score what
        that does not handle.
        """
        searcher = self.searcher()
        try:
            return fastmatch.FastMatcher(self.arrays(), searcher).scored(whoosh_query)
        except fastmatch.Unsupported:
            top = searcher.search(whoosh_query, limit=None, terms=False).top_n
            return (
                np.array([score for score, _ in top], dtype=np.float64),
                np.array([number for _, number in top], dtype=np.int64),
            )

    def copy_docnums(self) -> np.ndarray:
        """Return the mask of passages of duplicate copies (never shown)."""

        def load(searcher, generation) -> np.ndarray:
            postings = self.facet_postings()
            return postings.passages_of({copy for group in _read_duplicates(generation).values() for copy in group})

        return self._once("_copy_docnums", load)

    def figure_searcher(self):
        """Return a Whoosh searcher over the figures index of the current generation (this thread's own)."""
        if getattr(self._local, "pinned", False):
            generation = self._local.cached[0]
        else:
            _, generation = self._current_index()
        cached = getattr(self._local, "figures", None)
        if cached is None or cached[0] != generation:
            if cached is not None:
                self._release(cached[1])
            figures_index = whoosh_index.open_dir(str(generation), indexname=FIGURES_INDEX)
            cached = (generation, self._register(figures_index.searcher()))
            self._local.figures = cached
        return cached[1]

    @property
    def generation(self) -> Path | None:
        """Return the folder of the generation last opened."""
        return self._generation

    @_one_generation
    def search(
        self,
        query: str,
        *,
        filters: dict[str, list[str] | tuple[str, ...]] | None = None,
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        per_document: int | None = PASSAGES_PER_DOCUMENT,
    ) -> SearchResult:
        """Return one page of passages for a query with filters and facet counts.

        Passages are grouped by document, at most ``per_document`` each (None: all of them).
        """
        started = time.perf_counter()
        page = min(max(1, page), MAX_PAGE)
        per_page = min(max(1, per_page), MAX_PER_PAGE)
        clean_filters = normalise_filters(filters or {})
        parsed = parse_query(query)
        searcher = self.searcher()
        postings = self.facet_postings()
        allowed = facet_sets.allowed(postings, clean_filters)
        required = [concept for concept in parsed.concepts if not concept.optional]
        soft = [concept for concept in parsed.concepts if concept.optional]
        if not required:
            required, soft = soft, []
        kept, dropped = required, []
        browsing = not parsed.concepts and bool(clean_filters)
        if browsing:
            sort = "date"  # filters alone: list what they select, newest first
        copies = self.copy_docnums()
        matches = self.matches

        def run(whoosh_query) -> tuple[np.ndarray, np.ndarray]:
            """Score every match once: (scores, passage numbers), best first, copies left out."""
            if browsing:
                numbers = np.flatnonzero(postings.live & ~copies)
                return np.zeros(numbers.size), numbers
            key = repr(whoosh_query)
            scored = matches.get(key)
            if scored is None:
                scored = self.scored(whoosh_query)
                matches.put(key, scored)
            scores, numbers = scored
            keep = ~copies[numbers]
            return scores[keep], numbers[keep]

        # Optional single characters add nothing to the query itself: the proximity phrase of their
        # term ranks 稳就业 as written first, and expanding 稳* over the bigram channel is costly.
        nothing = (np.zeros(0), np.zeros(0, dtype=np.int64))
        scores, numbers = run(self._compose(parsed, kept, [])) if parsed.concepts or browsing else nothing
        unfiltered = postings.mask(numbers)
        selected = unfiltered if allowed is None else unfiltered & allowed
        if not selected.any() and len(required) > 1 and (allowed is None or (allowed & ~copies).any()):
            # Nothing has every word: keep the largest set of words that still matches.
            kept, dropped = self._relax(parsed, clean_filters, allowed, required)
            if dropped:
                scores, numbers = run(self._compose(parsed, kept, dropped))
                unfiltered = postings.mask(numbers)
                selected = unfiltered if allowed is None else unfiltered & allowed
        keep = selected[numbers]
        scores, numbers = scores[keep], numbers[keep]
        if sort == "date":
            # Latest first, then best score; ties keep their order.
            order = np.lexsort((np.arange(numbers.size), -scores, -postings.date_rank[numbers]))
            scores, numbers = scores[order], numbers[order]
        window = min(max(page * per_page * GROUP_WINDOW_FACTOR, 200), MAX_GROUP_WINDOW)
        ordered = group_by_document(
            list(zip(numbers[:window].tolist(), scores[:window].tolist(), strict=True)),
            postings.doc_ids,
            per_document=per_document or window,
        )
        doc_hits = facet_sets.per_document(postings, selected)
        needles = [needle for concept in parsed.concepts for needle in concept.needles()]
        hits = []
        for docnum, score in ordered[(page - 1) * per_page : page * per_page]:
            stored = searcher.stored_fields(docnum)
            text = stored.get("text", "")
            hits.append(
                _hit(
                    stored,
                    score=score,
                    snippet_html=snippet(text, needles) if needles else html.escape(text[:160]),
                    doc_hits=max(1, int(doc_hits[postings.document_of[docnum]])),
                )
            )
        facet_counts = {}
        for name in FACETS:
            # Disjunctive facets: a facet with a selected value counts as if its own filter were off,
            # so its other values keep their counts and can be added (OR within a facet).
            base = selected
            if name in clean_filters:
                others = facet_sets.allowed(postings, clean_filters, skip=name)
                base = unfiltered if others is None else unfiltered & others
            facet_counts[name] = _facet_list(name, facet_sets.counts(postings, name, base))
        return SearchResult(
            query=query,
            total=int(np.count_nonzero(selected)),
            documents=int(np.count_nonzero(doc_hits)),
            page=page,
            per_page=per_page,
            hits=tuple(hits),
            facets=facet_counts,
            parsed=tuple(concept.label() for concept in kept + soft) + tuple(f"-{c.label()}" for c in parsed.excluded),
            dropped=tuple(concept.label() for concept in dropped) + parsed.ignored,
            seconds=time.perf_counter() - started,
            filters=clean_filters,
        )

    def _any(self, query: Q.Query, filters: dict, allowed: np.ndarray | None) -> bool:
        """Return whether a passage the filters allow, not of a duplicate copy, matches the query."""
        searcher = self.searcher()
        try:
            _, numbers = fastmatch.FastMatcher(self.arrays(), searcher).scored(query)
        except fastmatch.Unsupported:
            pass
        else:
            shown = ~self.copy_docnums()[numbers]
            if allowed is not None:
                shown &= allowed[numbers]
            return bool(shown.any())
        restrict = filter_query(filters)
        results = searcher.search(query, filter=restrict, mask=self.copies_mask(), limit=1, terms=False)
        return not results.is_empty()

    def copies_mask(self) -> Q.Query | None:
        """Return a query for the passages of duplicate copies, which results never show."""
        copies = [copy for group in self._duplicates.values() for copy in group]
        return Q.Or([Q.Term("doc_id", doc_id) for doc_id in copies]) if copies else None

    def copies_of(self, doc_id: str) -> tuple[str, list[str]]:
        """Return (canonical doc_id, its copies) for a document (itself and [] when it has none)."""
        for canonical, copies in self._duplicates.items():
            if doc_id == canonical or doc_id in copies:
                return canonical, list(copies)
        return doc_id, []

    def _relax(
        self, parsed: ParsedQuery, filters: dict, allowed: np.ndarray | None, concepts: list[Concept]
    ) -> tuple[list[Concept], list[Concept]]:
        """Return (kept, dropped) concepts for a query nothing matches whole: the best matching subset."""
        concepts = list(concepts)
        queries = {concept: concept_query(concept) for concept in concepts}
        excluded = self._excluded_query(parsed)

        def matches(subset) -> bool:
            query = Q.And([queries[concept] for concept in subset])
            if excluded is not None:
                query = Q.AndNot(query, excluded)
            return self._any(query, filters, allowed)

        alive = [concept for concept in concepts if matches([concept])]
        if not alive:
            return concepts, []
        checks = 0
        for size in range(len(alive), 0, -1):
            best = None
            # Heaviest subsets first (longer words carry more meaning), so the first match of a size wins.
            subsets = sorted(itertools.combinations(alive, size), key=lambda subset: -sum(len(c.text) for c in subset))
            for subset in subsets:
                if checks >= _MAX_RELAX_CHECKS:
                    break
                checks += 1
                if matches(subset):
                    best = (0, subset)
                    break
            if best:
                kept = list(best[1])
                return kept, [concept for concept in concepts if concept not in kept]
        return concepts, []

    @staticmethod
    def _excluded_query(parsed: ParsedQuery) -> Q.Query | None:
        if not parsed.excluded:
            return None
        return Q.Or([concept_query(concept) for concept in parsed.excluded])

    def _compose(self, parsed: ParsedQuery, kept: list[Concept], dropped: list[Concept]) -> Q.Query:
        if not kept:
            return Q.NullQuery
        required = Q.And([concept_query(concept) for concept in kept]) if len(kept) > 1 else concept_query(kept[0])
        optional = [concept_query(concept) for concept in dropped]
        proximity = _proximity_query(parsed)
        if proximity is not None:
            optional.append(proximity)
        query = Q.AndMaybe(required, Q.Or(optional)) if optional else required
        excluded = self._excluded_query(parsed)
        if excluded is not None:
            query = Q.AndNot(query, excluded)
        return query

    def document(self, doc_id: str) -> dict | None:
        """Return a document's stored record from the current generation, None when unknown."""
        _, generation = self._current_index()
        return document_record(generation, doc_id)

    @_one_generation
    def related(self, text: str, *, exclude_doc_id: str, limit: int = 5) -> list[Hit]:
        """Return passages of other documents most like text (more-like-this), one per document."""
        searcher = self.searcher()
        try:
            key_terms = fastmatch.FastMatcher(self.arrays(), searcher).key_terms("text", text, RELATED_TERMS)
        except fastmatch.Unsupported:
            key_terms = searcher.key_terms_from_text("text", text, numterms=RELATED_TERMS)
        terms = [term for term, _ in key_terms if len(term) > 1]
        if not terms:
            return []
        postings = self.facet_postings()
        scores, numbers = self.scored(Q.Or([Q.Term("text", term) for term in terms]))
        keep = ~(self.copy_docnums() | postings.passages_of({exclude_doc_id}))[numbers]
        scores, numbers = scores[keep], numbers[keep]
        hits, seen = [], set()
        for score, number in zip(scores[: limit * 10].tolist(), numbers[: limit * 10].tolist(), strict=True):
            if postings.doc_ids[number] in seen:
                continue
            stored = searcher.stored_fields(number)
            seen.add(stored["doc_id"])
            hits.append(_hit(stored, score=score, snippet_html=snippet(stored.get("text", ""), terms)))
            if len(hits) >= limit:
                break
        return hits
