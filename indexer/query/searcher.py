"""Search an index directory from a script, the command line or a test.

Each call runs on the index generation current when it starts (``Index.handle``). The web app holds
one handle per request instead, so a page's searches, document and related passages are of one
generation.
"""

from __future__ import annotations

from pathlib import Path

from indexer.query.cache import MATCH_CACHE_ITEMS
from indexer.query.figure_search import FigureResult, search_figures
from indexer.query.index import Index, IndexHandle
from indexer.query.passages import related_passages, search_passages
from indexer.query.results import Hit, SearchResult


class Searcher:
    """Passages, figures, documents and related passages of an index directory."""

    def __init__(self, index_dir: Path, *, cache_items: int = MATCH_CACHE_ITEMS):
        self.index = Index(index_dir, cache_items=cache_items)

    def handle(self) -> IndexHandle:
        """Return the handle of the current generation."""
        return self.index.handle()

    @property
    def generation(self) -> Path:
        """Return the folder of the current generation."""
        return self.handle().generation

    def search(self, query: str, **options) -> SearchResult:
        """Return one page of passages (``search_passages``'s options)."""
        return search_passages(self.handle(), query, **options)

    def figures(self, query: str, **options) -> FigureResult:
        """Return one page of figures (``search_figures``'s options)."""
        return search_figures(self.handle(), query, **options)

    def related(self, text: str, *, exclude_doc_id: str, limit: int = 5) -> list[Hit]:
        """Return passages of other documents most like text, one per document."""
        return related_passages(self.handle(), text, exclude_doc_id=exclude_doc_id, limit=limit)

    def document(self, doc_id: str) -> dict | None:
        """Return a document's stored record, None when unknown."""
        return self.handle().document(doc_id)

    def close(self) -> None:
        """Release the index's files."""
        self.index.close()
