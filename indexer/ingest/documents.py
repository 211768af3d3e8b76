"""From a file to documents with metadata and passages (read → normalise → structure → metadata).

``load_documents(path, root)`` is the one entry point: it reads the file, splits
a compilation into its articles, and returns one ``Document`` per article, each
with its ``Passage`` list. It needs no index; ``inspect`` and ``build`` share it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.ingest import metadata, structure
from indexer.ingest.read import RawDocument, read_file, source_name
from indexer.text.normalise import normalise_line, normalise_text
from indexer.text.places import Place, normalise_place, with_municipality_city


@dataclass(frozen=True)
class Passage:
    """A retrieval unit with its document's metadata reachable through doc_id."""

    id: str
    doc_id: str
    ordinal: int
    section: str
    text: str
    start: int
    topics: tuple[str, ...] = ()
    topic_evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Document:
    """One article of a file: metadata, normalised text and passages."""

    doc_id: str
    source: str
    article: int
    title: str
    date: str
    year: int | None
    province: str
    city: str
    doc_type: str
    topics: tuple[str, ...]
    header: tuple[str, ...]
    text: str
    passages: tuple[Passage, ...] = field(default=())
    encoding: str = ""
    issuer: str = ""  # 发文机关: 某市人民政府, 中共中央办公厅、国务院办公厅
    doc_number: str = ""  # 文号: 国发〔2015〕33号
    cites: tuple[str, ...] = ()  # the 《titles》 the text cites, first mention first

    def summary(self, *, with_text: bool = False) -> dict:
        """Return the JSON shape printed by ``inspect``."""
        record = {
            "doc_id": self.doc_id,
            "source": self.source,
            "article": self.article,
            "title": self.title,
            "date": self.date,
            "year": self.year,
            "province": self.province,
            "city": self.city,
            "doc_type": self.doc_type,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "cites": list(self.cites),
            "topics": list(self.topics),
            "passages": len(self.passages),
            "encoding": self.encoding,
        }
        if with_text:
            record["text"] = self.text
        return record


def make_doc_id(source: str, article: int) -> str:
    """Return a stable id for the article-th article of a source file."""
    return hashlib.sha1(f"{source}#{article}".encode()).hexdigest()[:16]


def _front_matter_text(raw: RawDocument, *keys: str) -> str:
    for key in keys:
        value = raw.metadata.get(key)
        if isinstance(value, str) and value.strip():
            return normalise_line(value)
    return ""


def _title(marker_title: str, header: structure.Header, raw: RawDocument, fallback: str) -> str:
    given = _front_matter_text(raw, "title", "标题")
    if given:
        return given
    lines = list(header.title_lines)
    if marker_title:
        return marker_title
    if lines:
        return "——".join(lines[:2])
    return _front_matter_text(raw, "html_title") or fallback


def _front_matter_place(raw: RawDocument) -> Place | None:
    for key in ("city", "城市", "place", "地区", "province", "省份"):
        value = raw.metadata.get(key)
        if isinstance(value, str) and value.strip():
            place = normalise_place(normalise_line(value))
            if place.province or place.city:
                return place
    return None


_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·]\s|\d+\.\s)")  # Markdown list items are not title lines
_DATE_KEYS = ("date", "日期", "published", "publish_date", "发布日期", "html_date", "year", "年份")
_ISSUER_KEYS = ("issuer", "发文机关", "发布机关", "authors", "author", "作者")
_NUMBER_KEYS = ("doc_number", "文号", "发文字号")


def _info_lines(raw: RawDocument) -> list[str]:
    """Return the enactment lines a law file gives above its text (LawRefBook's INFO block)."""
    lines = raw.metadata.get("info_lines") or []
    return [normalise_line(line) for line in lines if isinstance(line, str) and line.strip()]


def _date(header: structure.Header, body_lines: list[str], raw: RawDocument, *, title: str, info: list[str]) -> str:
    for key in _DATE_KEYS:
        if key in raw.metadata:
            found = metadata.date_from_value(raw.metadata[key])
            if found:
                return found
    # A law is dated by its latest enactment or amendment line.
    found = metadata.latest_enactment_date(info)
    if found:
        return found
    if raw.format == "html":
        # Menus and archive lists come first on a web page; its own date carries a time of day.
        found = metadata.find_stamp_date("\n".join([*header.title_lines, *header.date_lines, *body_lines]))
        if found:
            return found
    return (
        metadata.find_date(header.date_lines)
        or metadata.find_date(header.bylines)
        or metadata.find_date([header.occasion])
        or metadata.find_date([title])
        or _opening_date(body_lines[:1])
    )


