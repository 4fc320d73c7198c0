"""Learn how the event signals combine, from a labelled JSON Lines file.

    python -m storyline.events.train ../shared/data/gvc/gvc.jsonl --splits train,dev

This is a trainer, like a scorer: it reads the gold ``event`` labels (the clustering code
never does). It replays the stream in date order with the gold events as the index, so
every article meets the candidates the real clusterer would retrieve; each
(article, candidate) pair is a training example, labelled by whether the candidate is the
article's gold event. A logistic regression learns the signal weights; the join threshold
is then chosen by running the real online clusterer over the same articles. The result is
written to ``storyline/events/model.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.events.cluster import MAX_CANDIDATES, OnlineClusterer
from storyline.events.embed import Embedder, make_embedder
from storyline.events.features import Features, build_features
from storyline.events.index import EventIndex, EventState
from storyline.events.metrics import Scores, score
from storyline.events.scoring import SIGNALS, Model, signals
from storyline.extract import build_article
from storyline.model import Article, Location, Rejected
from storyline.sources.records import record_doc

LABEL_FIELDS = frozenset({"event", "topic", "split", "main_event", "subtopic"})
DEFAULT_WINDOW = 90.0
_NOW = datetime.now(UTC)  # the ingest time an undated article would get


def read_labelled(
    path: Path, splits: set[str] | None = None, label: str = "event"
) -> Iterator[tuple[Article, str]]:
    """Articles of a labelled file with their gold label; labels never reach the article."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            record = json.loads(line)
            if splits and record.get("split") not in splits:
                continue
            hidden = {k: v for k, v in record.items() if k not in LABEL_FIELDS}
            raw = record_doc(hidden, Location(str(path), line=number), "jsonl")
            built = build_article(raw) if not isinstance(raw, Rejected) else raw
            if isinstance(built, Article):
                yield built, str(record[label])


def understood_features(
    path: Path, splits: set[str] | None, embedder: Embedder, label: str = "event"
) -> tuple[list[Features], list[str]]:
    """Features as the events stage makes them after the understand stage, with labels.

    The file's chosen records are copied without their labels, ingested into a temporary
    workspace with the understand stage on (events off), and featurised from there.
    """
    import tempfile

    from storyline.api import open_workspace
    from storyline.events.stage import stage_features
    from storyline.settings import Settings

    with tempfile.TemporaryDirectory(prefix="storyline-train-") as tmp:
        hidden = Path(tmp) / "train.jsonl"
        gold: dict[str, str] = {}
        with path.open(encoding="utf-8") as source, hidden.open("w", encoding="utf-8") as out:
            for number, line in enumerate(source, start=1):
                record = json.loads(line)
                if splits and record.get("split") not in splits:
                    continue
                gold[f"line {number}"] = str(record[label])
                kept = {k: v for k, v in record.items() if k not in LABEL_FIELDS}
                out.write(json.dumps({**kept, "id": f"line {number}"}) + "\n")
        settings = Settings(db_path=str(Path(tmp) / "t.db"), workers=1, stages=("understand",))
        with open_workspace(settings.db_path, settings) as ws:
            ws.ingest([hidden])
            articles = ws.articles()
            feats: list[Features] = []
            for start in range(0, len(articles), 64):
                chunk = articles[start : start + 64]
                feats += stage_features(ws.store.conn, chunk, embedder, _NOW)
    return feats, [gold[a.external_id or ""] for a in articles]


def featurise(articles: Sequence[Article], embedder: Embedder) -> list[Features]:
    """Features in batches, in the order given."""
    feats: list[Features] = []
    for start in range(0, len(articles), 64):
        feats += build_features(articles[start : start + 64], embedder, _NOW)
    return feats


def training_pairs(
    feats: Sequence[Features], gold: Sequence[str], window: float
) -> tuple[list[list[float]], list[int], float]:
    """(signals, label) for every article-candidate pair; also retrieval recall."""
    index = EventIndex(window)
    states: dict[str, EventState] = {}
    ids = itertools.count(1)
    x: list[list[float]] = []
    y: list[int] = []
    reachable = needed = 0
    for raw, label in sorted(zip(feats, gold, strict=True), key=lambda p: p[0].day):
        f = index.rarity.weigh(raw)
        own = states.get(label)
        found = index.candidates(f, MAX_CANDIDATES)
        if own is not None:
            needed += 1
            reachable += own in found
        for event in found:
            values = signals(f, event)
            x.append([values[name] for name in SIGNALS])
            y.append(int(event is own))
        if own is None:
            own = states[label] = EventState(next(ids))
        own.add(f)
        index.put(own)
        index.rarity.observe(f)
    return x, y, reachable / needed if needed else 1.0


