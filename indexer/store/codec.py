"""A Whoosh codec whose positional text fields keep their postings in our flat arrays (``postarrays``).

Whoosh reads an index through its codec: a field writer, a terms reader and matchers. ``ArraysCodec``
is Whoosh's own ``W3Codec`` for every field but the ones it is given (the text channels), whose
postings go to one ``<segment>.fpst`` file per segment instead of Whoosh's blocks. So:

- Whoosh's reader, searcher, query parser, phrase and prefix queries, more-like-this and merges find
  those postings as they find any other (``ArraysTermsReader``, ``ArrayMatcher``);
- the numpy matcher (``query.match``) reads the same files, whole posting lists at a time;
- each segment records its codec in the table of contents (Whoosh pickles it with the segment), so an
  index opened anywhere (with this project importable) reads the same way.

Parts:

* ``ArraysCodec`` — ``W3Codec`` with ``array_fields``; its field writer and terms reader below.
* ``ArraysFieldWriter`` — routes the array fields' postings (from Whoosh's writer, one posting at a
  time, or whole from our segment builder and merges, ``add_arrays``) to the arrays file, written when
  the writer closes; every other field to Whoosh's writer.
* ``ArraysTermsReader`` — answers for the array fields from the arrays file (terms in byte order, term
  statistics, matchers), for the others from Whoosh's reader. The file is opened on first use; a
  missing or damaged one raises ``IndexDamaged`` (logged): never an empty answer.
* ``ArrayMatcher`` — a Whoosh leaf matcher over one term's arrays (positions, weights, block quality).
"""

from __future__ import annotations

import bisect
import heapq
import logging
from array import array
from pathlib import Path

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.matching import LeafMatcher, ReadTooFar
from whoosh.reading import TermInfo, TermNotFound

from indexer.store import postarrays

_log = logging.getLogger("indexer.store.codec")


class IndexDamaged(RuntimeError):
    """An index file is missing or damaged: the index must be rebuilt (``python -m indexer build``)."""


class ArraysCodec(W3Codec):
    """``W3Codec`` with the postings of ``array_fields`` in flat arrays beside each segment."""

    def __init__(self, array_fields: tuple[str, ...] = (), **options):
        super().__init__(**options)
        self.array_fields = tuple(array_fields)

    def field_writer(self, storage, segment):
        return ArraysFieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        return ArraysTermsReader(super().terms_reader(storage, segment), storage, segment, self.array_fields)


def open_arrays(storage, segment) -> postarrays.SegmentPostings:
    """Return a segment's arrays, shared by every reader of the process; ``IndexDamaged`` when unusable.

    A segment in a folder is mapped (``postarrays.open_segment``); one in another store (Whoosh's
    compound files, memory) is read whole.
    """
    name = postarrays.file_name(segment)
    try:
        if hasattr(storage, "folder"):
            postings = postarrays.open_segment(Path(storage.folder) / name)
        else:
            with storage.open_file(name) as handle:
                postings = postarrays.SegmentPostings(data=handle.read())
        if postings.doc_count != segment.doc_count_all():
            raise ValueError(f"{postings.doc_count} documents, the segment has {segment.doc_count_all()}")
    except (OSError, ValueError, KeyError, NameError) as error:  # NameError: Whoosh's compound store, no such file
        _log.error("postings arrays %s unusable (%s): rebuild the index", name, error)
        raise IndexDamaged(
            f"index damaged, rebuild it (python -m indexer build) / 索引已损坏，请重新构建: {name} ({error})"
        ) from error
    return postings


# ---------------------------------------------------------------- writing


