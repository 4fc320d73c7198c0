"""The in-memory copy index: MinHash LSH bands and winnowed anchors, in sorted runs.

Banding follows datasketch's ``MinHashLSH`` exactly (the same ``b`` bands of ``r`` rows,
chosen by its optimiser for the threshold; a test holds the candidates equal), but the
buckets live in sorted numpy arrays instead of Python dicts of sets: 12 bytes per band
or anchor instead of a few hundred, which is what lets one process index a million
articles. New entries go to a small dict buffer; a full buffer becomes a sorted run and
runs of similar size merge (a logarithmic method), so a look-up costs a few binary
searches whatever the size of the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHashLSH

from storyline.copies.fingerprint import NUM_PERM, Fingerprint

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BAND_BIT = np.uint64(1)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed entry that a look-up found, with how it was found."""

    seq: int
    bands: int  # LSH bands shared: high for near duplicates
    anchors: int  # winnowed anchors shared: passages in common


@dataclass(slots=True)
class _Run:
    """Sorted keys and their entry numbers (mutable: merged in place of two runs)."""

    keys: np.ndarray  # uint64, sorted
    seqs: np.ndarray  # uint32, ascending within equal keys

    @property
    def size(self) -> int:
        return len(self.keys)


@dataclass(slots=True)
class _Buffer:
    """The newest entries, not yet sorted into a run."""

    postings: dict[int, list[int]] = field(default_factory=dict)
    entries: int = 0
    articles: int = 0


