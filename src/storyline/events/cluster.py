"""Online clustering: every article joins the best candidate event or founds a new one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storyline.events.features import Features
from storyline.events.index import EventIndex, EventState
from storyline.events.scoring import Model, signals

MAX_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Candidate:
    """One event considered for an article, with every signal and the probability."""

    event_id: int
    signals: dict[str, float]
    probability: float


@dataclass(frozen=True, slots=True)
class Decision:
    """What the clusterer decided for one article, and why."""

    article_id: str
    event_id: int
    action: str  # "joined" or "founded"
    reason: str
    candidates: tuple[Candidate, ...]
    threshold: float


class OnlineClusterer:
    """Assigns articles to events one at a time, using only the index's candidates."""

    def __init__(
        self,
        model: Model,
        index: EventIndex,
        new_event_id: Callable[[], int],
        name_of: Callable[[str], str] = str,
    ) -> None:
        self.model = model
        self.index = index
        self._new_id = new_event_id
        self._name_of = name_of  # a name key as a reader knows it, for the reasons

    def score(self, f: Features) -> list[Candidate]:
        """The candidate events for an article, most probable first."""
        scored = []
        for event in self.index.candidates(f, MAX_CANDIDATES):
            values = signals(f, event)
            scored.append(Candidate(event.id, values, self.model.probability(values)))
        scored.sort(key=lambda c: (-c.probability, c.event_id))
        return scored

    def assign(self, f: Features) -> Decision:
        """Join the most probable event if it clears the threshold, else found one.

        ``f``'s names are weighted by rarity already (``index.rarity.weigh``, once, when
        the article comes); the article's names are counted here.
        """
        scored = self.score(f)
        threshold = self.model.threshold
        if scored and scored[0].probability >= threshold:
            best = scored[0]
            event = self.index.events[best.event_id]
            reason = (
                f"joined event {best.event_id}: p={best.probability:.2f} >= {threshold:.2f} "
                f"(strongest signal: {_strongest(self.model, best)})"
            )
            action = "joined"
            reason += self._continued(event, f)
        else:
            event = EventState(self._new_id())
            if scored:
                reason = (
                    f"founded event {event.id}: best candidate {scored[0].event_id} has "
                    f"p={scored[0].probability:.2f} < {threshold:.2f}"
                )
            else:
                reason = f"founded event {event.id}: no event in the window shares its terms"
            action = "founded"
        if self.index.continuity is not None and self.index.passed_over:
            reason += (
                f"; not considered: event(s) {', '.join(map(str, self.index.passed_over))}, "
                f"more than {self.index.continuity:g} days from this article, and none of"
                " its names identifies them"
            )
        event.add(f)
        self.index.put(event)
        self.index.rarity.observe(f)
        return Decision(f.article_id, event.id, action, reason, tuple(scored), threshold)

    def _continued(self, event: EventState, f: Features) -> str:
        """Why an event past the continuity could take the article: the name it shares."""
        near = self.index.continuity
        if near is None or not f.dated or not event.dated:
            return ""
        past = max(event.first_day - f.day, f.day - event.last_day)
        key = self.index.identifies(event, f) if past > near else None
        if key is None:
            return ""
        name = self._name_of(key)
        return f"; {past:.0f} days from its coverage, found by a name that identifies it: {name}"


def _strongest(model: Model, candidate: Candidate) -> str:
    contributions = {
        name: model.weights.get(name, 0.0) * value for name, value in candidate.signals.items()
    }
    name = max(contributions, key=lambda k: contributions[k])
    return f"{name} {candidate.signals[name]:.2f}"
