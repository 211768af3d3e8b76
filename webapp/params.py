"""Read and validate request parameters; every message is Chinese / English."""

from __future__ import annotations

from indexer.query.filters import MAX_PAGE, MAX_PER_PAGE, PASSAGE_FILTERS
from indexer.query.parse import QueryError

SORTS = ("relevance", "date")
_MAX_VALUES = 20


def integer(args, name: str, *, default: int, low: int, high: int) -> int:
    """Return an integer parameter clamped to [low, high]; QueryError when it is not a number."""
    raw = args.get(name, "")
    if raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise QueryError(f"参数 {name} 应为整数：{raw[:20]!r} / parameter {name} must be an integer") from None
    return min(max(value, low), high)


def search_params(args, *, sorts: tuple[str, ...] = SORTS) -> dict:
    """Return the keyword arguments of search_passages from query-string arguments (filters keyed by field);
    ``sorts``: the sorts the page offers (the first is the default)."""
    query = args.get("q", "")
    filters = {}
    for param, field_name in PASSAGE_FILTERS.items():
        values = [value for value in args.getlist(param) if value.strip()]
        if len(values) > _MAX_VALUES:
            raise QueryError(f"参数 {param} 的取值过多（最多 {_MAX_VALUES} 个）/ too many values for {param}")
        if values:
            filters[field_name] = values
    sort = args.get("sort", sorts[0]) or sorts[0]
    if sort not in sorts:
        names = "、".join(sorts)
        raise QueryError(f"排序方式应为 {names} / sort must be one of {', '.join(sorts)}")
    without = [value.strip() for value in args.getlist("without") if value.strip()]
    if len(without) > _MAX_VALUES:
        raise QueryError(f"参数 without 的取值过多（最多 {_MAX_VALUES} 个）/ too many values for without")
    return {
        "query": query,
        "filters": filters,
        "without": tuple(dict.fromkeys(without)),
        "page": integer(args, "page", default=1, low=1, high=MAX_PAGE),
        "per_page": integer(args, "per_page", default=10, low=1, high=MAX_PER_PAGE),
        "sort": sort,
    }