class _Collected:
    """An array field's postings as Whoosh's writer hands them over, one at a time."""

    def __init__(self, field_format):
        self.format = field_format
        self.terms: list[str] = []
        self.numbers = array("I")
        self.docnums = array("I")
        self.positions = array("I")
        self.lengths: dict[int, int] = {}

    def start_term(self, btext: bytes) -> None:
        self.terms.append(btext.decode("utf-8"))

    def add(self, docnum: int, vbytes: bytes, length: int | None) -> None:
        found = self.format.decode_positions(vbytes)
        self.numbers.extend(array("I", (len(self.terms) - 1,)) * len(found))
        self.docnums.extend(array("I", (docnum,)) * len(found))
        self.positions.extend(found)
        if length:
            self.lengths[docnum] = length

    def arrays(self, doc_count: int) -> dict[str, np.ndarray]:
        lengths = np.zeros(doc_count, dtype=np.uint32)
        for docnum, length in self.lengths.items():
            lengths[docnum] = length
        grouped = postarrays.Grouped(
            self.terms,
            *(np.frombuffer(values, dtype=postarrays.UINT) for values in (self.numbers, self.docnums, self.positions)),
        )
        return grouped.arrays(lengths, doc_count)


class ArraysFieldWriter(base.FieldWriter):
    """Whoosh's field writer for the other fields; the array fields' postings go to the arrays file."""

    def __init__(self, codec: ArraysCodec, storage, segment):
        self._inner = W3FieldWriter(codec, storage, segment)
        self._storage = storage
        self._segment = segment
        self._array_fields = frozenset(codec.array_fields)
        self._collected: dict[str, _Collected] = {}
        self._given: dict[str, dict[str, np.ndarray]] = {}
        self._current: _Collected | None = None
        self.is_closed = False

    def add_arrays(self, fieldname: str, arrays: dict[str, np.ndarray]) -> None:
        """Take an array field's postings whole (``postarrays.Grouped.arrays``), for this segment."""
        if fieldname not in self._array_fields:
            raise ValueError(f"{fieldname} is not an array field of this codec")
        self._given[fieldname] = arrays

    def start_field(self, fieldname, fieldobj):
        if fieldname in self._array_fields:
            self._current = self._collected.setdefault(fieldname, _Collected(fieldobj.format))
        else:
            self._current = None
            self._inner.start_field(fieldname, fieldobj)

    def start_term(self, text):
        if self._current is not None:
            self._current.start_term(text)
        else:
            self._inner.start_term(text)

    def add(self, docnum, weight, vbytes, length):
        if self._current is not None:
            self._current.add(docnum, vbytes, length)
        else:
            self._inner.add(docnum, weight, vbytes, length)

    def finish_term(self):
        if self._current is None:
            self._inner.finish_term()

    def finish_field(self):
        if self._current is None:
            self._inner.finish_field()
        self._current = None

    def close(self):
        doc_count = self._segment.doc_count_all()
        fields = {}
        for name in sorted(self._array_fields):
            if name in self._given:
                fields[name] = self._given[name]
            elif name in self._collected:
                fields[name] = self._collected[name].arrays(doc_count)
            else:
                fields[name] = postarrays.field_arrays({}, array("I"), doc_count)
        out = self._segment.create_file(self._storage, "." + postarrays.SUFFIX)
        try:
            postarrays.write(out, doc_count, fields)
        finally:
            out.close()
        self._inner.close()
        self.is_closed = True


# ---------------------------------------------------------------- reading


