"""Near-duplicate documents: the same report saved twice, or taken from two sources.

Parts: ``sketch`` (a bottom-k sample of the hashes of a document's sentences, letters and digits
only, so line wrapping, spacing and punctuation do not matter) and ``group`` (documents whose
sketches agree enough are one document: the best ranked is canonical, the others are its copies).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict

from indexer.text.normalise import search_form
from indexer.text.sentences import sentences

SKETCH_SIZE = 256
MIN_SENTENCE_CHARS = 8
SIMILARITY = 0.6  # estimated Jaccard of the sentence sets
CONTAINMENT = 0.7  # for short documents (whole sentence sets): share of the smaller one found in the other
SIZE_RATIO = 0.5  # a short notice quoted inside a long report is not a copy of it
_NOT_CONTENT = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def sketch(text: str, *, size: int = SKETCH_SIZE) -> list[int]:
    """Return the smallest ``size`` hashes of the document's normalised sentences, sorted."""
    hashes = set()
    for sentence in sentences(search_form(text)):
        core = _NOT_CONTENT.sub("", sentence)
        if len(core) >= MIN_SENTENCE_CHARS:
            hashes.add(zlib.crc32(core.encode("utf-8")))
    return sorted(hashes)[:size]


def similarity(first: list[int], second: list[int], *, size: int = SKETCH_SIZE) -> float:
    """Estimate the Jaccard similarity of two documents from their bottom-k sketches."""
    if not first or not second:
        return 0.0
    union_bottom = sorted(set(first) | set(second))[:size]
    both = set(first) & set(second)
    return sum(1 for value in union_bottom if value in both) / len(union_bottom)


def near_duplicates(first: list[int], second: list[int], *, size: int = SKETCH_SIZE) -> bool:
    """Return whether two sketches belong to the same document saved twice."""
    if not first or not second:
        return False
    smaller, larger = sorted((len(first), len(second)))
    if len(first) < size and len(second) < size:
        # Both sketches are whole sentence sets: compare them exactly.
        overlap = len(set(first) & set(second))
        return smaller / larger >= SIZE_RATIO and overlap / smaller >= CONTAINMENT
    return similarity(first, second, size=size) >= SIMILARITY


def group(sketches: dict[str, list[int]], ranks: dict[str, object]) -> dict[str, list[str]]:
    """Return canonical doc_id → its copies, for every group of near-duplicate documents.

    ``ranks`` orders the members of a group: the highest is canonical (ties: the first id).
    """
    owners: dict[int, list[str]] = defaultdict(list)
    for doc_id, values in sketches.items():
        for value in values:
            owners[value].append(doc_id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for doc_ids in owners.values():
        if len(doc_ids) > 50:
            continue  # a boilerplate sentence many documents share says nothing
        for index, first in enumerate(doc_ids):
            for second in doc_ids[index + 1 :]:
                shared[(min(first, second), max(first, second))] += 1
    parent = {doc_id: doc_id for doc_id in sketches}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    for (first, second), count in shared.items():
        if count < 8:
            continue
        first_root, second_root = root(first), root(second)
        # Already one group through other members: no comparison needed (many copies of one
        # document would otherwise compare every pair).
        if first_root != second_root and near_duplicates(sketches[first], sketches[second]):
            parent[first_root] = second_root
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id in sketches:
        members[root(doc_id)].append(doc_id)
    groups = {}
    for doc_ids in members.values():
        if len(doc_ids) > 1:
            canonical = max(sorted(doc_ids), key=lambda doc_id: ranks.get(doc_id, 0))
            groups[canonical] = sorted(doc_id for doc_id in doc_ids if doc_id != canonical)
    return groups
