"""How far can an article's content alone go on a labelled file? An upper bound.

ECB+ gives one half of each topic no date at all, so which of a topic's two look-alike
events an undated article belongs to must come from its words. This bench clusters the
file in batch from the words alone, with the *gold labels choosing the settings* (the
number of clusters, or the cut of the dendrogram, that scores best): no real system gets
those, so the figures bound what any content-only clustering of these articles can score.

- ``kmeans``: TF-IDF (sublinear, English stop words) of title and text, K-means for every
  K in a range around the gold number of events; the best K.
- ``average``: average-link agglomerative clustering on TF-IDF cosine distance; the best cut.
- ``topic-2``: the most generous: each ECB+ topic's articles apart (the topic given), cut
  into exactly two clusters (the number given) by K-means and by average link; the better.

    .venv/bin/python bench/events_bound.py                       # ECB+, GVC and BASIL
    .venv/bin/python bench/events_bound.py ../shared/data/ecbplus/ecbplus-dev.jsonl

Labels are read here for scoring and for the oracle's choice only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.events.metrics import score  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FILES = [
    DATA / "ecbplus" / "ecbplus-dev.jsonl",
    DATA / "gvc" / "gvc.jsonl",
    DATA / "basil" / "basil.jsonl",
]


def _tfidf(rows: list[dict[str, Any]]) -> Any:
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in rows]
    return TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)


def _scored(rows: list[dict[str, Any]], labels: Any) -> dict[str, Any]:
    gold = {str(r["id"]): r["event"] for r in rows}
    found = score(gold, {str(r["id"]): int(x) for r, x in zip(rows, labels, strict=True)})
    return {"pairwise_f1": round(found.pairwise_f1, 3), "bcubed_f1": round(found.bcubed_f1, 3),
            "events": found.events}  # fmt: skip


def _average_cuts(matrix: Any) -> Any:
    distance = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(distance, checks=False), "average")


def bounds(path: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    matrix = _tfidf(rows)
    gold_events = len({r["event"] for r in rows})
    result: dict[str, Any] = {"file": path.name, "articles": len(rows), "gold_events": gold_events}
    best: dict[str, Any] | None = None
    for k in range(max(2, int(gold_events * 0.7)), int(gold_events * 1.4) + 1, 2):
        labels = KMeans(k, n_init=4, random_state=0).fit_predict(matrix)
        found = {**_scored(rows, labels), "k": k}
        if best is None or found["pairwise_f1"] > best["pairwise_f1"]:
            best = found
    result["kmeans"] = best
    tree = _average_cuts(matrix)
    best = None
    for cut in np.arange(0.50, 0.99, 0.01):
        found = {**_scored(rows, fcluster(tree, cut, "distance")), "cut": round(float(cut), 2)}
        if best is None or found["pairwise_f1"] > best["pairwise_f1"]:
            best = found
    result["average"] = best
    if "topic" in rows[0]:
        result["topic-2"] = _two_per_topic(rows, matrix)
    return result


def _two_per_topic(rows: list[dict[str, Any]], matrix: Any) -> dict[str, Any]:
    """Each topic cut into two clusters from its own articles' TF-IDF rows."""
    topics: dict[Any, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        topics[r["topic"]].append(i)
    labels = np.zeros(len(rows), dtype=int)
    for t, (_, members) in enumerate(sorted(topics.items(), key=lambda kv: str(kv[0]))):
        sub = matrix[members]
        options = [KMeans(2, n_init=10, random_state=0).fit_predict(sub)]
        if len(members) > 2:
            options.append(fcluster(_average_cuts(sub), 2, "maxclust") - 1)
        gold = {n: rows[i]["event"] for n, i in enumerate(members)}
        best = max(options, key=lambda found: score(gold, dict(enumerate(found))).pairwise_f1)
        labels[members] = 2 * t + np.asarray(best)
    return _scored(rows, labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    for path in args.files or [p for p in FILES if p.exists()]:
        print(json.dumps(bounds(path)))


if __name__ == "__main__":
    main()
