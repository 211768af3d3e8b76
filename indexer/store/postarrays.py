"""Postings of the positional text fields as flat arrays, one file beside each Whoosh segment.

Whoosh's own postings are blocks of 128 pickled postings, each posting's positions encoded on its own;
its matchers walk them one document at a time in Python: at a million passages a common word cost
seconds per query. As flat arrays the numpy matcher (``query.match``) scores whole posting lists at
once, and Whoosh reads them through our codec (``store.codec``): these files are the only postings of
the text channels (``schema.ARRAY_FIELDS``, ``schema.FIGURE_ARRAY_FIELDS``).

One file per segment, ``<segment id>.fpst`` (so Whoosh's own clean-up removes it with its segment):
``MAGIC``, the length of a JSON header, the header, then the arrays it names, 8-byte aligned. Per
field:

- ``keys``: a 64-bit hash of each term (blake2b of its UTF-8 bytes), sorted; ``term_ends`` and
  ``blob``: the terms themselves, to confirm a hash match;
- ``post_starts``: where each term's postings begin in ``docnums``/``tfs`` (one more than terms);
- ``docnums``: segment document numbers, ascending per term; ``tfs``: occurrences in the document;
- ``pos_starts``: where each term's positions begin in ``positions`` (a posting's positions follow
  one another, ``tf`` of them, ascending);
- ``lengths``: every document's field length as Whoosh records it (one byte, lossy);
- ``by_term``: the term numbers in the order of the terms' UTF-8 bytes, for prefixes.

Integer arrays take the narrowest unsigned type their values fit.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import threading
import weakref
from array import array
from pathlib import Path

import numpy as np

MAGIC = b"FASTPST1"
# The numpy type of an ``array("I")`` on this platform.
UINT = {4: np.uint32, 8: np.uint64}[array("I").itemsize]
SUFFIX = "fpst"
_ALIGN = 8


def file_name(segment) -> str:
    """Return the file name of a segment's arrays (inside the index folder)."""
    return f"{segment.segment_id()}.{SUFFIX}"


