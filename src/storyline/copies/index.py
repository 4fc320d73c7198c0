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

from storyline.copies.fingerprint import NUM_PERM, Fingerprint, _fmix64
from storyline.copies.runs import Run, lookup, make_run, merge

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BAND_BIT = np.uint64(1)
_MERGE = 4
_ANCHOR_SALT = np.uint64(0x2545F4914F6CDD1D)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed entry that a look-up found, with how it was found."""

    seq: int
    bands: int  # LSH bands shared: high for near duplicates
    anchors: int  # winnowed anchors shared: passages in common


@dataclass(slots=True)
class _Buffer:
    """The newest entries, not yet sorted into a run."""

    postings: dict[int, list[int]] = field(default_factory=dict)
    entries: int = 0
    articles: int = 0


def _anchor_mix(anchors: np.ndarray) -> np.ndarray:
    return _fmix64(anchors ^ _ANCHOR_SALT) & ~_BAND_BIT


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
        rng = np.random.default_rng(7)  # fixed: stored keys must not change between runs
        self._row_mix = rng.integers(1, 2**63, size=self.rows, dtype=np.uint64) * 2 + 1
        self._band_mix = rng.integers(1, 2**63, size=self.bands, dtype=np.uint64)
        self._runs: list[Run] = []
        self._buffer = _Buffer()
        self._count = 0
        self._last: tuple[Fingerprint, np.ndarray] | None = None

    def __len__(self) -> int:
        return self._count

    # keys -------------------------------------------------------------------------------

    def band_keys(self, minhash: np.ndarray) -> np.ndarray:
        """One 64-bit key per LSH band (odd): equal when the band's rows are equal (and,
        with odds of 2^-63, by chance); 1-D input gives ``[1, bands]``."""
        grid = np.asarray(minhash[..., : self.bands * self.rows], dtype=np.uint64)
        grid = grid.reshape(-1, self.bands, self.rows)
        mixed = (grid * self._row_mix).sum(axis=2, dtype=np.uint64) + self._band_mix
        return _fmix64(mixed) | _BAND_BIT

    @staticmethod
    def anchor_keys(anchors: np.ndarray) -> np.ndarray:
        """Anchor keys: even, so they never meet a band key, and mixed again, because
        winnowing picks window minima (small values) and the runs want spread keys."""
        return np.unique(_anchor_mix(anchors))

    def keys(self, fp: Fingerprint) -> np.ndarray:
        """Every key of a fingerprint: its bands, then its anchors (the last one's kept,
        as the stage looks a fingerprint up and then adds it)."""
        if self._last is not None and self._last[0] is fp:
            return self._last[1]
        keys = np.concatenate([self.band_keys(fp.minhash)[0], self.anchor_keys(fp.anchors)])
        self._last = (fp, keys)
        return keys

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
        """Index many entries at once (rebuilding from the store): all in one sorted run."""
        if not len(seqs):
            return
        self._flush()
        numbers = np.asarray(seqs, dtype=np.uint32)
        lengths = np.fromiter(map(len, anchors), np.int64, len(anchors))
        keys = np.concatenate([self.band_keys(minhashes).ravel(),
                               _anchor_mix(np.concatenate(list(anchors)))])  # fmt: skip
        owners = np.concatenate([np.repeat(numbers, self.bands), np.repeat(numbers, lengths)])
        self._push(keys, owners, unique=True)
        while len(self._runs) > 1:  # a bulk load ends as one run: one search per look-up
            newer = self._runs.pop()
            self._runs[-1] = merge(self._runs[-1], newer)
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

    def _push(self, keys: np.ndarray, seqs: np.ndarray, unique: bool = False) -> None:
        self._runs.append(make_run(keys, seqs, unique=unique))
        # Merge while the newest run is at least a quarter of its older neighbour: run
        # sizes then fall by 4x or more, so a look-up searches about log4(n / buffer) runs.
        while len(self._runs) > 1 and self._runs[-1].size * _MERGE >= self._runs[-2].size:
            newer = self._runs.pop()
            self._runs[-1] = merge(self._runs[-1], newer)

    # looking up -------------------------------------------------------------------------

    def query(self, fp: Fingerprint) -> list[Candidate]:
        """Entries sharing a band or an anchor with ``fp``, most bands then anchors first."""
        keys = self.keys(fp)
        seqs, which = self._lookup(keys)
        if not len(seqs):
            return []
        hits: dict[int, list[int]] = {}
        for seq, i in zip(seqs.tolist(), which.tolist(), strict=True):
            hits.setdefault(seq, [0, 0])[i >= self.bands] += 1
        found = [Candidate(seq, b, a) for seq, (b, a) in hits.items()]
        found.sort(key=lambda c: (-c.bands, -c.anchors, c.seq))
        return found

    def _lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(entry numbers, index of the key that found each); a key on more than
        ``common`` entries gives only its earliest ``take_common``."""
        seqs: list[np.ndarray] = []
        which: list[np.ndarray] = []
        for run in self._runs:  # oldest first, so the earliest entries of a key lead
            positions, found = lookup(run, keys)
            seqs.append(run.seqs[positions])
            which.append(found)
        postings = self._buffer.postings
        for i, key in enumerate(keys.tolist()):
            buffered = postings.get(key)
            if buffered:
                seqs.append(np.asarray(buffered, dtype=np.uint32))
                which.append(np.full(len(buffered), i, dtype=np.int64))
        if not seqs:
            return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
        all_seqs, all_which = np.concatenate(seqs), np.concatenate(which)
        crowded = np.bincount(all_which, minlength=len(keys)) > self.common
        if crowded.any():
            order = np.argsort(all_which, kind="stable")
            all_seqs, all_which = all_seqs[order], all_which[order]
            rank = np.arange(len(all_which)) - np.searchsorted(all_which, all_which, "left")
            keep = ~crowded[all_which] | (rank < self.take_common)
            all_seqs, all_which = all_seqs[keep], all_which[keep]
        return all_seqs, all_which

    # accounting -------------------------------------------------------------------------

    def nbytes(self) -> int:
        """Bytes held by the sorted runs plus an estimate for the dict buffer."""
        runs = sum(r.nbytes for r in self._runs)
        # dict slot + int key + list + int per entry, measured with sys.getsizeof
        return runs + self._buffer.entries * 120

    @property
    def runs(self) -> int:
        """How many sorted runs a look-up searches."""
        return len(self._runs)
