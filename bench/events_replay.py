"""Replay the labelled datasets through the events clusterer from cached features.

The features are made once the way the events stage makes them after the understand
stage (``storyline.events.train.understood_features``, USE embeddings) and cached; each
replay then runs the real online clusterer (``train.cluster``) with the shipped model in
under a second, so index and window settings can be compared on GVC, ECB+ and BASIL::

    .venv/bin/python bench/events_replay.py features            # cache (a few minutes)
    .venv/bin/python bench/events_replay.py run                  # shipped settings
    .venv/bin/python bench/events_replay.py run --window 7       # another active window
    .venv/bin/python bench/events_replay.py run --common-share 1 # no common-key cut
    .venv/bin/python bench/events_replay.py run --recluster      # also `storyline recluster`
    .venv/bin/python bench/events_replay.py run --continuity off # no continuity rule

Labels are read only here, for scoring; the features never see them.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.events import index  # noqa: E402
from storyline.events.embed import make_embedder  # noqa: E402
from storyline.events.metrics import score  # noqa: E402
from storyline.events.rarity import NameRarity  # noqa: E402
from storyline.events.recluster import batch_cluster  # noqa: E402
from storyline.events.scoring import default_model  # noqa: E402
from storyline.events.stage import continuity_days, window_days  # noqa: E402
from storyline.events.train import cluster, understood_features  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "build" / "bench" / "events_replay"
FILES = {
    "gvc": DATA / "gvc" / "gvc.jsonl",
    "ecbplus": DATA / "ecbplus" / "ecbplus-dev.jsonl",
    "basil": DATA / "basil" / "basil.jsonl",
}


def build_cache() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    embedder = make_embedder("use")
    for name, path in FILES.items():
        feats, gold = understood_features(path, None, embedder)
        splits = [json.loads(line).get("split") for line in path.open(encoding="utf-8")]
        with (CACHE / f"{name}.pkl").open("wb") as out:
            pickle.dump({"feats": feats, "gold": gold, "splits": splits}, out)
        print(f"{name}: {len(feats)} articles cached", file=sys.stderr)


def weighed(feats: list[Any]) -> tuple[list[Any], NameRarity]:
    """The features as the events stage stores them (names weighed by rarity on
    arrival), and the name counts the workspace holds afterwards."""
    rarity = NameRarity()
    stored = []
    for f in sorted(feats, key=lambda f: f.day):
        stored.append(rarity.weigh(f))
        rarity.observe(stored[-1])
    return stored, rarity


def replay(window: float, continuity: float | None, repair: bool = False) -> dict[str, Any]:
    model = default_model()
    results: dict[str, Any] = {}
    for name in FILES:
        with (CACHE / f"{name}.pkl").open("rb") as source:
            data = pickle.load(source)
        feats, gold = data["feats"], data["gold"]
        labels = {f.article_id: g for f, g in zip(feats, gold, strict=True)}
        sets = {name: feats}
        if name == "gvc":  # the test split alone, as the issue reports it
            split = data["splits"]
            sets["gvc-test"] = [f for f, s in zip(feats, split, strict=True) if s == "test"]
        for label, chosen in sets.items():
            gold = {f.article_id: labels[f.article_id] for f in chosen}
            found = score(gold, cluster(chosen, model, window, continuity))
            results[label] = {
                "pairwise_f1": round(found.pairwise_f1, 3),
                "bcubed_f1": round(found.bcubed_f1, 3),
                "events": found.events,
                "gold_events": found.gold_events,
            }
            if repair:  # what `storyline recluster` over the whole stream makes of it
                stored, rarity = weighed(chosen)
                again = score(gold, batch_cluster(stored, model, window, rarity, continuity))
                results[label]["recluster_pairwise_f1"] = round(again.pairwise_f1, 3)
                results[label]["recluster_bcubed_f1"] = round(again.bcubed_f1, 3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("features", help="cache understood features of every labelled file")
    run = sub.add_parser("run", help="replay every file and score it")
    run.add_argument("--window", type=float, default=None, help="active window in days")
    run.add_argument(
        "--common-share", type=float, default=None,
        help="share of the events in memory above which a key finds no candidates",
    )  # fmt: skip
    run.add_argument("--common-min", type=int, default=None)
    run.add_argument(
        "--continuity", default=None,
        help="days past an event's coverage any article may join it (off: the window)",
    )  # fmt: skip
    run.add_argument("--recluster", action="store_true", help="also score a recluster")
    args = parser.parse_args()
    if args.step == "features":
        build_cache()
        return
    if args.common_share is not None:
        index._COMMON_SHARE = args.common_share
    if args.common_min is not None:
        index._COMMON_MIN = args.common_min
    window = args.window if args.window is not None else window_days()
    if args.continuity is None:
        continuity = continuity_days()
    else:
        continuity = None if args.continuity == "off" else float(args.continuity)
    for label, figures in replay(window, continuity, args.recluster).items():
        print(json.dumps({"set": label, "window": window, "continuity": continuity, **figures}))


if __name__ == "__main__":
    main()
