"""Fingerprint a text for copy look-ups: a datasketch MinHash and winnowed anchors.

- the **MinHash** (datasketch's ``affine32`` scheme, 64 permutations) over the word
  5-shingles inside each paragraph (so reordered paragraphs keep their shingles)
  estimates the Jaccard similarity of two whole texts: the LSH bands over it find near
  duplicates;
- the **anchors** are the word 8-shingles that winnowing selects (the smallest hash in
  every window of 16; Schleimer et al. 2003): two texts that share any run of 23 or
  more words share at least one anchor, however much other text surrounds it, which is
  what finds partial reuse that whole-text similarity misses. Eight words rather than
  five, because common five-word phrases ("said in a statement on Monday") made most
  anchor matches between unrelated articles.

The MinHash values are exactly what ``datasketch.MinHash.update_batch`` computes with
the same permutations (a test holds them equal); the permutation step is done here in
one vectorised call because ``update_batch`` spends most of its time in a Python loop
over the input hashes, and fingerprinting must keep up with 2,000 articles a second.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

NUM_PERM = 64
SEED = 1
SHINGLE = 5
ANCHOR_SHINGLE = 8
WINDOW = 16
SCHEME = "affine32"
PARAMS = (
    f"minhash={SCHEME}/{NUM_PERM}/{SEED};shingle={SHINGLE};anchors={ANCHOR_SHINGLE}/{WINDOW};v2"
)

BREAK = "\x01"  # the token that stands for a paragraph break
_TOKEN = re.compile(r"\w+|\x01")
_BREAKS = re.compile(r"\n\s*\n")
# ASCII text: every character that is not part of a word (as \w+ reads it) becomes a
# space, then str.split: twice as fast as the regular expression.
_ASCII_WORDS = str.maketrans(
    {chr(i): " " for i in range(128) if not (chr(i).isalnum() or chr(i) in "_\x01")}
)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_U64_MAX = np.iinfo(np.uint64).max
_SENTINEL = np.uint64(0x5EA1_5EA1_5EA1_5EA1)  # the hash of a paragraph break
_MAX_CACHED_TOKENS = 500_000


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """What the copy index keeps of a text (``eq=False``: numpy arrays do not compare)."""

    words: int
    minhash: np.ndarray  # uint32[NUM_PERM]
    anchors: np.ndarray  # uint64, sorted, unique

    def lean_minhash(self) -> LeanMinHash:
        """This fingerprint as a datasketch ``LeanMinHash``."""
        return LeanMinHash(seed=SEED, hashvalues=self.minhash, scheme=SCHEME)


@lru_cache(maxsize=1)
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) permutation parameters of datasketch's MinHash with our seed."""
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return a.reshape(1, -1), b.reshape(1, -1)


def tokens(text: str) -> list[str]:
    """Case-folded word tokens, with ``BREAK`` marking paragraph breaks."""
    if text.isascii():  # already NFKC, and lower() is casefold() on it, only faster
        folded = text.lower()
        if "\n" in folded:
            folded = _BREAKS.sub(f" {BREAK} ", folded)
        return folded.translate(_ASCII_WORDS).split()
    folded = unicodedata.normalize("NFKC", text).casefold()
    if "\n" in folded:
        folded = _BREAKS.sub(f" {BREAK} ", folded)
    return _TOKEN.findall(folded)


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of an article's text."""
    toks = tokens(text)
    if not toks:
        return Fingerprint(0, minhash_values(np.zeros(0, np.uint64)), np.zeros(0, np.uint64))
    hashes = _hash_tokens(toks)
    count = len(toks) - toks.count(BREAK)
    minhash = minhash_values(_paragraph_shingles(hashes))
    return Fingerprint(count, minhash, winnow(_rolling(hashes, ANCHOR_SHINGLE)))


def shingles(toks: list[str]) -> np.ndarray:
    """64-bit hashes of the word 5-shingles inside each paragraph.

    Every paragraph break becomes four sentinel tokens, and four more open and close the
    text, so no window of five tokens holds words of two paragraphs and every paragraph
    gives the same shingles wherever it stands (reordered paragraphs keep them all); a
    paragraph shorter than five words still gives shingles. One vectorised pass.
    """
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    return _paragraph_shingles(_hash_tokens(toks))


