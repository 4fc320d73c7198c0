"""Fit the fact-grouping model of storyline.analysis.similarity on hand-labelled pairs.

Reads bench/gold/demo_fact_pairs.json (claim pairs of the demo corpus labelled "same
fact" or not), computes each pair's signals inside its event, and fits a logistic
regression with and without the sentence-embedding signal. Prints the weights to put in
``WEIGHTS_WITH_EMBEDDING`` / ``WEIGHTS_WITHOUT`` and cross-validated precision/recall.

    .venv/bin/python bench/analysis_fit.py [--db build/demo.db]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from analysis_gold import demo_ids  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import cross_val_predict  # noqa: E402

from storyline import open_workspace  # noqa: E402
from storyline.analysis import inputs  # noqa: E402
from storyline.analysis.claims import article_claims  # noqa: E402
from storyline.analysis.similarity import signals  # noqa: E402
from storyline.api import Workspace  # noqa: E402
from storyline.events.embed import make_embedder  # noqa: E402
from storyline.settings import Settings  # noqa: E402

PAIRS = ROOT / "bench" / "gold" / "demo_fact_pairs.json"
NAMES = ("embedding", "words", "overlap", "entities", "tense", "days")


def _hash(text: str) -> str:
    return hashlib.blake2b(" ".join(text.split()).encode(), digest_size=4).hexdigest()


def features(ws: Workspace) -> tuple[np.ndarray, np.ndarray]:
    """(signals, labels) of the labelled pairs, each computed among its events' claims."""
    conn = ws.store.conn
    ids = demo_ids(ws)
    embedder = make_embedder()
    pairs = json.loads(PAIRS.read_text())["pairs"]
    member = {
        a: e
        for e in (r["id"] for r in ws.events(limit=10_000))
        for a in inputs.event_article_ids(conn, e)
    }
    rows, labels, cache = [], [], {}
    for p in pairs:
        a, b = ids[p["a"]], ids[p["b"]]
        events = tuple(sorted({member[a], member[b]}))
        if events not in cache:
            articles = [x for e in events for x in inputs.event_article_ids(conn, e)]
            by = inputs.load(conn, articles)
            claims = [c for i in by.values() for c in article_claims(i, by)]
            found = signals(claims, embedder, inputs.vector_cache(conn, embedder.name))
            cache[events] = (found, {(c.article_id, c.index): (n, c) for n, c in enumerate(claims)})
        found, where = cache[events]
        (i, ca), (j, cb) = where[(a, p["ai"])], where[(b, p["bi"])]
        if _hash(ca.text) != p["ah"] or _hash(cb.text) != p["bh"]:
            raise SystemExit(f"sentence changed: {p}: the splitter moved; relabel the pairs")
        rows.append([float(getattr(found, n)[i, j]) for n in NAMES])
        labels.append(int(p["same"]))
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, columns: list[int], name: str) -> None:
    """Fit, print the weights and cross-validated precision/recall at a few thresholds."""
    model = LogisticRegression(C=3.0, max_iter=1000)
    predicted = cross_val_predict(model, x[:, columns], y, cv=5, method="predict_proba")[:, 1]
    model.fit(x[:, columns], y)
    weights = dict.fromkeys(NAMES, 0.0)
    weights.update(
        {NAMES[c]: round(float(w), 3) for c, w in zip(columns, model.coef_[0], strict=True)}
    )
    weights["bias"] = round(float(model.intercept_[0]), 3)
    print(f"{name}: {weights}")
    for t in (0.5, 0.6, 0.7):
        chosen = predicted >= t
        tp = int((chosen & (y == 1)).sum())
        print(
            f"  p >= {t}: precision {tp / max(1, chosen.sum()):.2f}, "
            f"recall {tp / max(1, (y == 1).sum()):.2f} ({int(chosen.sum())} pairs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a workspace holding the demo corpus (default: ingest it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "demo.db")
        ws = open_workspace(path, Settings(workers=1))
        if not args.db:
            ws.ingest([ROOT / "examples" / "demo" / "corpus"])
        x, y = features(ws)
        ws.close()
    print(f"{len(y)} pairs, {int(y.sum())} labelled same")
    fit(x, y, [0, 1, 2, 3, 4, 5], "with embedding")
    fit(x, y, [1, 2, 3, 4, 5], "without embedding")


if __name__ == "__main__":
    main()
