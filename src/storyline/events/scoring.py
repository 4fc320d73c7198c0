"""Signals that compare an article with a candidate event, and how they are combined.

The combination is a logistic model whose weights are learned from labelled training
data (``python -m storyline.events.train``; see BENCHMARKS.md) and shipped in
``model.json`` beside this module; nothing here is tuned per dataset.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.events.features import Features
from storyline.events.index import EventState
from storyline.events.text import cosine

SIGNALS = ("text", "nearest", "title", "names", "embedding", "gap", "peak", "undated")
"""text/title: cosine of TF-IDF and title vectors with the event's centroids;
names: cosine of the name vectors, whose names are weighted by how rare they were in the
stream when the article came (``NameRarity``: "Donald Trump" in a stream of politics tells
less than a shooting victim's name);
nearest: the best TF-IDF cosine with one of the event's recent articles (a centroid blurs
as an event grows; its closest article does not);
embedding: cosine with the mean embedding; gap: log(1 + days outside the event's first..last
range); peak: log(1 + days from its busiest day); undated: 1 when the article or the event
has no date (the two time signals are then 0);
the event's size is deliberately not a signal: a learned size prior says more about the
training set's event sizes than about the article."""


def signals(f: Features, event: EventState) -> dict[str, float]:
    """Every signal for one article-event pair."""
    unit = event.unit_vector()
    embedding = float(np.dot(f.vector, unit)) if unit is not None and f.vector.size else 0.0
    timed = f.dated and event.dated
    outside = max(0.0, event.first_day - f.day, f.day - event.last_day) if timed else 0.0
    busiest = event.busiest_day()
    peak = abs(f.day - busiest) if timed and busiest is not None else 0.0
    return {
        "text": cosine(f.terms, event.centroid("terms")),
        "title": cosine(f.title, event.centroid("title")),
        "names": cosine(f.names, event.centroid("names")),
        "embedding": embedding,
        "gap": math.log1p(outside),
        "peak": math.log1p(peak),
        "undated": 0.0 if timed else 1.0,
        "nearest": max((cosine(f.terms, m.terms) for m in event.recent), default=0.0),
    }


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic combination of the signals, with the join threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float
    info: dict[str, Any]

    def probability(self, values: dict[str, float]) -> float:
        """How likely the article belongs to the event."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> dict[str, Any]:
        """The model as stored in model.json."""
        return {
            "weights": self.weights,
            "bias": self.bias,
            "threshold": self.threshold,
            "info": self.info,
        }


def model_from_json(data: dict[str, Any]) -> Model:
    """A model from its JSON form."""
    return Model(
        weights={k: float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        info=dict(data.get("info", {})),
    )


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped model (``storyline/events/model.json``)."""
    text = resources.files("storyline.events").joinpath("model.json").read_text("utf-8")
    return model_from_json(json.loads(text))