class ArraysTermsReader(base.TermsReader):
    """Whoosh's terms reader for the other fields; the array fields answered from the arrays file."""

    def __init__(self, inner, storage, segment, array_fields: tuple[str, ...]):
        self._inner = inner
        self._storage = storage
        self._segment = segment
        self._array_fields = frozenset(array_fields)
        self._postings: postarrays.SegmentPostings | None = None

    def _arrays(self) -> postarrays.SegmentPostings:
        if self._postings is None:
            self._postings = open_arrays(self._storage, self._segment)
        return self._postings

    def _field(self, fieldname: str) -> postarrays.FieldPostings | None:
        """Return an array field's arrays (None: the field has none in this segment)."""
        return self._arrays().fields.get(fieldname)

    def _number(self, fieldname: str, btext: bytes) -> tuple[postarrays.FieldPostings, int]:
        field = self._field(fieldname)
        number = field.find(btext) if field is not None else -1
        if number < 0:
            raise TermNotFound(f"{fieldname}:{btext!r}")
        return field, number

    def __contains__(self, term):
        fieldname, btext = term
        if fieldname in self._array_fields:
            field = self._field(fieldname)
            return field is not None and field.find(btext) >= 0
        return term in self._inner

    def indexed_field_names(self):
        return sorted(set(self._inner.indexed_field_names()) | self._array_fields)

    def cursor(self, fieldname, fieldobj):
        if fieldname in self._array_fields:
            return _ArraysCursor(self, fieldname, fieldobj)
        return self._inner.cursor(fieldname, fieldobj)

    def _array_terms_from(self, fieldname: str, prefix: bytes):
        """Yield ((field, term), number) of the array fields from (fieldname, prefix) on, in order."""
        for name in sorted(self._array_fields):
            if name < fieldname:
                continue
            field = self._field(name)
            if field is None:
                continue
            for term, number in field.terms_from(prefix if name == fieldname else b""):
                yield (name, term), number

    def _their_start(self, fieldname: str, prefix: bytes) -> tuple[str, bytes] | None:
        """Return where Whoosh's own terms from (fieldname, prefix) on begin (its fields are numbered in name
        order), or None when none of its fields comes at or after it."""
        names = self._inner.indexed_field_names()
        if fieldname in names:
            return fieldname, prefix
        later = sorted(name for name in names if name > fieldname)
        return (later[0], b"") if later else None

    def _their_terms_from(self, fieldname: str, prefix: bytes):
        start = self._their_start(fieldname, prefix)
        return self._inner.terms_from(*start) if start else iter(())

    def _their_items_from(self, fieldname: str, prefix: bytes):
        start = self._their_start(fieldname, prefix)
        return self._inner.items_from(*start) if start else iter(())

    def terms(self):
        return self.terms_from("", b"")

    def terms_from(self, fieldname, prefix):
        ours = (term for term, _ in self._array_terms_from(fieldname, prefix))
        return heapq.merge(self._their_terms_from(fieldname, prefix), ours)

    def items(self):
        return self.items_from("", b"")

    def items_from(self, fieldname, prefix):
        ours = (
            (term, _term_info(self._field(term[0]), number))
            for term, number in self._array_terms_from(fieldname, prefix)
        )
        return heapq.merge(self._their_items_from(fieldname, prefix), ours, key=lambda item: item[0])

    def term_info(self, fieldname, text):
        if fieldname in self._array_fields:
            return _term_info(*self._number(fieldname, text))
        return self._inner.term_info(fieldname, text)

    def _counted(self, fieldname: str, text: bytes) -> tuple[postarrays.FieldPostings, int]:
        """Return an array field's term, or raise KeyError as Whoosh's own terms reader does for counts."""
        try:
            return self._number(fieldname, text)
        except TermNotFound as error:
            raise KeyError(text) from error

    def frequency(self, fieldname, text):
        if fieldname in self._array_fields:
            field, number = self._counted(fieldname, text)
            return float(field.postings(number)[1].sum())
        return self._inner.frequency(fieldname, text)

    def doc_frequency(self, fieldname, text):
        if fieldname in self._array_fields:
            field, number = self._counted(fieldname, text)
            return int(field.post_starts[number + 1] - field.post_starts[number])
        return self._inner.doc_frequency(fieldname, text)

    def matcher(self, fieldname, text, format_, scorer=None):
        if fieldname in self._array_fields:
            field, number = self._number(fieldname, text)
            return ArrayMatcher(field, number, format_, term=(fieldname, text), scorer=scorer)
        return self._inner.matcher(fieldname, text, format_, scorer=scorer)

    def close(self):
        self._inner.close()
        self._postings = None  # shared with other readers of the segment; closed when none holds it