def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """The (bands, rows) datasketch's MinHashLSH chooses for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class CopyIndex:
    """Finds earlier texts that share LSH bands or anchors with a fingerprint.

    Not a dataclass: it holds mutable numpy runs and a buffer behind a small API.
    """

    def __init__(
        self,
        threshold: float = 0.5,
        *,
        buffer_articles: int = 1024,
        common: int = 64,
        take_common: int = 4,
    ) -> None:
        self.bands, self.rows = lsh_params(threshold)
        self.threshold = threshold
        self.common = common  # a key on more entries than this is boilerplate-like
        self.take_common = take_common  # ... of which only the earliest few are returned
        self._buffer_articles = buffer_articles
        self._runs: list[_Run] = []
        self._buffer = _Buffer()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    # keys -------------------------------------------------------------------------------

    def band_keys(self, minhash: np.ndarray) -> np.ndarray:
        """One 64-bit key per LSH band (odd), equal exactly when the band's rows are."""
        grid = np.asarray(minhash[..., : self.bands * self.rows], dtype=np.uint64)
        grid = grid.reshape(-1, self.bands, self.rows)
        acc = np.arange(1, self.bands + 1, dtype=np.uint64) * _MIX
        acc = np.broadcast_to(acc, grid.shape[:2]).copy()
        for j in range(self.rows):
            acc = (acc ^ grid[:, :, j]) * _MIX
            acc ^= acc >> np.uint64(29)
        return (acc | _BAND_BIT).reshape(grid.shape[0], self.bands)

    @staticmethod
    def anchor_keys(anchors: np.ndarray) -> np.ndarray:
        """Anchor keys are even, so they never meet a band key."""
        return np.unique(anchors & ~_BAND_BIT)

    def keys(self, fp: Fingerprint) -> np.ndarray:
        """Every key of a fingerprint: its bands, then its anchors."""
        return np.concatenate([self.band_keys(fp.minhash)[0], self.anchor_keys(fp.anchors)])

    # adding -----------------------------------------------------------------------------

    def add(self, seq: int, fp: Fingerprint) -> None:
        """Index one fingerprint under entry number ``seq``."""
        postings = self._buffer.postings
        keys = self.keys(fp).tolist()
        for key in keys:
            found = postings.get(key)
            if found is None:
                postings[key] = [seq]
            else:
                found.append(seq)
        self._buffer.entries += len(keys)
        self._buffer.articles += 1
        self._count += 1
        if self._buffer.articles >= self._buffer_articles:
            self._flush()

    def add_many(
        self, seqs: Sequence[int], minhashes: np.ndarray, anchors: Sequence[np.ndarray]
    ) -> None:
        """Index many entries at once (rebuilding from the store): one sort, one run."""
        if not len(seqs):
            return
        self._flush()
        bands = self.band_keys(minhashes)
        parts_keys = [bands.ravel()]
        parts_seqs = [np.repeat(np.asarray(seqs, dtype=np.uint32), self.bands)]
        for seq, found in zip(seqs, anchors, strict=True):
            keys = self.anchor_keys(found)
            parts_keys.append(keys)
            parts_seqs.append(np.full(len(keys), seq, dtype=np.uint32))
        self._push(np.concatenate(parts_keys), np.concatenate(parts_seqs))
        self._count += len(seqs)

    def _flush(self) -> None:
        buffer = self._buffer
        if not buffer.postings:
            return
        keys = np.fromiter(
            (k for k, v in buffer.postings.items() for _ in v), np.uint64, buffer.entries
        )
        seqs = np.fromiter(
            (s for v in buffer.postings.values() for s in v), np.uint32, buffer.entries
        )
        self._buffer = _Buffer()
        self._push(keys, seqs)

    def _push(self, keys: np.ndarray, seqs: np.ndarray) -> None:
        order = np.lexsort((seqs, keys))
        self._runs.append(_Run(keys[order], seqs[order]))
        # Merge while the newest run is at least half its older neighbour: O(log n) runs.
        while len(self._runs) > 1 and self._runs[-1].size * 2 >= self._runs[-2].size:
            newer = self._runs.pop()
            older = self._runs.pop()
            keys = np.concatenate([older.keys, newer.keys])
            seqs = np.concatenate([older.seqs, newer.seqs])
            order = np.argsort(keys, kind="stable")  # older entries stay first per key
            self._runs.append(_Run(keys[order], seqs[order]))

    # looking up -------------------------------------------------------------------------

    def query(self, fp: Fingerprint) -> list[Candidate]:
        """Entries sharing a band or an anchor with ``fp``, most bands then anchors first."""
        bands = self.band_keys(fp.minhash)[0]
        anchors = self.anchor_keys(fp.anchors)
        hits: dict[int, list[int]] = {}
        for kind, keys in ((0, bands), (1, anchors)):
            for seq in self._lookup(keys):
                hits.setdefault(seq, [0, 0])[kind] += 1
        found = [Candidate(seq, b, a) for seq, (b, a) in hits.items()]
        found.sort(key=lambda c: (-c.bands, -c.anchors, c.seq))
        return found

    def _lookup(self, keys: np.ndarray) -> list[int]:
        """Entry numbers per key; a key on more than ``common`` entries gives its earliest."""
        if not len(keys):
            return []
        spans = [
            (run, np.searchsorted(run.keys, keys, "left"), np.searchsorted(run.keys, keys, "right"))
            for run in self._runs
        ]
        buffered = [self._buffer.postings.get(k, ()) for k in keys.tolist()]
        totals = sum((hi - lo for _run, lo, hi in spans), np.zeros(len(keys), dtype=np.int64))
        totals += np.fromiter((len(b) for b in buffered), np.int64, len(keys))
        result: list[int] = []
        for i in np.flatnonzero(totals).tolist():
            limit = self.take_common if totals[i] > self.common else int(totals[i])
            taken: list[int] = []
            for run, lo, hi in spans:  # runs are oldest first: the earliest entries lead
                if hi[i] > lo[i] and len(taken) < limit:
                    taken += run.seqs[lo[i] : min(hi[i], lo[i] + limit - len(taken))].tolist()
            taken += list(buffered[i][: limit - len(taken)])
            result += taken
        return result

    # accounting -------------------------------------------------------------------------

    def nbytes(self) -> int:
        """Bytes held by the sorted runs plus an estimate for the dict buffer."""
        runs = sum(r.keys.nbytes + r.seqs.nbytes for r in self._runs)
        # dict slot + int key + list + int per entry, measured with sys.getsizeof
        return runs + self._buffer.entries * 120

    @property
    def runs(self) -> int:
        """How many sorted runs a look-up searches."""
        return len(self._runs)
