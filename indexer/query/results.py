"""What a search returns: passages (``Hit``) in a ``SearchResult`` with facet counts, and how to cite one.

Parts: ``Hit`` / ``SearchResult`` / ``FacetValue`` (frozen; ``as_dict`` gives the JSON of
``/api/search``), ``hit_from_stored`` (a passage's stored fields → ``Hit``), ``group_by_document``
(each document's best passages stand together), ``facet_list`` (counts in display order), ``cite``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PASSAGES_PER_DOCUMENT = 3  # a document's best passages shown together; the rest are counted


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
    matched: tuple[str, ...] = ()  # the query's concepts this passage holds
    article: str = ""  # a law's article: 《中华人民共和国劳动合同法》第八十二条

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
            "matched": list(self.matched),
            "article": self.article,
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
    understood: dict = field(default_factory=dict)  # how the query was read (understand.Understanding)
    unmatched: tuple[str, ...] = ()  # concepts no passage holds
    suggestions: tuple[tuple[str, int], ...] = ()  # nearby searches that find passages, with their totals

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
            "understood": self.understood,
            "unmatched": list(self.unmatched),
            "suggestions": [{"query": query, "total": total} for query, total in self.suggestions],
            "filters": {name: list(values) for name, values in self.filters.items()},
            "seconds": round(self.seconds, 4),
            "results": [hit.as_dict() for hit in self.hits],
            "facets": {
                name: [{"value": value.value, "count": value.count} for value in values]
                for name, values in self.facets.items()
            },
        }


def facet_list(name: str, counted: list[tuple[str, int]]) -> list[FacetValue]:
    values = [FacetValue(value, count) for value, count in counted if value]
    if name == "year":
        return sorted(values, key=lambda item: item.value, reverse=True)
    return sorted(values, key=lambda item: (-item.count, item.value))


def group_by_document(
    ranked: list[tuple[int, float]], doc_ids, *, per_document: int = PASSAGES_PER_DOCUMENT, laws=None, per_law: int = 0
):
    """Order ranked (docnum, score) so each document's best passages stand together, best document first.

    ``laws``: a mask of passages that are law articles, of which up to ``per_law`` per law stand together
    (several articles of one law are the answer together).
    """
    groups: dict[str, list[tuple[int, float]]] = {}
    for docnum, score in ranked:
        members = groups.setdefault(doc_ids[docnum], [])
        limit = per_law if laws is not None and per_law and laws[docnum] else per_document
        if len(members) < limit:
            members.append((docnum, score))
    return [member for members in groups.values() for member in members]


_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百千零〇\d]+条(?:之[一二三四五六七八九十]+)?)")


def article_label(title: str, section: str, text: str) -> str:
    """Return 《law》第X条 for a passage that is an article of a law or regulation ("" otherwise)."""
    found = _ARTICLE.match(text) or _ARTICLE.match(section.rsplit("›", 1)[-1])
    return f"《{title}》{found.group(1)}" if found and title else ""


def hit_from_stored(
    stored: dict, *, score, snippet_html: str, doc_hits: int = 1, matched: tuple[str, ...] = (), law: bool = False
) -> Hit:
    """Return a Hit from a passage's stored fields (``law``: its document is a law or regulation)."""
    text = stored.get("text", "")
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
        text=text,
        snippet=snippet_html,
        score=float(score) if isinstance(score, int | float) else 0.0,
        section=stored.get("section", ""),
        date=stored.get("date", ""),
        ordinal=int(stored.get("ordinal", 0)),
        doc_hits=doc_hits,
        issuer=stored.get("issuer", ""),
        matched=matched,
        article=article_label(stored.get("title", ""), stored.get("section", ""), text) if law else "",
    )


def cite(title: str, issuer: str, date: str, text: str) -> str:
    """Return a citation line: 《title》（issuer，date）：text."""
    source = "，".join(part for part in (issuer, str(date or "")) if part) or "日期不详"
    return f"《{title}》（{source}）：{text}"
