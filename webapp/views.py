"""HTTP routes: ``GET /api/search`` (JSON) and ``GET /`` (a minimal HTML search page)."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request

from webapp.params import search_params

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _searcher():
    return current_app.extensions["searcher"]


def api_search():
    """Return one page of passages with facets as JSON."""
    result = _searcher().search(**search_params(request.args))
    return jsonify(result.as_dict())


def index_page():
    """Render the search form and, when there is a query, the results."""
    params = search_params(request.args)
    result = None
    if params["query"].strip() or params["filters"]:
        result = _searcher().search(**params)
    return render_template("search.html", params=params, result=result)


def help_page():
    """Render the query syntax help."""
    return render_template("help.html")


def init_app(app) -> None:
    """Register the routes and security headers on the app."""
    app.add_url_rule("/api/search", view_func=api_search, methods=["GET"])
    app.add_url_rule("/", view_func=index_page, methods=["GET"])
    app.add_url_rule("/help", view_func=help_page, methods=["GET"])

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
