"""Events clustering alone, at scale: articles/s, per-article cost and memory to 1M articles.

The Gun Violence Corpus (``../shared/data/gvc/gvc.jsonl``, 508 articles) is featurised
once with the real embedder (``use``) and cached; the cached features are then replayed
as an endless, stationary stream: copy ``k`` of every article is shifted by ``k * offset``
days and gets a new id, so the stream carries ``508 / offset`` articles a day at every
point in time and the first 10k articles of a 1M run are the same as those of a 10k run.
Copies are made new events, not repeats of the old ones, by giving each copy its own
capitalised names and its own rare terms (a term in fewer than ``--shared-df`` of the
articles gets a per-copy suffix); common terms stay shared across copies, so the index's
posting lists grow as in a single-topic stream of that density. With ``--offset`` longer
than the corpus's span plus two windows, copies never overlap in time and nothing needs
renaming (``--sparse``).

Every article goes through exactly what the events stage does per article, minus the
store: ``OnlineClusterer.assign`` then ``EventIndex.expire``. Each window of 10k articles
reports its seconds, the events in memory and the process's RSS.

    .venv/bin/python bench/events_scale.py features          # cache GVC features (USE)
    .venv/bin/python bench/events_scale.py run -n 100000     # one replay, JSON to stdout
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import itertools
import json
import math
import pickle
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from storyline.events.cluster import OnlineClusterer
from storyline.events.embed import make_embedder
from storyline.events.features import Features
from storyline.events.index import EventIndex
from storyline.events.scoring import default_model
from storyline.events.stage import continuity_days, window_days
from storyline.events.train import featurise, read_labelled

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "gvc" / "gvc.jsonl"
OUT = ROOT / "build" / "bench"
CACHE = OUT / "events_gvc_features.pkl"
WINDOW = 10_000


def code_version() -> str:
    """A short hash of the events code and model this run measures (src/ changes often)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "storyline" / "events").glob("*.[pj][ys]*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def build_cache(path: Path = DATA, cache: Path = CACHE, embedder: str = "use") -> dict[str, Any]:
    """Featurise GVC once (labels are dropped by ``read_labelled``) and pickle the features."""
    articles = [a for a, _ in read_labelled(path)]
    started = time.perf_counter()
    feats = featurise(articles, make_embedder(embedder))
    seconds = time.perf_counter() - started
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as handle:
        pickle.dump(feats, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "code": code_version(),
        "articles": len(feats),
        "seconds": round(seconds, 2),
        "cache": str(cache),
    }


def load_cache(cache: Path = CACHE) -> list[Features]:
    """The cached features, in date order."""
    with cache.open("rb") as handle:
        feats: list[Features] = pickle.load(handle)
    return sorted(feats, key=lambda f: (f.day, f.article_id))


def shared_terms(base: Sequence[Features], min_df: float) -> frozenset[str]:
    """Terms in at least ``min_df`` of the articles: these stay shared across copies."""
    df: Counter[str] = Counter()
    for f in base:
        df.update(f.terms.keys())
    return frozenset(t for t, n in df.items() if n >= min_df * len(base))


def _renamed(weights: Mapping[str, float], keep: frozenset[str], copy: int) -> dict[str, float]:
    return {(t if t in keep else f"{t}~{copy}"): w for t, w in weights.items()}


def make_copy(
    f: Features, copy: int, offset: float, keep: frozenset[str] | None, rng: random.Random | None
) -> Features:
    """Copy ``copy`` of an article: new id, shifted day, and (dense mode) its own rare terms."""
    terms, title, names = f.terms, f.title, f.names
    if keep is not None:
        terms = _renamed(terms, keep, copy)
        title = _renamed(title, keep, copy)
        names = _renamed(names, frozenset(), copy)
    if rng is not None:  # a small perturbation of term weights (re-normalised)
        noisy = {t: w * (1.0 + 0.1 * (rng.random() - 0.5)) for t, w in terms.items()}
        norm = math.sqrt(sum(w * w for w in noisy.values())) or 1.0
        terms = {t: w / norm for t, w in noisy.items()}
    return replace(
        f,
        article_id=f"{f.article_id}~{copy}",
        day=f.day + copy * offset,
        terms=terms,
        title=title,
        names=names,
    )


def stream(
    base: Sequence[Features], offset: float, keep: frozenset[str] | None, seed: int | None
) -> Iterator[Features]:
    """An endless stream in date order, stationary from its first article.

    Copies ``k = -K..`` with ``K * offset`` >= the corpus's span are merged lazily; only
    articles dated on or after copy 0's first day are emitted, so the density is the same
    from the start to the end.
    """
    first = base[0].day
    span = base[-1].day - first
    rng = random.Random(seed) if seed is not None else None
    heap: list[tuple[float, int, int]] = []  # (day, copy, position in base)
    next_copy = -math.ceil(span / offset) if offset < span else 0
    started = next_copy

    def start(copy: int) -> None:
        heapq.heappush(heap, (base[0].day + copy * offset, copy, 0))

    start(next_copy)
    while True:
        # Open every copy whose first article could come before the heap's head.
        while base[0].day + (next_copy + 1) * offset <= heap[0][0]:
            next_copy += 1
            start(next_copy)
        day, copy, pos = heapq.heappop(heap)
        if pos + 1 < len(base):
            heapq.heappush(heap, (base[pos + 1].day + copy * offset, copy, pos + 1))
        elif copy == next_copy:  # the newest copy ran out: open the next one
            next_copy += 1
            start(next_copy)
        if day >= first:
            yield make_copy(base[pos], copy - started, offset, keep, rng)


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run(
    n: int, offset: float, shared_df: float, sparse: bool, seed: int | None, cache: Path
) -> dict[str, Any]:
    """Replay ``n`` articles through the clusterer; figures per window of 10k articles."""
    base = load_cache(cache)
    keep = None if sparse else shared_terms(base, shared_df)
    model = default_model()
    index = EventIndex(window_days(), continuity_days=continuity_days())
    ids = itertools.count(1)
    clusterer = OnlineClusterer(model, index, lambda: next(ids))
    watermark = -math.inf
    windows: list[dict[str, Any]] = []
    rss_start = rss_mb()
    t0 = tick = time.perf_counter()
    cpu0 = cpu_tick = time.process_time()
    joined = 0
    for i, f in enumerate(itertools.islice(stream(base, offset, keep, seed), n), start=1):
        # what EventsStage.assign does, minus the store
        decision = clusterer.assign(index.rarity.weigh(f))
        joined += decision.action == "joined"
        if f.dated:
            watermark = max(watermark, f.day)
        index.expire(watermark)
        if i % WINDOW == 0 or i == n:
            now, cpu_now = time.perf_counter(), time.process_time()
            size = WINDOW if i % WINDOW == 0 else i % WINDOW
            windows.append(
                {
                    "articles": i,
                    "us_per_article": round((now - tick) / size * 1e6, 1),
                    "cpu_us_per_article": round((cpu_now - cpu_tick) / size * 1e6, 1),
                    "active_events": len(index),
                    "rss_mb": round(rss_mb(), 1),
                }
            )
            tick, cpu_tick = now, cpu_now
            print(json.dumps(windows[-1]), file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    events = next(ids) - 1
    return {
        "code": code_version(),
        "articles": n,
        "offset_days": offset,
        "articles_per_day": round(len(base) / offset, 1),
        "mode": "sparse" if sparse else f"dense (terms in < {shared_df:.0%} of articles renamed)",
        "shared_terms": None if keep is None else len(keep),
        "window_days": index.window,
        "seconds": round(seconds, 2),
        "articles_per_second": round(n / seconds, 1),
        "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_second": round(n / cpu, 1),
        "events": events,
        "joined": joined,
        "rss_start_mb": round(rss_start, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "windows": windows,
    }


def reference_events(cache: Path, offset: float, shared_df: float, sparse: bool) -> int:
    """Events the clusterer makes from one corpus copy, for checking that copies stay apart."""
    base = load_cache(cache)
    keep = None if sparse else shared_terms(base, shared_df)
    index = EventIndex(window_days(), continuity_days=continuity_days())
    ids = itertools.count(1)
    clusterer = OnlineClusterer(default_model(), index, lambda: next(ids))
    for f in base:
        clusterer.assign(index.rarity.weigh(make_copy(f, 0, offset, keep, None)))
    return next(ids) - 1


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    feats = sub.add_parser("features", help="featurise GVC once and cache it")
    feats.add_argument("--embedder", default="use")
    go = sub.add_parser("run", help="replay the cached features at scale")
    go.add_argument("-n", type=int, default=100_000)
    go.add_argument("--offset", type=float, default=7.0, help="days between copies")
    go.add_argument("--shared-df", type=float, default=0.05)
    go.add_argument("--sparse", action="store_true", help="no renaming (needs a long offset)")
    go.add_argument("--seed", type=int, default=None, help="perturb term weights with this seed")
    for p in (feats, go):
        p.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    if args.command == "features":
        result = build_cache(cache=args.cache, embedder=args.embedder)
    else:
        result = run(args.n, args.offset, args.shared_df, args.sparse, args.seed, args.cache)
        result["events_per_copy"] = reference_events(
            args.cache, args.offset, args.shared_df, args.sparse
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
