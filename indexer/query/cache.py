"""Scored matches of recent queries, per index generation, bounded by the passages they hold."""

from __future__ import annotations

import threading
from collections import OrderedDict

MATCH_CACHE_ITEMS = 2_000_000  # scored passages kept for repeated queries (12 bytes each)


class MatchCache:
    """Scored matches of recent queries in one index generation, least recently used dropped first.

    Scoring every match is the cost of a search; filters, sorting, paging and the facet counts are
    applied to the scored list afterwards, so clicking a facet value, turning a page, changing the
    sort or exporting the same query reuses it. Bounded by the passages held, not by the queries.
    """

    def __init__(self, max_items: int = MATCH_CACHE_ITEMS):
        self.max_items = max_items
        self._entries: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self._items = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str):
        """Return what was kept for a query (its scored matches), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return entry[0]

    def put(self, key: str, matches, *, size: int) -> None:
        """Keep a query's scored matches, ``size`` passages of them (not when they alone exceed the bound)."""
        if size > self.max_items:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._items -= previous[1]
            self._entries[key] = (matches, size)
            self._items += size
            while self._items > self.max_items:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._items -= dropped
