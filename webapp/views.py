"""HTTP routes: the search page, the document page, exports, help, and ``GET /api/search`` (JSON)."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, jsonify, render_template, request, url_for

from indexer.query.filters import PASSAGE_FILTERS
from indexer.query.highlight import highlight, match_spans
from indexer.query.parse import parse_query
from indexer.query.passages import related_passages, search_passages
from indexer.query.results import cite
from webapp import export, presenters, urls
from webapp.handles import handle
from webapp.params import SORTS, search_params

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def passage_url(hit, query: str) -> str:
    """Return the link to a passage inside its document page, with the query to highlight."""
    base = url_for("document_page", doc_id=hit.doc_id)
    query_part = f"q={quote(query)}&" if query else ""
    return f"{base}?{query_part}p={hit.ordinal}#p-{hit.ordinal}"


def api_search():
    """Return one page of passages with facets as JSON."""
    result = search_passages(handle(), **search_params(request.args))
    return jsonify(result.as_dict())


def index_page():
    """Render the search form, facets and grouped results."""
    params = search_params(request.args)
    pairs = urls.state_pairs(request.args)
    hidden_pairs = urls.filter_pairs(params["filters"], PASSAGE_FILTERS)
    context = {
        "params": params,
        "result": None,
        "pairs": pairs,
        "hidden_pairs": hidden_pairs,
        "places_url": urls.build_url("/places", urls.without(pairs, "page", "sort", "per_page")),
    }
    if params["query"].strip() or params["filters"]:
        result = search_passages(handle(), **params)
        context.update(
            result=result,
            understood=presenters.understood(result, pairs),
            facets=presenters.facet_boxes(result, pairs),
            chips=presenters.chips(result, pairs),
            pages=presenters.pages(result, pairs),
            bars=presenters.year_bars(result, pairs),
            sort_urls={
                sort: urls.build_url("/", urls.replace(urls.without(pairs, "page"), "sort", sort)) for sort in SORTS
            },
            clear_url=urls.build_url("/", [pair for pair in pairs if pair[0] in ("q", "sort")]),
            export_pairs=urls.without(pairs, "page", "per_page"),
            link=lambda hit: passage_url(hit, params["query"]),
        )
    return render_template("search.html", **context)


def document_page(doc_id: str):
    """Render one document: metadata, whole text with hits highlighted, related passages of other documents."""
    index = handle()
    record = index.document(doc_id)
    if record is None:
        abort(404)
    query = request.args.get("q", "")[:500]
    needles = []
    if query.strip():
        needles = [needle for concept in parse_query(query).concepts for needle in concept.needles()]
    text = record["text"]
    passages = []
    for span in record["passage_spans"]:
        passage_text = text[span["start"] : span["start"] + span["length"]]
        parts = [(part, match_spans(part, needles) if needles else []) for part in passage_text.split("\n")]
        passages.append(
            {
                "ordinal": span["ordinal"],
                "section": span["section"],
                "paragraphs": [highlight(part, spans) for part, spans in parts],
                "hit": any(spans for _, spans in parts),
                "cite": cite(
                    record["title"], record.get("issuer", ""), record.get("date") or record.get("year"), passage_text
                ),
            }
        )
    first_hit = next((passage for passage in passages if passage["hit"]), None)
    target = request.args.get("p", type=int)
    anchor_text = ""
    for span in record["passage_spans"]:
        if span["ordinal"] == (target if target is not None else (first_hit or {}).get("ordinal", 0)):
            anchor_text = text[span["start"] : span["start"] + span["length"]]
    related = related_passages(index, anchor_text or text[:2000], exclude_doc_id=doc_id) if text else []
    canonical, copies = index.copies_of(doc_id)
    same_text = [index.document(other) for other in [canonical, *copies] if other != doc_id]
    return render_template(
        "document.html",
        record=record,
        passages=passages,
        query=query,
        hits=sum(passage["hit"] for passage in passages),
        related=related,
        same_text=[other for other in same_text if other],
        is_copy=canonical != doc_id,
        link=lambda hit: passage_url(hit, query),
    )


def export_results(fmt: str):
    """Return all results (up to 1000 passages) of the current search as CSV or XLSX."""
    params = search_params(request.args)
    if not (params["query"].strip() or params["filters"]):
        abort(400)
    hits = []
    for page in range(1, export.MAX_ROWS // 100 + 1):
        result = search_passages(handle(), **{**params, "page": page, "per_page": 100, "per_document": None})
        hits.extend(result.hits)
        if len(result.hits) < 100:
            break
    link = lambda hit: request.host_url.rstrip("/") + passage_url(hit, params["query"])  # noqa: E731
    return export.download(export.rows(hits[: export.MAX_ROWS], link), fmt, name="search")


def help_page():
    """Render the query syntax help."""
    return render_template("help.html")


def init_app(app) -> None:
    """Register the routes and security headers on the app."""
    app.add_url_rule("/api/search", view_func=api_search, methods=["GET"])
    app.add_url_rule("/", view_func=index_page, methods=["GET"])
    app.add_url_rule("/doc/<doc_id>", view_func=document_page, methods=["GET"])
    app.add_url_rule("/export.csv", view_func=export_results, defaults={"fmt": "csv"}, methods=["GET"])
    app.add_url_rule(
        "/export.xlsx", view_func=export_results, defaults={"fmt": "xlsx"}, methods=["GET"], endpoint="export_xlsx"
    )
    app.add_url_rule("/help", view_func=help_page, methods=["GET"])

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
