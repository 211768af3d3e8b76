"""Write a Whoosh segment straight from field values: the fast path of the build.

Whoosh's own writer sends every posting through a tuple in an external sort and then through its
field writer one at a time. Here documents are numbered as they come, so every posting arrives in
order. ``SegmentBuilder`` writes a segment through the codec's public writers (``ArraysCodec``):

- the array fields (the text channels: ``codec.array_fields``) are most of the work: their tokens are
  collected as three flat arrays (term number, document, position), grouped by term with one numpy
  sort when the segment is written, and handed to the codec's field writer whole (``add_arrays``);
- every other field goes through ``field.index`` and the field writer's ``start_term`` / ``add`` /
  ``finish_term``, as Whoosh's own writer does it;
- stored fields, columns and field lengths through the codec's per-document writer.

Readers see ordinary Whoosh segments of that codec (``tests/test_segments.py`` compares both writers
posting by posting).
"""

from __future__ import annotations

from array import array

import numpy as np
from whoosh.formats import Positions
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.store import postarrays
from indexer.store.codec import ArraysCodec
from indexer.text.analysis import SpanTokenizer

# Values whose ``field.index`` result is kept per segment: hashable, and equal only when indexed alike
# (not floats: 0.0 == -0.0).
_CACHED_VALUES = (str, int)


def _quantised(length: int) -> int:
    """Return a field length as Whoosh reads it back (one byte, lossy): what its writer records."""
    return byte_to_length(length_to_byte(length))


def _span_field(field) -> bool:
    return isinstance(field.analyzer, SpanTokenizer) and type(field.format) is Positions


class SegmentBuilder:
    """Collect documents of one new segment in memory; ``finish()`` writes it and returns the segment.

    The segment is not part of the index until a writer commits a table of contents naming it
    (see ``build``).
    """

    def __init__(self, storage, indexname: str, schema, codec: ArraysCodec):
        self.storage = storage
        self.schema = schema
        self.codec = codec
        self.segment = codec.new_segment(storage, indexname)
        self._perdoc = codec.per_document_writer(storage, self.segment)
        # field name → term (bytes) → (document numbers, weights, encoded values), other fields
        self._postings: dict[str, dict[bytes, tuple]] = {}
        # field name → every token of an array field as added, grouped by term when written
        self._tokens: dict[str, _Tokens] = {}
        # field name → document number → field length (as Whoosh records it)
        self._lengths: dict[str, array] = {}
        # (field name, type, value) → what ``field.index`` gives for it: a document's place, date and source
        # repeat on each of its passages and figures (the analyzers of these fields hold no state).
        self._indexed: dict[tuple, tuple[list, int]] = {}
        self._array_fields = tuple(codec.array_fields)
        wrong = [name for name in self._array_fields if not _span_field(schema[name])]
        if wrong:
            raise ValueError(f"array fields must be positional fields with our analyzers: {wrong}")
        self.doc_count = 0
        self.posting_count = 0  # tokens of array fields, postings of the others: what memory grows with

    def add_document(self, fields: dict) -> None:
        """Add one document (field name → value), like ``IndexWriter.add_document``."""
        docnum = self.doc_count
        schema = self.schema
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None or name.startswith("_"):
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                if name in self._array_fields:
                    length = self._add_tokens(name, field, value, docnum)
                else:
                    length = self._add_items(self._postings.setdefault(name, {}), field, name, value, docnum)
                lengths = self._lengths.setdefault(name, array("I"))
                lengths.extend([0] * (docnum + 1 - len(lengths)))
                lengths[docnum] = _quantised(length) if length else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.doc_count += 1

    def _add_tokens(self, name: str, field, value: str, docnum: int) -> int:
        """Add an array field's tokens (what ``Positions.word_values`` would post); return its length."""
        tokens = self._tokens.get(name)
        if tokens is None:
            tokens = self._tokens[name] = _Tokens()
        terms, positions = field.analyzer.terms(value)
        tokens.add(terms, positions, docnum)
        self.posting_count += len(terms)
        return len(terms) if field.scorable else 0

    def _add_items(self, terms: dict, field, name: str, value, docnum: int) -> int:
        """Add any other field's postings through ``field.index``; return its length."""
        key = (name, type(value), value) if isinstance(value, _CACHED_VALUES) else None
        indexed = self._indexed.get(key) if key else None
        if indexed is None:
            items = list(field.index(value))
            postings = [
                (term, weight, vbytes if vbytes is not None else emptybytes) for term, _, weight, vbytes in items
            ]
            indexed = (postings, sum(freq for _, freq, _, _ in items) if field.scorable else 0)
            if key:
                self._indexed[key] = indexed
        postings, length = indexed
        for term, weight, vbytes in postings:
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = ([], [], [])
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(vbytes)
        self.posting_count += len(postings)
        return length

    def finish(self):
        """Write the postings and per-document files; return the Whoosh segment (not yet committed)."""
        self._perdoc.close()
        self.segment.set_doc_count(self.doc_count)
        writer = self.codec.field_writer(self.storage, self.segment)
        try:
            for name in self._array_fields:
                tokens = self._tokens.pop(name, None)
                lengths = self._lengths.get(name, array("I"))
                if tokens is None:
                    writer.add_arrays(name, postarrays.field_arrays({}, lengths, self.doc_count))
                else:
                    writer.add_arrays(name, tokens.grouped().arrays(lengths, self.doc_count))
            for name in sorted(self._postings):
                self._write_field(writer, name)
        finally:
            writer.close()
        self._postings.clear()
        self._indexed.clear()
        return self.segment

    def _write_field(self, writer, name: str) -> None:
        """Write one other field's terms through the field writer, term by term, posting by posting."""
        lengths = self._lengths[name]
        writer.start_field(name, self.schema[name])
        terms = self._postings[name]
        add = writer.add
        for term in sorted(terms):
            docnums, weights, values = terms[term]
            writer.start_term(term)
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                add(docnum, weight, value, lengths[docnum] or None)
            writer.finish_term()
        writer.finish_field()


class _Vocabulary(dict):
    """Term → its number, numbered in order of first use as terms are looked up (a known term costs one C call)."""

    __slots__ = ()

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


class _Tokens:
    """An array field's tokens in one segment, in the order they were added (documents ascending)."""

    __slots__ = ("vocabulary", "numbers", "docnums", "positions")

    def __init__(self):
        self.vocabulary = _Vocabulary()  # term → its number, in order of first use
        self.numbers = array("I")
        self.docnums = array("I")
        self.positions = array("I")

    def add(self, terms: list[str], positions: list[int] | None, docnum: int) -> None:
        """Add one document's tokens (positions None: 0, 1, 2, …)."""
        self.numbers.extend(map(self.vocabulary.__getitem__, terms))
        self.docnums.extend(array("I", (docnum,)) * len(terms))
        self.positions.extend(range(len(terms)) if positions is None else positions)

    def grouped(self) -> postarrays.Grouped:
        """Return the postings, grouped by term with numpy."""

        def view(values: array) -> np.ndarray:
            return np.frombuffer(values, dtype=postarrays.UINT) if len(values) else np.zeros(0, dtype=postarrays.UINT)

        return postarrays.Grouped(list(self.vocabulary), view(self.numbers), view(self.docnums), view(self.positions))
