"""How rare each name is in the stream so far, to weigh an article's names.

Two articles that share "Donald Trump" in a stream of political news share less than two
that share the name of a shooting victim: a name found in many of the articles seen so
far says little about which event an article belongs to. The counts (articles per name)
grow as articles are clustered and are kept in the workspace, so a reopened workspace
weighs names as the stream has so far; the same input in the same order gives the same
weights.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the index holds a NameRarity; this is only a type here
    from storyline.events.features import Features


class NameRarity:
    """Articles per name key and in all, and the inverse-frequency weight they give."""

    def __init__(self, counts: Mapping[str, int] | None = None, total: int = 0) -> None:
        self.counts: dict[str, int] = dict(counts or {})
        self.total = total
        self._top = math.log(total + 1) + 1.0  # log(N + 1) + 1, kept up to date

    def weight(self, key: str) -> float:
        """log((N + 1) / (n + 1)) + 1: 1 for a name in every article, more for rarer ones."""
        return self._top - math.log(self.counts.get(key, 0) + 1)

    def observe(self, f: Features) -> None:
        """Count an article's names (after it has been clustered)."""
        self.total += 1
        self._top = math.log(self.total + 1) + 1.0
        counts = self.counts
        for key in f.names:
            counts[key] = counts.get(key, 0) + 1

    def without(self, feats: Iterable[Features]) -> NameRarity:
        """A copy without these articles' counts (a replay of them counts them again)."""
        counts = dict(self.counts)
        total = self.total
        for f in feats:
            total -= 1
            for key in f.names:
                left = counts.get(key, 0) - 1
                if left > 0:
                    counts[key] = left
                else:
                    counts.pop(key, None)
        return NameRarity(counts, max(total, 0))

    def weigh(self, f: Features) -> Features:
        """The article with its names weighted by rarity (L2-normalised again).

        Done once, when the article comes, before it is clustered; its stored features
        keep these weights, so a reopened workspace or a re-cluster sees what the online
        clusterer saw, and an event's names are the sum of its articles' weighted names.
        """
        if not f.names:
            return f
        weighted = {k: w * self.weight(k) for k, w in f.names.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        return replace(f, names={k: w / norm for k, w in weighted.items()})
