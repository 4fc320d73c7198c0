"""BERTopic as an event clusterer, on precomputed embeddings (run in BERTopic's own venv).

    /tmp/btvenv/bin/python bench/events_bertopic.py DOCS.json EMBEDDINGS.npy MIN_TOPIC_SIZE

``DOCS.json`` is a JSON list of texts, ``EMBEDDINGS.npy`` their vectors (storyline's USE
embeddings), so no model is downloaded. BERTopic's defaults are kept except UMAP's
``random_state`` (fixed, for repeatable runs) and ``min_topic_size``. Prints JSON: the
topic of every document (-1 for outliers) and the seconds ``fit_transform`` took.
This file imports nothing from storyline: it runs outside the project's environment.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> None:
    """Fit BERTopic and print the topics as JSON."""
    from bertopic import BERTopic
    from umap import UMAP

    docs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    embeddings = np.load(sys.argv[2])
    min_topic_size = int(sys.argv[3])
    umap_model = UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42
    )
    model = BERTopic(embedding_model=None, umap_model=umap_model, min_topic_size=min_topic_size)
    started = time.perf_counter()
    topics, _ = model.fit_transform(docs, embeddings=embeddings)
    seconds = time.perf_counter() - started
    import bertopic

    print(
        json.dumps(
            {
                "topics": [int(t) for t in topics],
                "seconds": round(seconds, 3),
                "bertopic": bertopic.__version__,
                "min_topic_size": min_topic_size,
            }
        )
    )


if __name__ == "__main__":
    main()
