"""Write Whoosh segments straight from passages: the fast path of the build.

Whoosh's own writer sends every posting through a tuple in an external sort
(pickled to temporary runs once it holds 256 MB), then looks every posting's
field length up again from the column it has just written. Here document
numbers only grow, so each term's postings arrive already in order: they are
kept per term in lists as documents are added, and written once, term by term,
a block at a time, through the codec's own field and per-document writers. Readers see
ordinary Whoosh segments (the tests compare both writers posting by posting).

Positions-only text fields whose analyzer is one of ours (``analysis._SpanTokenizer``) are
tokenised straight from their spans, without Whoosh's token objects; every
other field goes through ``field.index`` exactly as Whoosh does it. The span
fields named in ``array_fields`` are also written as flat arrays beside the
segment (``postarrays``), for the fast matcher.
"""

from __future__ import annotations

import functools
from array import array
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer import postarrays
from indexer.analysis import _SpanTokenizer


def _quantised(length: int) -> int:
    """Return a field length as Whoosh reads it back (one byte, lossy): what its writer records."""
    return byte_to_length(length_to_byte(length))


def _span_field(field) -> bool:
    return isinstance(field.analyzer, _SpanTokenizer) and type(field.format) is Positions


class SegmentBuilder:
    """Collect documents of one new segment in memory; ``finish()`` writes it and returns the segment.

    The segment is not part of the index until a writer commits a table of contents naming it
    (see ``build._commit``).
    """

    def __init__(
        self, storage, indexname: str, schema, codec: W3Codec | None = None, array_fields: tuple[str, ...] = ()
    ):
        self.storage = storage
        self.schema = schema
        self.codec = codec or W3Codec()
        self.segment = self.codec.new_segment(storage, indexname)
        self._perdoc = self.codec.per_document_writer(storage, self.segment)
        # field name → term → (document numbers, weights, encoded values); in span fields
        # (document numbers, frequencies, positions), all array("I"), encoded when written. Terms
        # are str in span fields (encoded once, when written) and bytes elsewhere.
        self._postings: dict[str, dict[str | bytes, tuple]] = {}
        # field name → document number → field length (as Whoosh records it)
        self._lengths: dict[str, array] = {}
        self._span_fields = {name for name, field in schema.items() if field.indexed and _span_field(field)}
        unknown = set(array_fields) - self._span_fields
        if unknown:
            raise ValueError(f"array fields must be positional span fields: {sorted(unknown)}")
        self._array_fields = tuple(array_fields)
        self.doc_count = 0
        self.posting_count = 0

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
                terms = self._postings.setdefault(name, {})
                if name in self._span_fields:
                    length = self._add_spans(terms, field, value, docnum)
                else:
                    length = self._add_items(terms, field, value, docnum)
                lengths = self._lengths.setdefault(name, array("I"))
                lengths.extend([0] * (docnum + 1 - len(lengths)))
                lengths[docnum] = _quantised(length) if length else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.doc_count += 1

    def _add_spans(self, terms: dict, field, value: str, docnum: int) -> int:
        """Add a span field's postings (what ``Positions.word_values`` yields); return its length."""
        seen: dict[str, list[int]] = {}
        get = seen.get
        count = 0
        for text, position, _, _ in field.analyzer.spans(value):
            found = get(text)
            if found is None:
                seen[text] = [position]
            else:
                found.append(position)
            count += 1
        for text, found in seen.items():
            entry = terms.get(text)
            if entry is None:
                entry = terms[text] = (array("I"), array("I"), array("I"))
            entry[0].append(docnum)
            entry[1].append(len(found))
            entry[2].extend(found)
        self.posting_count += len(seen)
        return count if field.scorable else 0

    def _add_items(self, terms: dict, field, value, docnum: int) -> int:
        """Add any other field's postings through ``field.index``; return its length."""
        length = 0
        for term, freq, weight, vbytes in field.index(value):
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = ([], [], [])
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(vbytes if vbytes is not None else emptybytes)
            length += freq
            self.posting_count += 1
        return length if field.scorable else 0

    def finish(self):
        """Write the postings and per-document files; return the Whoosh segment (not yet committed)."""
        self._perdoc.close()
        if self._array_fields:
            arrays = {
                name: postarrays.field_arrays(self._postings.get(name, {}), self._lengths.get(name, ()), self.doc_count)
                for name in self._array_fields
            }
            path = Path(self.storage.folder) / postarrays.file_name(self.segment)
            postarrays.write(path, self.doc_count, arrays)
        writer = self.codec.field_writer(self.storage, self.segment)
        try:
            for name in sorted(self._postings):
                field = self.schema[name]
                writer.start_field(name, field)
                terms = self._postings[name]
                lengths = self._lengths[name]
                spans = name in self._span_fields
                boost = field.format.field_boost if spans else 1.0
                # str terms sort as their UTF-8 bytes do (code point order).
                for term in sorted(terms):
                    docnums, weights, values = terms[term]
                    writer.start_term(term.encode("utf-8") if isinstance(term, str) else term)
                    if spans:  # already array("I"); positions encoded as Whoosh stores them
                        values = _encode_positions(weights, values)
                    else:
                        docnums = array("I", docnums)
                    weights = array("f", weights if boost == 1.0 else [weight * boost for weight in weights])
                    _fill_blocks(writer._postwriter, docnums, weights, values, lengths)
                    writer.finish_term()
                writer.finish_field()
        finally:
            writer.close()
        self._postings.clear()
        self.segment.set_doc_count(self.doc_count)
        return self.segment


def _fill_blocks(postings, docnums: array, weights: array, values: list, lengths: array) -> None:
    """Hand a term's postings to Whoosh's postings writer a block at a time.

    Sets the block buffer and statistics exactly as ``W3PostingsWriter.add_posting`` would one posting at a
    time (values and lengths only when non-empty); Whoosh encodes every block, the last one when the term
    is finished.
    """
    limit = postings._blocklimit
    for begin in range(0, len(docnums), limit):
        if begin:
            postings._write_block()
        end = begin + limit
        block_weights = weights[begin:end]
        block_lengths = [lengths[docnum] for docnum in docnums[begin:end] if lengths[docnum]]
        postings._ids = docnums[begin:end]
        postings._weights = block_weights
        postings._values = [value for value in values[begin:end] if value]
        postings._maxweight = max(0, max(block_weights))
        postings._minlength = min(block_lengths) if block_lengths else None
        postings._maxlength = max(block_lengths) if block_lengths else 0


_POSITIONS = Positions()


def _encode_positions(tfs: array, positions: array) -> list[bytes]:
    """Return each posting's positions as ``Positions`` encodes them."""
    values = []
    start = 0
    for tf in tfs:
        if tf == 1:
            values.append(_encode_position(positions[start]))
        else:
            values.append(_POSITIONS.encode(positions[start : start + tf]))
        start += tf
    return values


@functools.lru_cache(maxsize=65536)
def _encode_position(position: int) -> bytes:
    """Positions.encode of one position (most postings), encoded once and shared."""
    return _POSITIONS.encode([position])
