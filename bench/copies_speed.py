"""Copy index speed: fingerprinting plus look-up, 10k to 1M indexed articles, vs datasketch.

Each configuration runs in a fresh Python process (so its memory is its own): the index
is filled with N synthetic entries (random MinHash values and random anchors, as many
per entry as real articles have; real articles' fingerprints cost the same to look up),
then the real articles of ``../shared/data`` are streamed through it: fingerprint, look
up, insert, as the copies stage does. The baseline is a plain ``datasketch.MinHashLSH``
(threshold 0.5, 128 permutations, its defaults otherwise) with ``MinHash.update_batch``
over the same word 5-shingles, filled and streamed the same way in the same run.

    .venv/bin/python bench/copies_speed.py 10000,100000   # or via copies_bench.py
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
CHUNK = 100_000
BASELINE_BYTES = 10_000  # per article, a little above what datasketch's index was measured at


def rss() -> int:
    """Resident memory of this process, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def texts() -> list[str]:
    """The real articles' texts (GVC, BASIL, ECB+)."""
    sys.path.insert(0, str(HERE))
    import copies_quality as cq

    return [d.text for d in cq.load()]


class Clock:
    """Wall-clock and CPU seconds of a block: on a machine shared with other work the
    CPU time says what the code costs, the wall time what this run got."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


PASSES = 3  # each figure is the median of three passes over a third of the queries


def _passes(items: list[Any], work: Any) -> list[Clock]:
    """Time ``work(offset, part)`` over ``PASSES`` consecutive parts of ``items``."""
    size = len(items) // PASSES
    clocks = []
    for p in range(PASSES):
        with Clock() as clock:
            work(p * size, items[p * size : (p + 1) * size])
        clocks.append(clock)
    return clocks


def _figures(count: int, lookups: list[Clock], streams: list[Clock]) -> dict[str, Any]:
    """Medians over the passes: a load spike on the shared machine moves only one."""
    per = count // PASSES

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return {
        "lookup_us": round(median([c.wall for c in lookups]) / per * 1e6),
        "lookup_cpu_us": round(median([c.cpu for c in lookups]) / per * 1e6),
        "articles_per_s": round(per / median([c.wall for c in streams])),
        "articles_per_cpu_s": round(per / median([c.cpu for c in streams])),
    }


def mine(n: int, count: int) -> dict[str, Any]:
    """The storyline copy index with ``n`` synthetic entries, then ``count`` real ones."""
    from storyline.copies.fingerprint import NUM_PERM, fingerprint
    from storyline.copies.index import CopyIndex

    corpus = texts()
    queries = [corpus[i % len(corpus)] for i in range(count)]
    fps = [fingerprint(t) for t in corpus[:500]]
    sizes = np.array([len(f.anchors) for f in fps])
    rng = np.random.default_rng(1)
    gc.collect()
    before = rss()
    index = CopyIndex(0.5)
    started = time.perf_counter()
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        minhashes = rng.integers(0, 2**32, size=(m, NUM_PERM), dtype=np.uint32)
        counts = rng.choice(sizes, size=m)
        flat = rng.integers(0, 2**64 - 1, size=int(counts.sum()), dtype=np.uint64, endpoint=True)
        anchors = np.split(flat, np.cumsum(counts)[:-1])
        index.add_many(list(range(start, start + m)), minhashes, anchors)
        del minhashes, anchors, flat
    build = time.perf_counter() - started
    gc.collect()
    held = rss() - before
    index_bytes = index.nbytes() / max(len(index), 1)
    prepared = [fingerprint(t) for t in queries]
    lookups = _passes(prepared, lambda _o, part: [index.query(fp) for fp in part])

    def step(seq: int, text: str) -> None:
        fp = fingerprint(text)
        index.query(fp)
        index.add(seq, fp)

    streams = _passes(queries, lambda o, part: [step(n + o + i, t) for i, t in enumerate(part)])
    return {"method": "storyline", "n": n, "build_s": round(build, 1),
            "bytes_per_article": round(index_bytes), "rss_per_article": round(held / max(n, 1)),
            **_figures(count, lookups, streams), "runs": index.runs}  # fmt: skip


def baseline(n: int, count: int) -> dict[str, Any]:
    """A plain datasketch MinHashLSH with ``n`` synthetic entries, then ``count`` real ones."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    from storyline.copies.fingerprint import BREAK, tokens

    corpus = texts()
    queries = [corpus[i % len(corpus)] for i in range(count)]
    rng = np.random.default_rng(1)
    gc.collect()
    before = rss()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    started = time.perf_counter()
    with lsh.insertion_session() as session:
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            values = rng.integers(0, 2**32, size=(m, 128), dtype=np.uint32)
            for i in range(m):
                sketch = LeanMinHash(seed=1, hashvalues=values[i], scheme="affine32")
                session.insert(start + i, sketch, check_duplication=False)
            del values
    build = time.perf_counter() - started
    gc.collect()
    held = rss() - before

    def sketch_of(text: str) -> MinHash:
        words = [t for t in tokens(text) if t != BREAK]
        shingles = [" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))]
        sketch = MinHash(num_perm=128)
        sketch.update_batch(shingles)
        return sketch

    prepared = [sketch_of(t) for t in queries]
    lookups = _passes(prepared, lambda _o, part: [lsh.query(sketch) for sketch in part])

    def step(seq: int, text: str) -> None:
        sketch = sketch_of(text)
        lsh.query(sketch)
        lsh.insert(seq, sketch, check_duplication=False)

    streams = _passes(queries, lambda o, part: [step(n + o + i, t) for i, t in enumerate(part)])
    return {"method": "datasketch MinHashLSH", "n": n, "build_s": round(build, 1),
            "bytes_per_article": None, "rss_per_article": round(held / max(n, 1)),
            **_figures(count, lookups, streams), "runs": None}  # fmt: skip


def fingerprint_rate() -> dict[str, Any]:
    """Fingerprints per second on the real texts, ours and datasketch's plain way."""
    from datasketch import MinHash

    from storyline.copies.fingerprint import BREAK, fingerprint, tokens

    corpus = texts()
    with Clock() as clock:
        for text in corpus:
            fingerprint(text)
    ours = len(corpus) / clock.cpu
    with Clock() as clock:
        for text in corpus:
            toks = [t for t in tokens(text) if t != BREAK]
            sketch = MinHash(num_perm=128)
            sketch.update_batch(
                [" ".join(toks[i : i + 5]).encode() for i in range(max(1, len(toks) - 4))]
            )
    theirs = len(corpus) / clock.cpu
    words = sum(len(t.split()) for t in corpus) / len(corpus)
    return {"articles": len(corpus), "mean_words": round(words), "storyline_per_s": round(ours),
            "datasketch_per_s": round(theirs)}  # fmt: skip


def one(method: str, n: int, count: int) -> dict[str, Any]:
    """Run one configuration in a fresh process and return its figures."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), method, str(n), str(count)],
        check=True, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def available() -> int:
    """Memory the system can still give, in bytes."""
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def run(sizes: list[int], count: int) -> dict[str, Any]:
    """Every size, ours then the baseline, each in its own process.

    The baseline needs about 9 KB per article: it is skipped (and said so) where the
    machine, shared with other work, has not got twice that to spare.
    """
    rows, skipped = [], []
    for n in sizes:
        for method in ("mine", "baseline"):
            if method == "baseline" and available() < 2 * BASELINE_BYTES * n:
                skipped.append(n)
                continue
            row = one(method, n, count)
            print(json.dumps(row), flush=True)
            rows.append(row)
    return {"fingerprint": fingerprint_rate(), "rows": rows, "queries": count,
            "baseline_skipped": skipped}  # fmt: skip


def markdown(result: dict[str, Any]) -> str:
    """The speed figures as Markdown."""
    fp = result["fingerprint"]
    lines = [
        f"Fingerprinting alone, {fp['articles']} real articles ({fp['mean_words']} words on "
        f"average), per CPU second: storyline {fp['storyline_per_s']:,}, datasketch MinHash "
        f"(128 permutations, update_batch) {fp['datasketch_per_s']:,}.",
        "",
        f"Streaming {result['queries']} real articles (fingerprint, look up, insert) into an "
        "index already holding N entries; per wall-clock second (what this shared machine "
        "gave the run) and per CPU second (what the code costs); medians of three passes:",
        "",
        "| N | method | articles/s | articles/CPU-s | look-up µs | look-up CPU µs "
        "| index bytes/article | RSS bytes/article | build s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = result["rows"]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['method']} | {r['articles_per_s']:,} | "
            f"{r['articles_per_cpu_s']:,} | {r['lookup_us']} | {r['lookup_cpu_us']} | "
            f"{r['bytes_per_article'] or '-'} | {r['rss_per_article']:,} | {r['build_s']} |"
        )
    lines += ["", "| N | speed ratio, wall (storyline / datasketch) | speed ratio, CPU "
              "| memory ratio (datasketch / storyline, RSS) |", "|---|---|---|---|"]  # fmt: skip
    by = {(r["n"], r["method"]): r for r in rows}
    for n in sorted({r["n"] for r in rows}):
        ours, theirs = by.get((n, "storyline")), by.get((n, "datasketch MinHashLSH"))
        if ours and theirs:
            wall = ours["articles_per_s"] / theirs["articles_per_s"]
            cpu = ours["articles_per_cpu_s"] / theirs["articles_per_cpu_s"]
            memory = theirs["rss_per_article"] / max(ours["rss_per_article"], 1)
            lines.append(f"| {n:,} | {wall:.1f}x | {cpu:.1f}x | {memory:.1f}x |")
    for n in result.get("baseline_skipped", []):
        lines.append(f"| {n:,} | baseline not run: not enough free memory | - | - |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("mine", "baseline"):
        run_one = mine if sys.argv[1] == "mine" else baseline
        print(json.dumps(run_one(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000").split(",")]
        outcome = run(sizes, 3000)
        print(markdown(outcome))
