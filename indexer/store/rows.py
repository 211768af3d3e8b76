"""What a document puts into the index: one row of field values per passage and per figure, and its record.

Parts: ``passage_fields`` (the passage index: text channels, heading channel, facets, stored fields),
``figure_fields`` (the figures index: indicator channels, where the figure comes from, its value),
``document_record`` (the JSON kept per document for the document page: metadata, text, passage spans).
"""

from __future__ import annotations

from indexer.ingest.documents import Document
from indexer.ingest.figures import document_figures


def _document_fields(document: Document) -> dict:
    """Return the fields every passage and every figure of a document carries."""
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "title": document.title,
        "date": document.date or "",
        "year": str(document.year) if document.year else "",
        "province": document.province,
        "city": document.city,
    }


def passage_fields(document: Document) -> list[dict]:
    """Return the Whoosh field values of each passage of a document."""
    rows = []
    common = _document_fields(document)
    for passage in document.passages:
        # The heading channel: title, section path and place on every passage (三明 政府工作报告);
        # the header lines (occasion, byline: 在三明市…大会上) only on the first, as they are long.
        header = document.header if passage.ordinal == 0 else ()
        head = "\n".join(
            part for part in (document.title, *header, passage.section, document.province, document.city) if part
        )
        rows.append(
            {
                **common,
                "id": passage.id,
                "ordinal": passage.ordinal,
                "issuer": document.issuer,
                "section": passage.section,
                "doc_type": document.doc_type,
                "topic": ",".join(passage.topics),
                "topic_evidence": list(passage.topic_evidence),
                "start": passage.start,
                "text": passage.text,
                "grams": passage.text,
                "head": head,
                "head_grams": head,
            }
        )
    return rows


def figure_fields(document: Document) -> list[dict]:
    """Return the Whoosh field values of each figure of a document's passages."""
    rows = []
    common = _document_fields(document)
    context = " ".join(
        part for part in (document.title, document.province, document.city, str(document.year or "")) if part
    )
    for passage, found in zip(document.passages, document_figures(document), strict=True):
        for number, figure in enumerate(found):
            rows.append(
                {
                    **common,
                    "year": str(figure.year) if figure.year else "",
                    "year_from": figure.year_from,
                    "report_year": common["year"],
                    "measure": figure.measure,
                    "id": f"{passage.id}#{number}",
                    "passage_id": passage.id,
                    "ordinal": passage.ordinal,
                    "kind": figure.kind,
                    "unit": figure.unit,
                    "approx": figure.approx,
                    "value": float(figure.value),
                    "indicator": figure.indicator,
                    "indicator_grams": figure.indicator,
                    "context": context,
                    "sentence": figure.sentence,
                    "start": figure.start,
                    "end": figure.end,
                }
            )
    return rows


def document_record(document: Document) -> dict:
    record = document.summary(with_text=True)
    record["header"] = list(document.header)
    record["passage_spans"] = [
        {
            "id": passage.id,
            "ordinal": passage.ordinal,
            "start": passage.start,
            "length": len(passage.text),
            "section": passage.section,
        }
        for passage in document.passages
    ]
    return record
