"""Document metadata: date and year, issuer, province and city, 文号, citations, document type, topics.

Modules:

* ``dates`` — an explicit date line wins; else the latest year the text speaks of as past
  (never a planning horizon such as 到2020年); a law's enactment and amendment lines, a web
  page's dated time stamp and 本条例自…起施行 complete them; a 政府工作报告 is for the year it plans.
* ``places`` — gazetteer mentions weighed by where they stand: title, occasion, byline and
  issuing body (临沂市总工会, 滨州日报) far above passing mentions in the body.
* ``issuers`` — the 发文机关 from front matter, a law's enactment line, the title (…关于…) or
  a report's byline; a central body (``data/central_bodies.txt``) makes a document national.
* ``references`` — the 文号 a document gives itself (normalised to 〔〕) and the 《titles》 it cites.
* ``classify`` — the document type from ``data/doctypes.csv`` and the topics of the taxonomy in
  ``data/topics.csv``, with the phrase that triggered each topic kept as evidence.
"""

from __future__ import annotations

from indexer.ingest.metadata.classify import document_topics, find_doc_type, passage_topics
from indexer.ingest.metadata.dates import (
    date_from_value,
    document_year,
    find_date,
    find_effective_date,
    find_stamp_date,
    guess_year,
    latest_enactment_date,
)
from indexer.ingest.metadata.issuers import (
    is_central_body,
    issuer_from_enactment,
    issuer_from_head,
    issuer_from_title,
    issuer_from_value,
    issuer_place,
)
from indexer.ingest.metadata.places import find_place
from indexer.ingest.metadata.references import find_cites, find_doc_number
from indexer.text.places import Place, place_mentions

__all__ = [
    "Place",
    "date_from_value",
    "document_topics",
    "document_year",
    "find_cites",
    "find_date",
    "find_doc_number",
    "find_doc_type",
    "find_effective_date",
    "find_place",
    "find_stamp_date",
    "guess_year",
    "is_central_body",
    "issuer_from_enactment",
    "issuer_from_head",
    "issuer_from_title",
    "issuer_from_value",
    "issuer_place",
    "latest_enactment_date",
    "passage_topics",
    "place_mentions",
]