def segments(reader) -> list[tuple]:
    """Return (segment reader, segment, first document number) of an index reader's segments."""
    return [(leaf, leaf.segment(), offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]


def term_key(term: bytes) -> int:
    """Return the 64-bit key a term is found by."""
    return int.from_bytes(hashlib.blake2b(term, digest_size=8).digest(), "little")


def _narrow(values: np.ndarray) -> np.ndarray:
    """Return non-negative integers in the narrowest unsigned type that holds them."""
    top = int(values.max()) if values.size else 0
    for kind in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(kind).max:
            return values.astype(kind, copy=False)
    return values.astype(np.uint64, copy=False)


def _concat(parts: list, dtype) -> np.ndarray:
    """Return arrays (``array("I")`` or bytes-like) joined into one numpy array."""
    return np.frombuffer(b"".join(parts), dtype=dtype)


def field_arrays(terms: dict, lengths, doc_count: int) -> dict[str, np.ndarray]:
    """Return one field's arrays from its postings by term.

    ``terms`` maps a term (str or UTF-8 bytes) to ``(docnums, tfs, positions)``: ``array("I")``
    each, docnums ascending, every posting's positions in order. ``lengths`` holds the field length
    of each document (as Whoosh records it), ``doc_count`` documents in all.
    """
    entries = list(terms.values())
    positions = _concat([entry[2] for entry in entries], UINT)
    numbers = np.repeat(np.arange(len(entries)), [len(entry[2]) for entry in entries])
    docnums = np.repeat(_concat([entry[0] for entry in entries], UINT), _concat([entry[1] for entry in entries], UINT))
    texts = [term.decode("utf-8") if isinstance(term, bytes) else term for term in terms]
    return Grouped(texts, numbers, docnums, positions).arrays(lengths, doc_count)


def _by_term(terms: list[bytes]) -> np.ndarray:
    """Return the numbers of terms (in their stored order) sorted by the terms' bytes."""
    return np.array(sorted(range(len(terms)), key=terms.__getitem__), dtype=np.uint32)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return the indexes start, start + 1, … (count of them) of each (start, count), concatenated."""
    counts = counts.astype(np.int64, copy=False)
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(starts.astype(np.int64) - (np.cumsum(counts) - counts), counts) + np.arange(total)


class Grouped:
    """One field's postings of a segment grouped by term: what ``SegmentBuilder`` collects, sorted once.

    Term ``i`` (``terms[i]``) has the postings ``post_starts[i]`` to ``post_starts[i + 1]`` of
    ``docnums``/``tfs`` (documents ascending) and the positions ``pos_starts[i]`` to
    ``pos_starts[i + 1]`` of ``positions`` (each posting's in order).
    """

    def __init__(self, terms: list[str], numbers: np.ndarray, docnums: np.ndarray, positions: np.ndarray):
        """Group tokens given in the order they were added: term number, document number, position.

        Documents come in ascending order, and each document's positions of a term ascending.
        """
        self.terms = terms
        order = np.argsort(numbers, kind="stable")  # keeps each term's (document, position) order
        numbers, docnums, self.positions = numbers[order], docnums[order], positions[order]
        first = np.ones(numbers.size, dtype=bool)
        first[1:] = (numbers[1:] != numbers[:-1]) | (docnums[1:] != docnums[:-1])
        at = np.flatnonzero(first)
        self.docnums = docnums[at]
        self.tfs = np.diff(np.append(at, numbers.size))
        self.post_starts = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(numbers[at], minlength=len(terms)), out=self.post_starts[1:])
        self.pos_starts = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(numbers, minlength=len(terms)), out=self.pos_starts[1:])

    def arrays(self, lengths, doc_count: int) -> dict[str, np.ndarray]:
        """Return the field's arrays, as ``write`` stores them (see the module's description)."""
        encoded = [term.encode("utf-8") for term in self.terms]
        keys = np.fromiter(map(term_key, encoded), dtype=np.uint64, count=len(encoded))
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        if ordered.size > 1 and bool(np.any(ordered[1:] == ordered[:-1])):  # a hash shared: by term too
            order = np.array(sorted(range(len(encoded)), key=lambda i: (int(keys[i]), encoded[i])), dtype=np.int64)
            ordered = keys[order]
        chosen = order.tolist()
        post_counts = np.diff(self.post_starts)[order]
        pos_counts = np.diff(self.pos_starts)[order]
        postings = _ranges(self.post_starts[:-1][order], post_counts)
        post_starts = np.zeros(len(chosen) + 1, dtype=np.int64)
        np.cumsum(post_counts, out=post_starts[1:])
        pos_starts = np.zeros(len(chosen) + 1, dtype=np.int64)
        np.cumsum(pos_counts, out=pos_starts[1:])
        all_lengths = np.zeros(doc_count, dtype=np.uint32)
        if isinstance(lengths, np.ndarray):
            given = lengths
        else:
            given = np.frombuffer(lengths, dtype=UINT) if len(lengths) else all_lengths[:0]
        all_lengths[: len(given)] = given[:doc_count]
        return {
            "keys": ordered,
            "term_ends": np.cumsum([len(encoded[i]) for i in chosen], dtype=np.int64),
            "blob": np.frombuffer(b"".join([encoded[i] for i in chosen]), dtype=np.uint8),
            "post_starts": post_starts,
            "docnums": _narrow(self.docnums[postings]),
            "tfs": _narrow(self.tfs[postings]),
            "pos_starts": pos_starts,
            "positions": _narrow(self.positions[_ranges(self.pos_starts[:-1][order], pos_counts)]),
            "lengths": _narrow(all_lengths),
            "by_term": _by_term([encoded[i] for i in chosen]),
        }


def merge(sources: list[tuple[SegmentPostings, np.ndarray | None]], names) -> tuple[int, dict]:
    """Return (documents, field arrays) of the segment Whoosh makes by merging segments.

    ``sources``: each merged segment's arrays with its deleted document numbers (sorted, or None), in
    the order Whoosh adds them: it keeps the documents not deleted, in order, numbered on from one
    segment to the next.
    """
    renumbered, lives, base = [], [], 0
    for postings, deleted in sources:
        live = np.ones(postings.doc_count, dtype=bool)
        if deleted is not None and deleted.size:
            live[deleted] = False
        renumbered.append(np.cumsum(live) - 1 + base)
        lives.append(live)
        base += int(live.sum())
    fields = {}
    for name in names:
        vocabulary: dict[str, int] = {}
        numbers, docnums, positions, lengths = [], [], [], []
        for (postings, _), new_number, live in zip(sources, renumbered, lives, strict=True):
            field = postings.fields[name]
            blob = field.blob.tobytes()
            ends = field.term_ends.tolist()
            terms = [blob[begin:end].decode("utf-8") for begin, end in zip([0, *ends], ends, strict=False)]
            ids = np.array([vocabulary.setdefault(term, len(vocabulary)) for term in terms], dtype=np.int64)
            tfs = field.whole("tfs").astype(np.int64)
            # every posting's term, then every position's posting
            owner = np.repeat(ids, np.diff(field.post_starts))
            posting_of = np.repeat(np.arange(tfs.size), tfs)
            docs = field.whole("docnums").astype(np.int64)[posting_of]
            keep = live[docs]
            numbers.append(owner[posting_of][keep])
            docnums.append(new_number[docs[keep]])
            positions.append(field.whole("positions").astype(np.int64)[keep])
            lengths.append(field.lengths[live].astype(np.uint32))
        # Terms left only in deleted documents go, as in Whoosh's merge.
        numbers = np.concatenate(numbers)
        used, numbers = np.unique(numbers, return_inverse=True)
        terms = list(vocabulary)
        grouped = Grouped(
            [terms[i] for i in used.tolist()], numbers, np.concatenate(docnums), np.concatenate(positions)
        )
        fields[name] = grouped.arrays(np.concatenate(lengths), base)
    return base, fields


def write(out, doc_count: int, fields: dict[str, dict[str, np.ndarray]]) -> None:
    """Write a segment's arrays (field name → ``field_arrays``) to a binary file object."""
    header: dict = {"doc_count": doc_count, "fields": {}}
    offset = 0
    layout = []
    for name, arrays in fields.items():
        entry = header["fields"][name] = {}
        for key, values in arrays.items():
            values = np.ascontiguousarray(values)
            entry[key] = [offset, values.dtype.str, int(values.size)]
            layout.append(values)
            offset += -(-values.nbytes // _ALIGN) * _ALIGN
    head = json.dumps(header).encode("utf-8")
    head += b" " * (-(len(MAGIC) + 8 + len(head)) % _ALIGN)
    out.write(MAGIC + len(head).to_bytes(8, "little") + head)
    for values in layout:
        out.write(values.tobytes())
        out.write(b"\0" * (-values.nbytes % _ALIGN))


# Read with pread into memory freed after the query; the rest stays memory-mapped (a lookup touches
# a few pages). Mapped, every posting a query ever read would stay in the server's resident memory.
_READ = ("docnums", "tfs", "positions")


class FieldPostings:
    """One field's arrays in one segment: term tables mapped, postings read on demand."""

    def __init__(self, mapped: dict[str, np.ndarray], read: dict[str, tuple[int, np.dtype, int]], read_bytes):
        self.keys = mapped["keys"]
        self.term_ends = mapped["term_ends"]
        self.blob = mapped["blob"]
        self.post_starts = mapped["post_starts"]
        self.pos_starts = mapped["pos_starts"]
        self.lengths = mapped["lengths"]
        self.by_term = mapped["by_term"]
        self._read_at = read
        self._read_bytes = read_bytes  # (size, offset) → bytes

    def _read(self, name: str, begin: int, end: int) -> np.ndarray:
        offset, kind, _ = self._read_at[name]
        data = self._read_bytes((end - begin) * kind.itemsize, offset + begin * kind.itemsize)
        return np.frombuffer(data, dtype=kind)

    def whole(self, name: str) -> np.ndarray:
        """Return one whole array by name."""
        if name in self._read_at:
            return self._read(name, 0, self._read_at[name][2])
        return getattr(self, name)

    def find(self, term: bytes) -> int:
        """Return the term's number in this field, or -1 when the segment does not hold it."""
        key = term_key(term)
        keys = self.keys
        number = int(np.searchsorted(keys, np.uint64(key)))
        while number < keys.size and int(keys[number]) == key:
            if self.term(number) == term:
                return number
            number += 1
        return -1

    def term(self, number: int) -> bytes:
        """Return term number ``number`` (UTF-8)."""
        start = int(self.term_ends[number - 1]) if number else 0
        return self.blob[start : int(self.term_ends[number])].tobytes()

    @property
    def term_count(self) -> int:
        """Return how many terms the field has in this segment."""
        return int(self.keys.size)

    def first_at_or_after(self, prefix: bytes) -> int:
        """Return the place in byte order (an index of ``by_term``) of the first term not below ``prefix``."""
        by_term = self.by_term
        low, high = 0, by_term.size
        while low < high:
            middle = (low + high) // 2
            if self.term(int(by_term[middle])) < prefix:
                low = middle + 1
            else:
                high = middle
        return low

    def terms_from(self, prefix: bytes = b""):
        """Yield (term, term number) from the first term not below ``prefix`` on, in byte order."""
        for number in self.by_term[self.first_at_or_after(prefix) :].tolist():
            yield self.term(number), number

    def expand_prefix(self, prefix: bytes) -> list[bytes]:
        """Return the terms that start with ``prefix``, in byte order (as Whoosh's ``expand_prefix``)."""
        found = []
        for term, _ in self.terms_from(prefix):
            if not term.startswith(prefix):
                break
            found.append(term)
        return found

    def term_positions(self, number: int) -> np.ndarray:
        """Return every position of a term, posting after posting (each posting's ``tf`` of them)."""
        return self._read("positions", int(self.pos_starts[number]), int(self.pos_starts[number + 1]))

    def postings(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Return a term's (document numbers, term frequencies)."""
        begin, end = int(self.post_starts[number]), int(self.post_starts[number + 1])
        return self._read("docnums", begin, end), self._read("tfs", begin, end)

    def positions_of(self, number: int, chosen: np.ndarray, tfs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (which chosen posting, position) pairs for some of a term's postings.

        ``chosen`` indexes the term's postings (ascending, not empty), ``tfs`` are the term's
        frequencies (from ``postings``); the result lists every position of each chosen posting, in
        order, with the index into ``chosen`` it belongs to.
        """
        tfs = tfs.astype(np.int64)
        starts = np.cumsum(tfs) - tfs
        counts = tfs[chosen]
        # Only the stretch from the first chosen posting's positions to the last one's is read.
        first = int(starts[chosen[0]])
        last = int(starts[chosen[-1]] + counts[-1])
        base = int(self.pos_starts[number])
        stretch = self._read("positions", base + first, base + last)
        total = int(counts.sum())
        owner = np.repeat(np.arange(chosen.size), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return owner, stretch[starts[chosen][owner] - first + offsets]


class SegmentPostings:
    """All fields' arrays of one segment (term tables memory-mapped, postings read when needed).

    From a file (``path``: mapped, postings read with ``pread``) or from the file's bytes (``data``: a
    segment in a store that is no folder, such as Whoosh's compound files or memory).
    """

    def __init__(self, path: Path | None = None, *, data: bytes | None = None):
        self._fd = -1
        if data is None:
            self._fd = os.open(path, os.O_RDONLY)  # kept open for pread; closed with this object
            self._map = mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ) if os.fstat(self._fd).st_size else b""
            read_bytes = self._pread
        else:
            self._map = data
            read_bytes = self._slice
        if self._map[: len(MAGIC)] != MAGIC:
            self.close()
            raise ValueError(f"not a postings array file: {path}")
        size = int.from_bytes(self._map[len(MAGIC) : len(MAGIC) + 8], "little")
        start = len(MAGIC) + 8
        try:
            header = json.loads(self._map[start : start + size])
            self.doc_count: int = int(header["doc_count"])
            layout = header["fields"]
        except (ValueError, KeyError, TypeError) as error:
            self.close()
            raise ValueError(f"damaged postings array file: {path}") from error
        base = start + size
        self.fields: dict[str, FieldPostings] = {}
        for name, entry in layout.items():
            mapped, read = {}, {}
            for key, (offset, kind, count) in entry.items():
                if base + offset + count * np.dtype(kind).itemsize > len(self._map):
                    self.close()
                    raise ValueError(f"truncated postings array file: {path}")
                if key in _READ:
                    read[key] = (base + offset, np.dtype(kind), count)
                else:
                    mapped[key] = np.frombuffer(self._map, dtype=np.dtype(kind), count=count, offset=base + offset)
            self.fields[name] = FieldPostings(mapped, read, read_bytes)

    def _pread(self, size: int, offset: int) -> bytes:
        return os.pread(self._fd, size, offset)

    def _slice(self, size: int, offset: int) -> bytes:
        return self._map[offset : offset + size]

    def close(self) -> None:
        """Release the file descriptor (mapped arrays stay valid while referenced)."""
        if getattr(self, "_fd", -1) >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self):
        self.close()


_opened: weakref.WeakValueDictionary[tuple, SegmentPostings] = weakref.WeakValueDictionary()
_opened_lock = threading.Lock()


def open_segment(path: Path) -> SegmentPostings:
    """Return a segment's arrays, opened once per process while anyone holds them (readers share them).

    Keyed by the file itself (path, device, inode, size): a file replaced or removed is never served
    from an earlier opening.
    """
    status = os.stat(path)
    key = (str(path), status.st_dev, status.st_ino, status.st_size)
    with _opened_lock:
        postings = _opened.get(key)
        if postings is None:
            postings = _opened[key] = SegmentPostings(path)
    return postings