def fit(x: list[list[float]], y: list[int]) -> tuple[dict[str, float], float]:
    """Logistic regression weights and bias."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(x, y)
    weights = {name: round(float(w), 4) for name, w in zip(SIGNALS, model.coef_[0], strict=True)}
    return weights, round(float(model.intercept_[0]), 4)


def cluster(
    feats: Sequence[Features], model: Model, window: float, continuity: float | None = None
) -> dict[str, int]:
    """Run the real online clusterer in date order."""
    ids = itertools.count(1)
    index = EventIndex(window, continuity_days=continuity)
    clusterer = OnlineClusterer(model, index, lambda: next(ids))
    order = sorted(range(len(feats)), key=lambda i: (feats[i].day, i))
    return {
        feats[i].article_id: clusterer.assign(index.rarity.weigh(feats[i])).event_id for i in order
    }


def choose_threshold(
    runs: Sequence[Sequence[Features]], gold: dict[str, str], base: Model, window: float
) -> tuple[float, list[Scores]]:
    """The threshold with the best mean pairwise and BCubed F1 over the training replays.

    Each threshold is judged with its two neighbours on the grid (a plateau beats a
    spike): near-ties between neighbours otherwise decide by noise, and a retrained model
    would move between them with every small change of the features.
    """
    grid = [step / 100 for step in range(10, 91, 5)]
    found: list[tuple[float, list[Scores]]] = []
    for threshold in grid:
        model = Model(base.weights, base.bias, threshold, base.info)
        scores = [score(gold, cluster(feats, model, window)) for feats in runs]
        found.append((sum(s.pairwise_f1 + s.bcubed_f1 for s in scores) / (2 * len(runs)), scores))
    best = best_on_plateau([v for v, _ in found])
    return grid[best], found[best][1]


CONTINUITY_GRID: tuple[float | None, ...] = (1, 2, 3, 5, 7, 10, 14, 21, 30, 60, None)


def choose_continuity(
    runs: Sequence[Sequence[Features]], gold: dict[str, str], model: Model, window: float
) -> tuple[float | None, list[dict[str, Any]]]:
    """How many days past an event's coverage any article may still join it (beyond
    that, only one naming what identifies it), chosen on the training replays.

    Judged like the threshold, with grid neighbours; on a tie the shortest continuity
    wins: the issue's rule that the same actors at another time make another event asks
    for the tightest one the training data does not penalise.
    """
    found: list[dict[str, Any]] = []
    values: list[float] = []
    for days in CONTINUITY_GRID:
        scores = [score(gold, cluster(feats, model, window, days)) for feats in runs]
        values.append(round(sum(s.pairwise_f1 + s.bcubed_f1 for s in scores) / (2 * len(runs)), 4))
        found.append({"days": days, "objective": values[-1]})
    return CONTINUITY_GRID[best_on_plateau(values)], found


def best_on_plateau(values: Sequence[float]) -> int:
    """The index whose value averaged with its neighbours' is highest (ties: own value,
    then the first)."""
    smooth = [sum(values[max(0, i - 1) : i + 2]) / len(values[max(0, i - 1) : i + 2])
              for i in range(len(values))]  # fmt: skip
    return max(range(len(values)), key=lambda i: (smooth[i], values[i], -i))


def time_blind(feats: Sequence[Features]) -> list[Features]:
    """The same articles as if none had a date: teaches what text alone must show."""
    return [replace(f, dated=False) for f in feats]


def train(
    path: Path, splits: set[str], embedder: Embedder, window: float, understand: bool = True
) -> Model:
    """Learn a model from the labelled file's chosen splits."""
    if understand:
        feats, labels = understood_features(path, splits, embedder)
    else:
        pairs = list(read_labelled(path, splits))
        feats, labels = featurise([a for a, _ in pairs], embedder), [g for _, g in pairs]
    gold = {f.article_id: label for f, label in zip(feats, labels, strict=True)}
    x, y, recall = training_pairs(feats, labels, window)
    # Undated streams (ECB+, many feeds) must be learned too: replay the same articles
    # without dates, so the model learns how much more text evidence they need.
    blind = time_blind(feats)
    bx, by, _ = training_pairs(blind, labels, window)
    weights, bias = fit(x + bx, y + by)
    base = Model(weights, bias, 0.5, {})
    threshold, _ = choose_threshold([feats, blind], gold, base, window)
    chosen = Model(weights, bias, threshold, {})
    continuity, tried = choose_continuity([feats, blind], gold, chosen, window)
    scores, blind_scores = (
        score(gold, cluster(run, chosen, window, continuity)) for run in (feats, blind)
    )
    info: dict[str, Any] = {
        "trained_on": f"{path.name} splits {','.join(sorted(splits))}",
        "command": "python -m storyline.events.train " + " ".join(_argv()),
        "articles": len(feats),
        "understand_stage": understand,
        "pairs": len(y),
        "positive_pairs": sum(y),
        "candidate_recall": round(recall, 4),
        "embedder": embedder.name,
        "window_days": window,
        "continuity_days": continuity,
        "continuity_tried": tried,
        "training_scores": scores.as_dict(),
        "training_scores_without_dates": blind_scores.as_dict(),
        "date": datetime.now(UTC).date().isoformat(),
    }
    return Model(weights, bias, threshold, info)


def _argv() -> list[str]:
    import sys

    return sys.argv[1:]


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--splits", default="train,dev")
    parser.add_argument("--embedder", default="use")
    parser.add_argument("--window", type=float, default=DEFAULT_WINDOW)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("model.json"))
    parser.add_argument(
        "--no-understand", action="store_true", help="Heuristic names and stamped dates."
    )
    args = parser.parse_args()
    splits = set(args.splits.split(","))
    embedder = make_embedder(args.embedder)
    model = train(args.file, splits, embedder, args.window, understand=not args.no_understand)
    args.out.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    print(json.dumps(model.to_json(), indent=2))


if __name__ == "__main__":
    main()
