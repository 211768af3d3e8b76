"""Write Whoosh segments straight from passages: the fast path of the build.

Whoosh's own writer sends every posting through a tuple in an external sort
(pickled to temporary runs once it holds 256 MB), then looks every posting's
field length up again from the column it has just written. Here document
numbers only grow, so postings arrive in order and are written once, term by
term, through the codec's own field and per-document writers. Readers see
ordinary Whoosh segments (the tests compare both writers posting by posting).

Positions-only text fields whose analyzer is one of ours (``analysis._SpanTokenizer``)
are most of the work. Their tokens are collected as three flat arrays (term
number, document, position), grouped by term with one numpy sort when the
segment is written, and their terms written in one loop per field that builds
Whoosh's blocks itself (``_write_span_terms``). Every other field goes through
``field.index`` exactly as Whoosh does it. The span fields named in
``array_fields`` are also written as flat arrays beside the segment
(``postarrays``), for the fast matcher.
"""

from __future__ import annotations

import functools
import zlib
from array import array
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.compat import dumps
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import delta_encode

from indexer.store import postarrays
from indexer.text.analysis import _SpanTokenizer

# Values whose ``field.index`` result is kept per segment: hashable, and equal only when indexed alike
# (not floats: 0.0 == -0.0).
_CACHED_VALUES = (str, int)


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
        self,
        storage,
        indexname: str,
        schema,
        codec: W3Codec | None = None,
        array_fields: tuple[str, ...] = (),
        array_only: tuple[str, ...] = (),
    ):
        self.storage = storage
        self.schema = schema
        self.codec = codec or W3Codec()
        self.segment = self.codec.new_segment(storage, indexname)
        self._perdoc = self.codec.per_document_writer(storage, self.segment)
        # field name → term (bytes) → (document numbers, weights, encoded values), other fields
        self._postings: dict[str, dict[bytes, tuple]] = {}
        # field name → every token of a span field as added, grouped by term when written
        self._tokens: dict[str, _Tokens] = {}
        # field name → document number → field length (as Whoosh records it)
        self._lengths: dict[str, array] = {}
        # (field name, type, value) → what ``field.index`` gives for it: a document's place, date and source
        # repeat on each of its passages and figures (the analyzers of these fields hold no state).
        self._indexed: dict[tuple, tuple[list, int]] = {}
        self._span_fields = {name for name, field in schema.items() if field.indexed and _span_field(field)}
        unknown = set(array_fields) - self._span_fields
        if unknown:
            raise ValueError(f"array fields must be positional span fields: {sorted(unknown)}")
        self._array_fields = tuple(array_fields)
        if set(array_only) - set(array_fields):
            raise ValueError(f"array-only fields must be array fields: {sorted(set(array_only) - set(array_fields))}")
        self._array_only = frozenset(array_only)
        self.doc_count = 0
        self.posting_count = 0  # tokens of span fields, postings of the others: what memory grows with

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
                if name in self._span_fields:
                    length = self._add_spans(name, field, value, docnum)
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

    def _add_spans(self, name: str, field, value: str, docnum: int) -> int:
        """Add a span field's tokens (what ``Positions.word_values`` would post); return its length."""
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
        grouped = {name: tokens.grouped() for name, tokens in self._tokens.items()}
        self._tokens.clear()
        if self._array_fields:
            arrays = {}
            for name in self._array_fields:
                lengths = self._lengths.get(name, array("I"))
                if name in grouped:
                    arrays[name] = grouped[name].arrays(lengths, self.doc_count)
                else:
                    arrays[name] = postarrays.field_arrays({}, lengths, self.doc_count)
            path = Path(self.storage.folder) / postarrays.file_name(self.segment)
            postarrays.write(path, self.doc_count, arrays)
        writer = self.codec.field_writer(self.storage, self.segment)
        try:
            # Whoosh gets no postings of array-only fields (their lengths it has recorded all the same).
            for name in sorted((set(self._postings) | set(grouped)) - self._array_only):
                field = self.schema[name]
                writer.start_field(name, field)
                lengths = self._lengths[name]
                if name in grouped:
                    _write_span_terms(writer, grouped.pop(name), lengths, field.format.field_boost)
                else:
                    terms = self._postings[name]
                    for term in sorted(terms):
                        docnums, weights, values = terms[term]
                        writer.start_term(term)
                        _fill_blocks(writer._postwriter, array("I", docnums), array("f", weights), values, lengths)
                        writer.finish_term()
                writer.finish_field()
        finally:
            writer.close()
        self._postings.clear()
        self._indexed.clear()
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


