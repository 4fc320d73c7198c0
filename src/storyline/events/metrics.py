"""Clustering scores as defined in ../shared/data/README.md: pairwise, BCubed, ARI."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Scores:
    """Pairwise and BCubed precision/recall/F1, ARI and the number of events."""

    pairwise_p: float
    pairwise_r: float
    pairwise_f1: float
    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    ari: float
    events: int
    gold_events: int
    articles: int

    def as_dict(self) -> dict[str, float]:
        """Rounded values for printing and JSON."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(sizes: Mapping[Any, int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Scores:
    """Score a predicted clustering against gold labels over the items of ``gold``.

    Without items every figure is 1.0, nothing having been got wrong (as pairwise
    precision is without predicted pairs), and the counts are 0.
    """
    items = list(gold)
    if not items:
        return Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0)
    joint = Counter((gold[i], predicted[i]) for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    pred_sizes = Counter(predicted[i] for i in items)
    tp = _pairs(joint)
    pred_pairs, gold_pairs = _pairs(pred_sizes), _pairs(gold_sizes)
    pp = tp / pred_pairs if pred_pairs else 1.0
    pr = tp / gold_pairs if gold_pairs else 1.0
    bp = sum(joint[(gold[i], predicted[i])] / pred_sizes[predicted[i]] for i in items) / len(items)
    br = sum(joint[(gold[i], predicted[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    return Scores(pp, pr, _f1(pp, pr), bp, br, _f1(bp, br), _ari(joint, gold_sizes, pred_sizes,
                  len(items)), len(pred_sizes), len(gold_sizes), len(items))  # fmt: skip


def _ari(
    joint: Counter[tuple[Hashable, Hashable]],
    gold_sizes: Counter[Hashable],
    pred_sizes: Counter[Hashable],
    n: int,
) -> float:
    """Adjusted Rand index from the contingency counts (Hubert and Arabie)."""
    index = _pairs(joint)
    a, b = _pairs(gold_sizes), _pairs(pred_sizes)
    total = n * (n - 1) / 2
    expected = a * b / total if total else 0.0
    maximum = (a + b) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


def clusters(assignment: Mapping[str, Hashable]) -> dict[Hashable, list[str]]:
    """Items grouped by their label."""
    grouped: dict[Hashable, list[str]] = defaultdict(list)
    for item, label in assignment.items():
        grouped[label].append(item)
    return grouped
