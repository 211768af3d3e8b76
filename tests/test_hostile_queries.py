"""Hostile and random input to the query parser, the search core and every HTTP endpoint: never a 5xx.

The default suite runs a few hundred generated cases; ``make test-slow`` runs at least 10 000.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.query.parse import QueryError, parse_query
from indexer.query.understand import KINDS, MAX_CONCEPTS, understand
from webapp import create_app

FAST = int(os.environ.get("HOSTILE_EXAMPLES", "150"))
SLOW = 10_000
LIMIT_SECONDS = 2.0

SYNTAX = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "(",
        ")",
        "[",
        "]",
        "-",
        "OR",
        "AND",
        "NOT",
        "标题:",
        "title:",
        "x:",
        "*",
        "?",
        ":",
        "：",
        " ",
        "\t",
        "\n",
        "\x00",
        "\x1b",
        "\ud800",
        "%",
        "&",
        "<script>",
        "工会",
        "集体协商",
        "2015",
        "９６．９",
        "勞動",
        "两公里",
        "\u200b",
        "🙂",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(SYNTAX, max_size=25).map("".join),
    st.lists(st.one_of(SYNTAX, st.text(max_size=5)), max_size=40).map(" ".join),
    st.text(min_size=400, max_size=12_000),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=8),
    st.sampled_from(["", "0", "-1", "1e9", "NaN", "inf", "0x10", "  3 ", "１"]),
)
PARAMS = st.fixed_dictionaries(
    {"q": QUERIES},
    optional={
        "page": NUMBERS,
        "per_page": NUMBERS,
        "sort": st.text(max_size=10),
        "year": st.lists(st.text(max_size=6), max_size=3),
        "city": st.lists(st.text(max_size=6), max_size=3),
        "province": st.lists(st.text(max_size=6), max_size=3),
        "topic": st.lists(st.text(max_size=6), max_size=3),
        "type": st.lists(st.text(max_size=6), max_size=3),
        "without": st.lists(st.text(max_size=8), max_size=25),
    },
)
PATHS = st.sampled_from(
    ["/api/search", "/", "/export.csv", "/api/places", "/places", "/api/figures", "/api/figures/pairs", "/compare"]
)


@pytest.fixture(scope="module")
def client(designed_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(designed_index)}).test_client()


def _check_parser(text: str) -> None:
    try:
        parsed = parse_query(text)
    except QueryError as error:
        assert "/" in str(error)  # a message in Chinese and English
        return
    assert all(concept.text or concept.alternatives for concept in parsed.concepts)
    understood = understand(text)  # question words cut, kind read: never a crash either
    assert understood.kind in KINDS and len(understood.concepts) <= MAX_CONCEPTS


def _check_request(client, path: str, params: dict) -> None:
    # Encode as a browser would send bytes; lone surrogates become invalid UTF-8 on the wire.
    query_string = urlencode(params, doseq=True, encoding="utf-8", errors="surrogatepass")
    started = time.perf_counter()
    response = client.get(f"{path}?{query_string}")
    elapsed = time.perf_counter() - started
    assert response.status_code < 500, (path, params, response.status_code)
    assert response.status_code in (200, 400), (path, params, response.status_code)
    assert elapsed < LIMIT_SECONDS, (path, params, elapsed)
    if path == "/api/search":
        body = response.get_json()
        assert ("error" in body) == (response.status_code == 400)
    if path.startswith("/api/"):  # JSON answers never carry markup characters as such (\u003c, \u003e, \u0026)
        assert not {b"<", b">", b"&"} & {bytes([byte]) for byte in response.data}, (path, params)


@settings(max_examples=FAST, deadline=None)
@given(QUERIES)
def test_parser_never_crashes(text):
    _check_parser(text)


@settings(max_examples=FAST, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PATHS, PARAMS)
def test_endpoints_never_answer_5xx(client, path, params):
    _check_request(client, path, params)


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None)
@given(QUERIES)
def test_parser_never_crashes_many(text):
    _check_parser(text)


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PATHS, PARAMS)
def test_endpoints_never_answer_5xx_many(client, path, params):
    _check_request(client, path, params)
