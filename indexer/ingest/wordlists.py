"""Load the ingest layer's word lists, kept as data in ``indexer/data/`` (each file read once per process).

Parts: ``word_list`` (the words of a ``.txt`` list, in file order: one word a line, ``#`` lines
say what the list is for and where it comes from) → ``word_set`` and ``alternation`` (the words
as a regex alternative, in file order, for a list matched inside a pattern); ``word_table`` (a
``.csv`` of two columns with a header: the first column's value → the second's).
"""

from __future__ import annotations

import csv
import functools
import re

from indexer.text.lexicon import DATA_DIR


@functools.cache
def word_list(name: str) -> tuple[str, ...]:
    """Return the words of ``indexer/data/<name>.txt`` in file order (figures/units → figures/units.txt)."""
    text = (DATA_DIR / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


def word_set(name: str) -> frozenset[str]:
    """Return the words of a list as a set."""
    return frozenset(word_list(name))


def alternation(name: str) -> str:
    """Return the words of a list as a regex alternative (市级|省级|…), in file order, special characters escaped."""
    return "|".join(re.escape(word) for word in word_list(name))


@functools.cache
def word_table(name: str) -> dict[str, str]:
    """Return the rows of ``indexer/data/<name>.csv`` as first column → second column."""
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return {row[0].strip(): row[1].strip() for row in rows[1:] if row}
