"""Peer event clusterers for the events benchmark, scored with storyline's own metrics.

- ``single_pass``: a TF-IDF centroid single pass, the classic news-event clusterer. Every
  article, in date order, joins the open cluster whose centroid is most similar if the
  cosine reaches a threshold, else founds a cluster. Two closing rules:
  ``first`` (Event Registry style: a cluster closes ``days`` after its first article) and
  ``last`` (a sliding window: it closes ``days`` after its latest article). TF-IDF is
  scikit-learn's ``TfidfVectorizer`` fitted on the dataset's own title and text (English
  stop words, sublinear term frequency). Undated articles see every cluster as open.
- BERTopic runs in its own virtualenv (``bench/events_bertopic.py``) on precomputed
  embeddings; this module writes its input and reads its topics back.

Peers read the same articles as storyline (``storyline.events.train.read_labelled``:
the real extraction, labels removed) and are scored with ``storyline.events.metrics``.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from storyline.events.features import lead, to_day
from storyline.events.metrics import score
from storyline.model import Article


@dataclass(frozen=True, slots=True)
class SinglePass:
    """One TF-IDF single-pass configuration."""

    name: str
    threshold: float
    days: float
    closes_after: str  # "first" or "last" article of the cluster


PEERS = (
    SinglePass("Event Registry style (cos >= 0.4, closed 4 days after first)", 0.4, 4.0, "first"),
    SinglePass("README baseline (7-day window, cos >= 0.2)", 0.2, 7.0, "last"),
    SinglePass("README baseline (7-day window, cos >= 0.3)", 0.3, 7.0, "last"),
)


def article_text(article: Article) -> str:
    """What a peer reads: the title and the body."""
    return f"{article.title}\n{article.text}"


def date_order(articles: Sequence[Article]) -> list[int]:
    """Indices in publication order (undated last, in input order), as a stream would be."""
    return sorted(
        range(len(articles)),
        key=lambda i: (articles[i].published is None, _day(articles[i]) or 0.0, i),
    )


def _day(article: Article) -> float | None:
    return to_day(article.published) if article.published is not None else None


def vectorise(articles: Sequence[Article]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows, fitted on these articles."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    return vectoriser.fit_transform([article_text(a) for a in articles]).tocsr()


def single_pass(
    matrix: sparse.csr_matrix, days: Sequence[float | None], order: Sequence[int], peer: SinglePass
) -> list[int]:
    """Cluster ids per row: join the most similar open centroid at ``peer.threshold``.

    Centroids are kept as dense sums (clusters x vocabulary); an article's cosine with
    every centroid costs one gather over its own non-zero terms.
    """
    n_rows, n_terms = matrix.shape
    sums = np.zeros((16, n_terms), dtype=np.float32)
    norms = np.zeros(16, dtype=np.float32)
    first: list[float | None] = []
    last: list[float | None] = []
    labels = [-1] * n_rows
    for i in order:
        start, stop = matrix.indptr[i], matrix.indptr[i + 1]
        terms, weights = matrix.indices[start:stop], matrix.data[start:stop]
        day, count, best = days[i], len(first), -1
        if count:
            cosines = (sums[:count, terms] @ weights) / np.maximum(norms[:count], 1e-12)
            for c in np.argsort(-cosines, kind="stable"):
                if cosines[c] < peer.threshold:
                    break
                anchor = first[c] if peer.closes_after == "first" else last[c]
                if day is None or anchor is None or day <= anchor + peer.days:
                    best = int(c)
                    break
        if best < 0:
            best = count
            if count == sums.shape[0]:
                sums = np.vstack([sums, np.zeros_like(sums)])
                norms = np.concatenate([norms, np.zeros_like(norms)])
            first.append(day)
            last.append(day)
        elif day is not None:
            first[best] = day if first[best] is None else min(first[best], day)
            last[best] = day if last[best] is None else max(last[best], day)
        # |s + w|^2 = |s|^2 + 2 s.w + |w|^2, so the norm needs only the article's terms
        grown = norms[best] ** 2 + 2 * float(sums[best, terms] @ weights) + float(weights @ weights)
        sums[best, terms] += weights
        norms[best] = np.sqrt(grown)
        labels[i] = best
    return labels


def run_single_pass(
    articles: Sequence[Article], gold: Sequence[str], peer: SinglePass
) -> dict[str, Any]:
    """Scores and speed of one single-pass peer on a dataset (vectorising included)."""
    started = time.perf_counter()
    matrix = vectorise(articles)
    fitted = time.perf_counter()
    labels = single_pass(matrix, [_day(a) for a in articles], date_order(articles), peer)
    done = time.perf_counter()
    scores = score(
        {str(i): g for i, g in enumerate(gold)}, {str(i): c for i, c in enumerate(labels)}
    )
    return {
        "system": peer.name,
        **scores.as_dict(),
        "seconds": round(done - started, 3),
        "cluster_seconds": round(done - fitted, 3),
        "articles_per_second": round(len(articles) / (done - started), 1),
        "cluster_articles_per_second": round(len(articles) / (done - fitted), 1),
    }


def write_bertopic_input(
    articles: Sequence[Article], vectors: np.ndarray, folder: Path, name: str
) -> tuple[Path, Path]:
    """Documents (title and text) and their USE embeddings (of title and lead) for BERTopic."""
    folder.mkdir(parents=True, exist_ok=True)
    docs, embeddings = folder / f"{name}.docs.json", folder / f"{name}.use.npy"
    docs.write_text(json.dumps([article_text(a) for a in articles]), encoding="utf-8")
    np.save(embeddings, np.asarray(vectors, dtype=np.float32))
    return docs, embeddings


def embed_leads(articles: Sequence[Article], embedder: Any) -> tuple[np.ndarray, float]:
    """USE embeddings of each article's lead (storyline's own embedding text) and seconds."""
    started = time.perf_counter()
    parts = [
        embedder.embed([lead(a) for a in articles[s : s + 64]]) for s in range(0, len(articles), 64)
    ]
    return np.vstack(parts), time.perf_counter() - started


def run_bertopic(
    python: Path, docs: Path, embeddings: Path, min_topic_size: int, timeout: float = 600
) -> dict[str, Any]:
    """Run ``events_bertopic.py`` with the BERTopic virtualenv's Python; its JSON result."""
    script = Path(__file__).with_name("events_bertopic.py")
    command = [str(python), str(script), str(docs), str(embeddings), str(min_topic_size)]
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def score_topics(topics: Sequence[int], gold: Sequence[str]) -> dict[str, Any]:
    """Topics as events: each topic one event, each outlier (-1) an event of its own."""
    predicted = {str(i): (f"t{t}" if t >= 0 else f"o{i}") for i, t in enumerate(topics)}
    return score({str(i): g for i, g in enumerate(gold)}, predicted).as_dict()
