"""How likely two claims state the same fact: embeddings, words, entities, tense, dates.

Six signals per pair of claims: the cosine of their sentence embeddings (the multilingual
Universal Sentence Encoder of the events stage, or none), the TF-IDF cosine and the
weighted overlap coefficient of their content words (wordfreq's background IDF; numbers
and names left out, so a disagreement on a figure does not hide that two sentences speak
of the same thing), the cosine of their canonical entities (weighted by how rare each is
among the event's claims, so the two presidents of every sentence weigh little), whether
one speaks of the future and the other not ("will sign" / "signed"), and whether both
name a day and the days differ. A logistic model turns them into the probability that the
two claims state the same fact. Its weights were fitted on 147 hand-labelled claim pairs
of the demo corpus (``bench/gold/demo_fact_pairs.json``, refitted by
``bench/analysis_fit.py``). Sentences with the same normalised words score 1.

Embedding a sentence is the costly part (about 2 ms of CPU each), so only the claims the
embedding could decide are embedded: those with a claim of another article whose other
signals, plus an embedding signal of ``EMBEDDING_GATE``, would reach the grouping
threshold. The others cannot join any fact whatever their embedding, short of a
near-perfect paraphrase with no content word in common; their embedding signal is 0.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from storyline.analysis.grouping import GROUP_THRESHOLD
from storyline.analysis.quantities import singular
from storyline.events.embed import Embedder
from storyline.events.text import idf, tokens, zipf
from storyline.model import Claim

# Logistic weights (bench/analysis_fit.py): with and without sentence embeddings.
WEIGHTS_WITH_EMBEDDING = {
    "embedding": 3.184,
    "words": 1.992,
    "overlap": 2.563,
    "entities": 0.621,
    "tense": -1.257,
    "days": -1.683,
    "bias": -3.715,
}
WEIGHTS_WITHOUT = {
    "embedding": 0.0,
    "words": 3.185,
    "overlap": 2.146,
    "entities": 1.008,
    "tense": -1.506,
    "days": -1.372,
    "bias": -2.764,
}
# USE cosines of unrelated news sentences sit around 0.1-0.3: rescale to 0..1 from here.
EMBEDDING_FLOOR = 0.25
# The embedding signal assumed at most when choosing which claims to embed (see above):
# 99.9% of the cross-article claim pairs of 50 BASIL articles score under 0.43.
EMBEDDING_GATE = 0.8
FUTURE = re.compile(
    r"\b(?:will|shall)\b|\b(?:is|are|was|were) (?:expected|due|set|scheduled|going) to\b|"
    r"\bplans? to\b|\bnext (?:week|month|year)\b|\btomorrow\b|\blater this\b|\bto meet\b",
    re.IGNORECASE,
)

# A capitalised word that does not open the sentence: a name, left to the entities signal.
_NAME = re.compile(r"(?<=[\w,;:’'”)] )[A-Z][\w'’-]*")
_NAME_ZIPF = 3.0  # a capitalised first word rarer than this is a name

VectorCache = Callable[[list[str], Callable[[list[str]], np.ndarray]], np.ndarray]


@dataclass(frozen=True, slots=True)
class Signals:
    """The pairwise signals of a list of claims (each an n x n array)."""

    embedding: np.ndarray
    words: np.ndarray
    overlap: np.ndarray
    entities: np.ndarray
    tense: np.ndarray
    days: np.ndarray
    same_text: np.ndarray
    has_embedding: bool

    def logit(
        self, embedding: np.ndarray | float | None = None, weights: dict[str, float] | None = None
    ) -> np.ndarray:
        """The model's log-odds that each pair states the same fact; ``embedding`` stands
        in for the embedding signal, ``weights`` for the model's, when given."""
        w = weights or (WEIGHTS_WITH_EMBEDDING if self.has_embedding else WEIGHTS_WITHOUT)
        return (
            w["bias"]
            + w["embedding"] * (self.embedding if embedding is None else embedding)
            + w["words"] * self.words
            + w["overlap"] * self.overlap
            + w["entities"] * self.entities
            + w["tense"] * self.tense
            + w["days"] * self.days
        )

    def combined(self) -> np.ndarray:
        """The probability that each pair states the same fact (1 on the diagonal)."""
        score = (1.0 / (1.0 + np.exp(-self.logit()))).astype(np.float32)
        score[self.same_text] = 1.0
        np.fill_diagonal(score, 1.0)
        return score


def _possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


