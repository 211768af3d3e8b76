"""Pure URL helpers: the search state lives in the query string, so every page can be bookmarked."""

from __future__ import annotations

from urllib.parse import urlencode

from indexer.query.filters import PASSAGE_FILTERS

# Parameters that describe a search, in the order they are written back.
# ``without``: synonyms and expansions the user removed from the query.
STATE_PARAMS = ("q", *PASSAGE_FILTERS, "sort", "per_page", "without", "page")


def state_pairs(args, names: tuple[str, ...] = STATE_PARAMS) -> list[tuple[str, str]]:
    """Return the (name, value) pairs of the state in args (a MultiDict or a dict of lists), in names' order."""
    pairs = []
    for name in names:
        values = args.getlist(name) if hasattr(args, "getlist") else args.get(name, [])
        if isinstance(values, str):
            values = [values]
        pairs.extend((name, value) for value in values if value != "")
    return pairs


def filter_pairs(filters: dict, parameters: dict[str, str]) -> list[tuple[str, str]]:
    """Return (parameter, value) pairs of filters keyed by index field (``parameters``: parameter → field)."""
    parameter_of = {field: parameter for parameter, field in parameters.items()}
    return [(parameter_of[field], value) for field, values in filters.items() for value in values]


def build_url(path: str, pairs: list[tuple[str, str]]) -> str:
    """Return path with the pairs as its query string."""
    return f"{path}?{urlencode(pairs)}" if pairs else path


def toggle(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """Add name=value if absent, remove it if present; go back to page 1."""
    rest = [(key, val) for key, val in pairs if key != "page"]
    if (name, value) in rest:
        return [pair for pair in rest if pair != (name, value)]
    return [*rest, (name, value)]


def replace(pairs: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    """Set name to one value (or remove it with None), keeping everything else."""
    rest = [(key, val) for key, val in pairs if key != name]
    return rest if value is None else [*rest, (name, value)]


def without(pairs: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    """Remove every value of the given names."""
    return [(key, val) for key, val in pairs if key not in names]
