"""Commit new segments into an index, merging the small ones: the last step of a build, in the parent process.

Each update adds a small segment; once there are ``MERGE_SMALL_AT`` segments of fewer than
``SMALL_SEGMENT_DOCS`` documents, they are merged into one. Whoosh's ``MERGE_SMALL`` compares the
running total of documents with a Fibonacci number of the segment count, which at twenty-odd big
segments merges nearly all of them (a million passages through Whoosh's writer); ours never touches a
big segment.

A merge goes through Whoosh's writer (``add_reader``: stored fields, columns, lengths and the postings
of the other fields), except the array fields' postings, which are merged with numpy
(``postarrays.merge``) and handed to the codec's field writer whole: through Whoosh's posting pool they
would cost minutes.
"""

from __future__ import annotations

import numpy as np
from whoosh.reading import SegmentReader

from indexer.store import postarrays
from indexer.store.codec import open_arrays

SMALL_SEGMENT_DOCS = 2_000
MERGE_SMALL_AT = 8


class _WithoutArrayPostings:
    """A segment reader as ``IndexWriter.add_reader`` reads it, less the array fields' postings."""

    def __init__(self, reader, array_fields: tuple[str, ...]):
        self._reader = reader
        self._array_fields = frozenset(array_fields)

    def __getattr__(self, name):
        return getattr(self._reader, name)

    def iter_postings(self):
        """Yield (field, term, document, weight, value) of every posting of the other fields."""
        reader = self._reader
        for fieldname in sorted(set(reader.indexed_field_names()) - self._array_fields):
            for btext in reader.lexicon(fieldname):
                matcher = reader.postings(fieldname, btext)
                while matcher.is_active():
                    yield (fieldname, btext, matcher.id(), matcher.weight(), matcher.value())
                    matcher.next()


def merge_small(writer, segments: list) -> list:
    """Merge the small segments into the writer once there are several; return the segments kept as they are."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) < MERGE_SMALL_AT:
        return list(segments)
    array_fields = writer.codec.array_fields
    sources = []
    for segment in small:
        deleted = np.array(sorted(segment.deleted_docs()) if segment.has_deletions() else [], dtype=np.int64)
        sources.append((open_arrays(writer.storage, segment), deleted))
    doc_count, arrays = postarrays.merge(sources, array_fields)
    for name, field_arrays in arrays.items():
        writer.fieldwriter.add_arrays(name, field_arrays)
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(_WithoutArrayPostings(reader, array_fields))
        reader.close()
    if writer.doc_count() != doc_count:
        raise RuntimeError(f"merged segment has {writer.doc_count()} documents, its arrays {doc_count}")
    return [segment for segment in segments if segment not in small]


def commit(writer, new_segments: list) -> None:
    """Commit a writer's deletions with the new segments added (small old segments merged)."""
    writer.commit(mergetype=lambda writer, segments: merge_small(writer, segments) + list(new_segments))
