"""Sorted runs of (key, entry) pairs with a radix directory, for the copy index.

Keys are uniformly spread 64-bit hashes, so the top bits of a key say almost exactly
where it sits in the sorted run: a directory of bucket offsets (one per four entries)
turns each look-up into two reads, where a binary search over tens of millions of
entries pays some twenty cache misses per key. This is what keeps the look-up cost
flat from ten thousand to a million indexed articles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_PER_BUCKET = 4  # entries per directory bucket, on average
_WINDOW = 16  # entries read per key; a fuller bucket falls back to a binary search


@dataclass(frozen=True, slots=True, eq=False)
class Run:
    """Keys in ascending order, their entry numbers, and the bucket directory."""

    keys: np.ndarray  # uint64, sorted
    seqs: np.ndarray  # uint32, ascending within equal keys
    directory: np.ndarray  # int64 [2^bits + 1]: first position of each bucket
    bits: int

    @property
    def size(self) -> int:
        """How many entries the run holds."""
        return len(self.keys)

    @property
    def nbytes(self) -> int:
        """Bytes held by the run's arrays."""
        return self.keys.nbytes + self.seqs.nbytes + self.directory.nbytes


def make_run(
    keys: np.ndarray, seqs: np.ndarray, ordered: bool = False, unique: bool = False
) -> Run:
    """A run of these pairs (sorted by key, then entry, unless ``ordered``); with
    ``unique``, a pair given twice is kept once."""
    if not ordered:
        order = np.lexsort((seqs, keys))
        keys, seqs = keys[order], seqs[order]
    if unique and len(keys) > 1:
        fresh = np.ones(len(keys), dtype=bool)
        fresh[1:] = (keys[1:] != keys[:-1]) | (seqs[1:] != seqs[:-1])
        keys, seqs = keys[fresh], seqs[fresh]
    bits = max(0, int(len(keys) // _PER_BUCKET).bit_length() - 1)
    bounds = np.arange(2**bits, dtype=np.uint64) << np.uint64(64 - bits) if bits else None
    starts = np.searchsorted(keys, bounds) if bounds is not None else np.zeros(1, np.int64)
    directory = np.append(starts, len(keys)).astype(np.int64)
    return Run(keys, seqs, directory, bits)


def merge(older: Run, newer: Run) -> Run:
    """Two runs as one, in linear time; per key, the older run's entries stay first."""
    total = older.size + newer.size
    at = np.searchsorted(older.keys, newer.keys, "right") + np.arange(newer.size)
    rest = np.ones(total, dtype=bool)
    rest[at] = False
    keys = np.empty(total, dtype=np.uint64)
    seqs = np.empty(total, dtype=np.uint32)
    keys[at], seqs[at] = newer.keys, newer.seqs
    keys[rest], seqs[rest] = older.keys, older.seqs
    return make_run(keys, seqs, ordered=True)


def lookup(run: Run, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions in the run, index of the query key) of every entry equal to a key."""
    if run.size == 0 or len(keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    bucket = (keys >> np.uint64(64 - run.bits)).astype(np.int64) if run.bits else 0
    lo = run.directory[bucket] if run.bits else np.zeros(len(keys), np.int64)
    hi = run.directory[bucket + 1] if run.bits else np.full(len(keys), run.size)
    wide = (hi - lo) > _WINDOW
    window = lo[:, None] + np.arange(_WINDOW)
    inside = window < hi[:, None]
    inside[wide] = False
    found = (run.keys[np.minimum(window, run.size - 1)] == keys[:, None]) & inside
    which, offset = np.nonzero(found)
    positions = window[which, offset]
    if wide.any():  # a crowded bucket (a very common key): search it properly
        extra_which, extra_positions = _search(run, keys, np.flatnonzero(wide))
        which = np.concatenate([which, extra_which])
        positions = np.concatenate([positions, extra_positions])
    return positions, which


def _search(run: Run, keys: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = np.searchsorted(run.keys, keys[chosen], "left")
    hi = np.searchsorted(run.keys, keys[chosen], "right")
    lengths = hi - lo
    offsets = np.cumsum(lengths) - lengths
    positions = np.repeat(lo - offsets, lengths) + np.arange(int(lengths.sum()))
    return np.repeat(chosen, lengths), positions