def _term_info(field: postarrays.FieldPostings, number: int) -> TermInfo:
    """Return a term's statistics as Whoosh's term table records them (weights are frequencies)."""
    docs, tfs = field.postings(number)
    lengths = field.lengths[docs]
    lengths = lengths[lengths > 0]
    return TermInfo(
        weight=float(tfs.sum()),
        df=int(docs.size),
        minlength=int(lengths.min()) if lengths.size else None,
        maxlength=int(lengths.max()) if lengths.size else 0,
        maxweight=float(tfs.max()) if tfs.size else 0,
        minid=int(docs[0]) if docs.size else None,
        maxid=int(docs[-1]) if docs.size else 0,
    )


class _ArraysCursor(base.FieldCursor):
    """Whoosh's field cursor (terms in byte order) over an array field, for fuzzy and spelling lookups."""

    def __init__(self, reader: ArraysTermsReader, fieldname: str, fieldobj):
        self._field = reader._field(fieldname)
        self._fieldobj = fieldobj
        self._place = 0
        self._text = None
        self.first()

    def _at(self, place: int):
        field = self._field
        if field is None or place >= field.term_count:
            self._text = None
            self._place = place
            return None
        self._place = place
        self._text = self._fieldobj.from_bytes(field.term(int(field.by_term[place])))
        return self._text

    def first(self):
        return self._at(0)

    def find(self, term):
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        return self._at(self._field.first_at_or_after(term) if self._field is not None else 0)

    def next(self):
        return self._at(self._place + 1)

    def text(self):
        return self._text

    def term_info(self):
        if self._text is None:
            return None
        return _term_info(self._field, int(self._field.by_term[self._place]))

    def is_valid(self):
        return self._text is not None


class ArrayMatcher(LeafMatcher):
    """One term's postings from the arrays, as a Whoosh leaf matcher (the whole list is one block)."""

    def __init__(self, field: postarrays.FieldPostings, number: int, format_, *, term=None, scorer=None):
        docs, tfs = field.postings(number)
        self._field = field
        self._number = number
        self._docs = docs.astype(np.int64).tolist()
        self._tfs = tfs.astype(np.int64).tolist()
        self._lengths = field.lengths[docs]
        self._starts: list[int] | None = None  # where each posting's positions begin, read on first use
        self._positions: list[int] | None = None
        self.format = format_
        self._term = term
        self.scorer = scorer
        self._i = 0

    def copy(self):
        other = ArrayMatcher.__new__(ArrayMatcher)
        other.__dict__.update(self.__dict__)
        return other

    def reset(self):
        self._i = 0

    def is_active(self):
        return self._i < len(self._docs)

    def id(self):
        return self._docs[self._i]

    def next(self):
        self._i += 1
        return False

    def skip_to(self, target):
        if not self.is_active():
            raise ReadTooFar
        if target > self._docs[self._i]:
            self._i = bisect.bisect_left(self._docs, target, self._i)

    def all_ids(self):
        docs, self._i = self._docs[self._i :], len(self._docs)
        return iter(docs)

    def weight(self):
        return float(self._tfs[self._i])

    def _current_positions(self) -> list[int]:
        if self._positions is None:
            self._positions = self._field.term_positions(self._number).astype(np.int64).tolist()
            starts = [0]
            for tf in self._tfs:
                starts.append(starts[-1] + tf)
            self._starts = starts
        start = self._starts[self._i]
        return self._positions[start : start + self._tfs[self._i]]

    def value(self):
        return self.format.encode(self._current_positions())

    def value_as(self, astype):
        if astype == "positions":
            return self._current_positions()
        if astype == "frequency":
            return self._tfs[self._i]
        return super().value_as(astype)

    # One block: the whole list.
    def block_min_id(self):
        return self._docs[0]

    def block_max_id(self):
        return self._docs[-1]

    def block_min_length(self):
        found = self._lengths[self._lengths > 0]
        return int(found.min()) if found.size else 1

    def block_max_length(self):
        return int(self._lengths.max()) if self._lengths.size else 0

    def block_max_weight(self):
        return float(max(self._tfs)) if self._tfs else 0.0

    def skip_to_quality(self, minquality):
        if self.block_quality() <= minquality:
            self._i = len(self._docs)
            return 1
        return 0