def _paragraph_shingles(hashes: np.ndarray) -> np.ndarray:
    breaks = np.flatnonzero(hashes == _SENTINEL)
    pad = SHINGLE - 1
    at = np.concatenate([np.zeros(pad, np.int64), np.repeat(breaks, pad - 1),
                         np.full(pad, len(hashes), np.int64)])  # fmt: skip
    return _rolling(np.insert(hashes, at, _SENTINEL), SHINGLE)


def _rolling(hashes: np.ndarray, width: int) -> np.ndarray:
    """Hashes of every run of ``width`` tokens (fewer tokens: one hash of them all)."""
    width = min(width, len(hashes))
    count = len(hashes) - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        acc = (acc * _MIX) ^ hashes[j : j + count]
    return _fmix64(acc)


class _TokenHashes:
    """Token -> 64-bit blake2b hash, memoised: a dict of small numbers into a numpy table,
    so hashing a text is one list of dict look-ups and one gather. Bounded: past
    ``_MAX_CACHED_TOKENS`` tokens it starts afresh (a miss only costs one blake2b call).

    Not a dataclass: a mutable cache behind one call.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.table = np.zeros(0, dtype=np.uint64)
        self.clear()

    def clear(self) -> None:
        """Forget every token but the paragraph break."""
        self.numbers = {BREAK: 0}
        self.table = np.full(4096, _SENTINEL, dtype=np.uint64)

    def __call__(self, toks: list[str]) -> np.ndarray:
        if len(self.numbers) > _MAX_CACHED_TOKENS:
            self.clear()
        get = self.numbers.get
        numbers = [get(t, -1) for t in toks]
        if -1 in numbers:
            numbers = [self._number(t) if n < 0 else n for n, t in zip(numbers, toks, strict=True)]
        return self.table[np.array(numbers, dtype=np.int64)]

    def _number(self, token: str) -> int:
        number = self.numbers.get(token)
        if number is not None:
            return number  # a new token seen twice in one text
        number = self.numbers[token] = len(self.numbers)
        if number >= len(self.table):
            self.table = np.concatenate([self.table, np.zeros_like(self.table)])
        digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
        self.table[number] = int.from_bytes(digest, "little")
        return number


_hash_tokens = _TokenHashes()


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads the bits of every value (wrapping)."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def input_hashes(shingle_hashes: np.ndarray) -> np.ndarray:
    """The 32-bit values fed to the MinHash: the high half of each shingle hash."""
    return (shingle_hashes >> np.uint64(32)).astype(np.uint32)


def minhash_values(shingle_hashes: np.ndarray) -> np.ndarray:
    """datasketch ``MinHash.update_batch(input_hashes(...))`` values, vectorised."""
    a, b = permutations()
    if len(shingle_hashes) == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    hv = _fmix32(input_hashes(shingle_hashes).reshape(-1, 1))
    return np.asarray((hv * a + b).min(axis=0), dtype=np.uint32)


def winnow(shingle_hashes: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """The winnowed anchors: the minimum hash of every window of ``window`` shingles."""
    n = len(shingle_hashes)
    if n <= window:
        return np.unique(shingle_hashes[:1] if n == 0 else shingle_hashes.min(keepdims=True))
    return np.unique(sliding_min(shingle_hashes, window))


def sliding_min(values: np.ndarray, window: int) -> np.ndarray:
    """Minimum of every window of ``window`` values (van Herk/Gil-Werman, O(n))."""
    n = len(values)
    blocks = -(-n // window)
    padded = np.full(blocks * window, _U64_MAX, dtype=values.dtype)
    padded[:n] = values
    grid = padded.reshape(blocks, window)
    prefix = np.minimum.accumulate(grid, axis=1).ravel()
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    starts = np.arange(n - window + 1)
    return np.minimum(suffix[starts], prefix[starts + window - 1])


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two MinHash value arrays (datasketch's estimator)."""
    return float(np.count_nonzero(a == b)) / len(a)