def _opening_date(lines: list[str]) -> str:
    """Return the full date a news body opens with (2018年9月1日，…); a month alone starts a story, not a dateline."""
    found = metadata.find_date(lines) or ""
    return found if len(found) == 10 else ""


def _issuer(raw: RawDocument, header: structure.Header, body_lines: list[str], *, title: str, info: list[str]) -> str:
    for key in _ISSUER_KEYS:
        found = metadata.issuer_from_value(raw.metadata.get(key))
        if found:
            return normalise_line(found)
    return (
        metadata.issuer_from_enactment(info, title=title)
        or metadata.issuer_from_title(title)
        or metadata.issuer_from_head(
            [*header.title_lines, *header.bylines, *header.date_lines],
            occasion=" ".join([header.occasion, *header.date_lines]),
            title=title,
            opening=body_lines[:3],
        )
    )


def _doc_number(raw: RawDocument, opening: list[str], text: str) -> str:
    for key in _NUMBER_KEYS:
        value = raw.metadata.get(key)
        if isinstance(value, str) and value.strip():
            found = metadata.find_doc_number([normalise_line(value)])
            if found:
                return found
    return metadata.find_doc_number(opening, text=text)


def _place(raw: RawDocument, *, issuer: str, strong: list[str], text: str) -> Place:
    return with_municipality_city(_find_place(raw, issuer=issuer, strong=strong, text=text))


def _find_place(raw: RawDocument, *, issuer: str, strong: list[str], text: str) -> Place:
    hinted = _front_matter_place(raw)
    if hinted:
        return hinted
    # Who issued a document says where it is from (中共中央办公厅 → national;
    # 深圳市人民代表大会常务委员会 → 深圳) better than the places it talks about.
    placed = metadata.issuer_place(issuer)
    if placed is not None:
        return placed
    return metadata.find_place(strong=strong, body=text)


def build_document(
    raw: RawDocument, *, source: str, article: int, marker_title: str, lines: list[str], fallback_title: str
) -> Document:
    """Turn one article's normalised lines into a Document with passages."""
    header, body_lines = structure.split_header(lines)
    items = structure.paragraphs(body_lines)
    text = structure.article_text(items)
    title = _title(marker_title, header, raw, fallback_title)
    info = _info_lines(raw)
    head_lines = [
        line
        for line in (title, *header.title_lines[:4], header.occasion, *header.date_lines, *header.bylines)
        if line and not _LIST_ITEM.match(line)
    ]
    date = _date(header, body_lines, raw, title=title, info=info)
    doc_number = _doc_number(raw, [*head_lines, *info, *body_lines[:6]], text)
    year = metadata.document_year(date=date, title=title, head="\n".join(head_lines), text=text, doc_number=doc_number)
    issuer = _issuer(raw, header, body_lines, title=title, info=info)
    place = _place(raw, issuer=issuer, strong=head_lines, text=text)
    doc_type = _front_matter_text(raw, "doc_type", "type", "文种") or metadata.find_doc_type(
        title=title,
        head="\n".join([*header.title_lines, header.occasion, *header.bylines]),
        body_start="\n".join(body_lines[:3]),
    )
    doc_id = make_doc_id(source, article)
    passages = []
    per_passage_topics = []
    for span in structure.passages(items):
        found = metadata.passage_topics(span.text)
        per_passage_topics.append(found)
        passages.append(
            Passage(
                id=f"{doc_id}-{span.ordinal}",
                doc_id=doc_id,
                ordinal=span.ordinal,
                section=span.section,
                text=span.text,
                start=span.start,
                topics=tuple(found),
                topic_evidence=tuple(found.items()),
            )
        )
    header_lines = tuple(
        line for line in (*header.title_lines, header.occasion, *header.date_lines, *header.bylines) if line
    )
    return Document(
        doc_id=doc_id,
        source=source,
        article=article,
        title=title,
        date=date,
        year=year,
        province=place.province,
        city=place.city,
        doc_type=doc_type,
        topics=tuple(metadata.document_topics(per_passage_topics)),
        header=header_lines,
        text=text,
        passages=tuple(passages),
        encoding=raw.encoding,
        issuer=issuer,
        doc_number=doc_number,
        cites=metadata.find_cites(text, own_title=title),
    )


def load_documents(path: Path, root: Path) -> list[Document]:
    """Read one file and return its documents (one per article of a compilation)."""
    raw = read_file(path)
    source = source_name(path, root)
    lines = [line for line in normalise_text(raw.text).split("\n") if line]
    articles = structure.split_articles(lines)
    documents = []
    for number, (marker_title, article_lines) in enumerate(articles):
        document = build_document(
            raw,
            source=source,
            article=number,
            marker_title=marker_title,
            lines=article_lines,
            fallback_title=path.stem,
        )
        if document.passages:
            documents.append(document)
    return documents