# Blocks whose pickle is shorter are written uncompressed (the block header says so; Whoosh's reader
# decompresses per block): zlib sets up a fresh stream for every call, which costs more than it saves
# on a handful of postings.
_COMPRESS_FROM = 256
_BLOCK_LIMIT = 128


class _Vocabulary(dict):
    """Term → its number, numbered in order of first use as terms are looked up (a known term costs one C call)."""

    __slots__ = ()

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


class _Tokens:
    """A span field's tokens in one segment, in the order they were added (documents ascending)."""

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


def _as_array(values: np.ndarray) -> array:
    result = array("I")
    result.frombytes(values.astype(postarrays.UINT).tobytes())
    return result


def _write_span_terms(writer, grouped: postarrays.Grouped, lengths: array, boost: float) -> None:
    """Write a span field's grouped postings as Whoosh's postings writer does.

    The same blocks, block headers, term statistics and term table rows as ``start_term`` / ``add`` /
    ``finish_term`` (see ``W3PostingsWriter._write_block`` and ``W3TermInfo``), in one loop per field:
    the writer's per-posting and per-term method calls were most of the time of a build.
    """
    postings = writer._postwriter
    if postings._blocklimit != _BLOCK_LIMIT or postings._byteids:
        raise ValueError("span terms are written with Whoosh's default block size")
    compression = postings._compression
    postfile = writer._postfile
    add_term = writer._tindex.add
    field_key = pack_ushort(writer._fieldid)
    offset = postfile.tell()
    terms = grouped.terms
    all_docnums, all_tfs, all_positions = (
        _as_array(values) for values in (grouped.docnums, grouped.tfs, grouped.positions)
    )
    post_starts, pos_starts = grouped.post_starts.tolist(), grouped.pos_starts.tolist()
    # str terms sort as their UTF-8 bytes do (code point order).
    for number in sorted(range(len(terms)), key=terms.__getitem__):
        term = terms[number]
        docnums = all_docnums[post_starts[number] : post_starts[number + 1]]
        tfs = all_tfs[post_starts[number] : post_starts[number + 1]]
        positions = all_positions[pos_starts[number] : pos_starts[number + 1]]
        weights = array("f", tfs) if boost == 1.0 else array("f", [tf * boost for tf in tfs])
        values = _encode_positions(tfs, positions)
        parts = [WHOOSH3_HEADER_MAGIC]
        size = len(WHOOSH3_HEADER_MAGIC)
        count = len(docnums)
        total_weight = 0.0
        min_length = None
        max_length = 0
        max_weight = 0
        for begin in range(0, count, _BLOCK_LIMIT):
            end = begin + _BLOCK_LIMIT
            ids = docnums[begin:end]
            block_weights = weights[begin:end]
            block_lengths = [lengths[docnum] for docnum in ids if lengths[docnum]]
            block_min = min(block_lengths) if block_lengths else None
            block_max = max(block_lengths) if block_lengths else 0
            block_max_weight = max(0, max(block_weights))
            # W3TermInfo.add_block
            total_weight += sum(block_weights)
            min_length = block_min if min_length is None or block_min is None else min(min_length, block_min)
            max_length = max(max_length, block_max)
            max_weight = max(max_weight, block_max_weight)
            # W3PostingsWriter._write_block
            first = block_weights[0]
            if first == 1.0 and block_weights.count(first) == len(block_weights):
                mini_weights = None
            elif block_weights.count(first) == len(block_weights):
                mini_weights = first
            else:
                mini_weights = tuple(block_weights)
            data = dumps((tuple(delta_encode(ids)), mini_weights, tuple(values[begin:end])), 2)
            comp = compression if len(data) >= _COMPRESS_FROM else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps(
                (len(ids), ids[-1], block_max_weight, comp, length_to_byte(block_min), length_to_byte(block_max)), 2
            )
            length = len(info) + len(data)
            parts.append(pack_int(-length if end >= count else length))
            parts.append(info)
            parts.append(data)
            size += _INT_SIZE + length
        postfile.write(b"".join(parts))
        # W3TermInfo.to_bytes (never inlined: Whoosh's inline limit of 1 inlines nothing)
        info = _TERM_INFO.pack(
            False,
            total_weight,
            count,
            0 if min_length is None else length_to_byte(min_length),
            length_to_byte(max_length),
            max_weight,
            docnums[0],
            docnums[-1],
        )
        add_term(field_key + term.encode("utf-8"), info + pack_long(offset) + pack_int(size))
        offset += size
    if offset != postfile.tell():
        raise RuntimeError("postings file offset out of step")


_TERM_INFO = W3TermInfo._struct
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