def text_key(text: str) -> str:
    """A stable key of a sentence's normalised words (equal for reprinted sentences)."""
    norm = " ".join(re.findall(r"\w+", text.casefold()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=10).hexdigest()


def signals(claims: Sequence[Claim], embedder: Embedder, cache: VectorCache | None) -> Signals:
    """Every pairwise signal of ``claims``."""
    keys = [text_key(c.text) for c in claims]
    key_ids = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    codes = np.array([key_ids[k] for k in keys], dtype=np.int64)
    same_text = codes[:, None] == codes[None, :]
    tfidf, present = _word_matrices(claims)
    future = np.array([bool(FUTURE.search(c.text)) for c in claims])
    found = Signals(
        embedding=np.zeros(same_text.shape, dtype=np.float32),
        words=_cosine(tfidf),
        overlap=_overlap(present),
        entities=_cosine(_entity_matrix(claims)),
        tense=(future[:, None] != future[None, :]).astype(np.float32),
        days=_different_days(claims),
        same_text=same_text,
        has_embedding=embedder.dim > 0,
    )
    if found.has_embedding and claims:
        chosen = embedding_candidates(claims, found)
        emb = _embedding_cosine([claims[i] for i in chosen], embedder, cache)
        found.embedding[np.ix_(chosen, chosen)] = emb
    return found


def embedding_candidates(claims: Sequence[Claim], found: Signals) -> np.ndarray:
    """Indices of the claims whose embedding could decide whether they join a fact: some
    claim of another article reaches ``GROUP_THRESHOLD`` with an embedding signal of
    ``EMBEDDING_GATE`` and the other signals as they are."""
    logit = found.logit(EMBEDDING_GATE, WEIGHTS_WITH_EMBEDDING)
    articles = np.array([c.article_id for c in claims])
    other = articles[:, None] != articles[None, :]
    threshold = math.log(GROUP_THRESHOLD / (1.0 - GROUP_THRESHOLD))
    reachable = (logit >= threshold) & other & ~found.same_text
    return np.flatnonzero(reachable.any(axis=1))


def content_words(text: str) -> list[str]:
    """Stems of the content words, without numbers and names (entities weigh apart)."""
    return [stem for stem, _ in content_terms(text)]


@lru_cache(maxsize=65536)
def content_terms(text: str) -> tuple[tuple[str, str], ...]:
    """(stem, word) of each content word: numbers and names left out."""
    names = {m.group(0).lower() for m in _NAME.finditer(text)}
    first = re.match(r"\W*([A-Z][\w'’-]*)", text)
    if first and zipf(_possessive(first.group(1).lower())) < _NAME_ZIPF:
        names.add(first.group(1).lower())
    names |= {_possessive(n) for n in names}
    return tuple((stem(t), t) for t in tokens(text) if not t[0].isdigit() and t not in names)


def stem(word: str) -> str:
    """A light English stem: plural, -ing and -ed endings and a final e cut, so
    "strike", "striking" and "strikes" share "strik"."""
    word = singular(word)
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _word_matrices(claims: Sequence[Claim]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(TF-IDF weights, IDF of each word present) of the claims' content words."""
    vocab: dict[str, int] = {}
    rows, cols, tfidf, present = [], [], [], []
    weight: dict[str, float] = {}  # a stem weighs what its first word weighs
    for i, claim in enumerate(claims):
        terms = content_terms(claim.text)
        for stem_, word in terms:
            weight.setdefault(stem_, idf(word))
        for stem_, n in Counter(s for s, _ in terms).items():
            rows.append(i)
            cols.append(vocab.setdefault(stem_, len(vocab)))
            tfidf.append((1.0 + math.log(n)) * weight[stem_])
            present.append(weight[stem_])
    shape = (len(claims), max(1, len(vocab)))
    return (
        sparse.csr_matrix((tfidf, (rows, cols)), shape=shape),
        sparse.csr_matrix((present, (rows, cols)), shape=shape),
    )


def _entity_matrix(claims: Sequence[Claim]) -> sparse.csr_matrix:
    df = Counter(e for c in claims for e in set(c.entities))
    vocab = {e: j for j, e in enumerate(sorted(df))}
    n = max(1, len(claims))
    rows, cols, vals = [], [], []
    for i, claim in enumerate(claims):
        for entity in set(claim.entities):
            rows.append(i)
            cols.append(vocab[entity])
            vals.append(math.log(1.0 + n / df[entity]))
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(claims), max(1, len(vocab))))


def _cosine(matrix: sparse.csr_matrix) -> np.ndarray:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sparse.diags(1.0 / norms) @ matrix
    return np.asarray((unit @ unit.T).todense(), dtype=np.float32)


def _overlap(weights: sparse.csr_matrix) -> np.ndarray:
    """Weighted overlap coefficient of the word sets: shared IDF mass over the smaller
    sentence's, so a short sentence contained in a long one scores high."""
    binary = weights.copy()
    binary.data = np.ones_like(binary.data)
    shared = np.asarray((weights @ binary.T).todense(), dtype=np.float32)
    mass = np.asarray(weights.sum(axis=1)).ravel()
    smaller = np.minimum(mass[:, None], mass[None, :])
    smaller[smaller == 0] = 1.0
    out = shared / smaller
    return np.minimum(out, out.T)


def _different_days(claims: Sequence[Claim]) -> np.ndarray:
    """1 where both claims name days (resolved dates) and none is the same."""
    days = [
        frozenset(d.value for d in c.dates if d.value and d.granularity == "day") for c in claims
    ]
    n = len(claims)
    out = np.zeros((n, n), dtype=np.float32)
    dated = [i for i in range(n) if days[i]]
    for x, i in enumerate(dated):
        for j in dated[x + 1 :]:
            if not days[i] & days[j]:
                out[i, j] = out[j, i] = 1.0
    return out


def _embedding_cosine(
    claims: Sequence[Claim], embedder: Embedder, cache: VectorCache | None
) -> np.ndarray:
    if not claims:
        return np.zeros((0, 0), dtype=np.float32)
    texts = [c.text for c in claims]
    vectors = cache(texts, embedder.embed) if cache is not None else embedder.embed(texts)
    cos = np.clip(vectors @ vectors.T, -1.0, 1.0)
    return np.clip((cos - EMBEDDING_FLOOR) / (1.0 - EMBEDDING_FLOOR), 0.0, 1.0).astype(np.float32)
