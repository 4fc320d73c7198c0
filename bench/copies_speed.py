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


def _stream(n: int, queries: list[str], step: Any) -> float:
    """Seconds to push ``queries`` through ``step(seq, text)``."""
    started = time.perf_counter()
    for i, text in enumerate(queries):
        step(n + i, text)
    return time.perf_counter() - started


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
    started = time.perf_counter()
    for fp in prepared:
        index.query(fp)
    lookup = (time.perf_counter() - started) / count

    def step(seq: int, text: str) -> None:
        fp = fingerprint(text)
        index.query(fp)
        index.add(seq, fp)

    seconds = _stream(n, queries, step)
    return {"method": "storyline", "n": n, "build_s": round(build, 1),
            "bytes_per_article": round(index_bytes),
            "rss_per_article": round(held / max(n, 1)), "lookup_us": round(lookup * 1e6),
            "articles_per_s": round(count / seconds), "runs": index.runs}  # fmt: skip


def baseline(n: int, count: int) -> dict[str, Any]:
    """A plain datasketch MinHashLSH with ``n`` synthetic entries, then ``count`` real ones."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    from storyline.copies.fingerprint import tokens

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
        words = [t for t in tokens(text) if t != "\n\n"]
        shingles = [" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))]
        sketch = MinHash(num_perm=128)
        sketch.update_batch(shingles)
        return sketch

    prepared = [sketch_of(t) for t in queries]
    started = time.perf_counter()
    for sketch in prepared:
        lsh.query(sketch)
    lookup = (time.perf_counter() - started) / count

    def step(seq: int, text: str) -> None:
        sketch = sketch_of(text)
        lsh.query(sketch)
        lsh.insert(seq, sketch, check_duplication=False)

    seconds = _stream(n, queries, step)
    return {"method": "datasketch MinHashLSH", "n": n, "build_s": round(build, 1),
            "bytes_per_article": None, "rss_per_article": round(held / max(n, 1)),
            "lookup_us": round(lookup * 1e6), "articles_per_s": round(count / seconds),
            "runs": None}  # fmt: skip


def fingerprint_rate() -> dict[str, Any]:
    """Fingerprints per second on the real texts, ours and datasketch's plain way."""
    from datasketch import MinHash

    from storyline.copies.fingerprint import fingerprint, tokens

    corpus = texts()
    started = time.perf_counter()
    for text in corpus:
        fingerprint(text)
    ours = len(corpus) / (time.perf_counter() - started)
    started = time.perf_counter()
    for text in corpus:
        words = [t for t in tokens(text) if t != "\n\n"]
        sketch = MinHash(num_perm=128)
        sketch.update_batch(
            [" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))]
        )
    theirs = len(corpus) / (time.perf_counter() - started)
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
        f"average): storyline {fp['storyline_per_s']}/s, datasketch MinHash (128 permutations, "
        f"update_batch) {fp['datasketch_per_s']}/s.",
        "",
        f"Streaming {result['queries']} real articles (fingerprint, look up, insert) into an "
        "index already holding N entries:",
        "",
        "| N | method | articles/s | look-up µs | index bytes/article | RSS bytes/article "
        "| build s |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = result["rows"]
    for row in rows:
        lines.append(
            f"| {row['n']:,} | {row['method']} | {row['articles_per_s']:,} | {row['lookup_us']} | "
            f"{row['bytes_per_article'] or '-'} | {row['rss_per_article']:,} | {row['build_s']} |"
        )
    lines += ["", "| N | speed ratio (storyline / datasketch) "
              "| memory ratio (datasketch / storyline, RSS) |", "|---|---|---|"]  # fmt: skip
    by = {(r["n"], r["method"]): r for r in rows}
    for n in sorted({r["n"] for r in rows}):
        ours, theirs = by.get((n, "storyline")), by.get((n, "datasketch MinHashLSH"))
        if ours and theirs:
            speed = ours["articles_per_s"] / theirs["articles_per_s"]
            memory = theirs["rss_per_article"] / max(ours["rss_per_article"], 1)
            lines.append(f"| {n:,} | {speed:.1f}x | {memory:.1f}x |")
    for n in result.get("baseline_skipped", []):
        lines.append(f"| {n:,} | baseline not run: not enough free memory | - |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("mine", "baseline"):
        run_one = mine if sys.argv[1] == "mine" else baseline
        print(json.dumps(run_one(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000").split(",")]
        outcome = run(sizes, 2000)
        print(markdown(outcome))
