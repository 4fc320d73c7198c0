"""Events benchmark (issue 4): quality on ../shared/data, peers, and speed.

Steps (each writes build/bench/events/<step>.json; ``report`` turns them into
build/bench/events.md and bench/figures/events_scaling.png):

- ``quality``: ``storyline eval FILE --json`` as a subprocess (``STORYLINE_STAGES=events``)
  on GVC (whole file, ``--split test``, and a file of the test split alone), ECB+ (label
  ``event``, the subtopic) and BASIL; the seeds are ingested and their events listed;
  GVC once more with every stage on.
- ``peers``: TF-IDF single pass (Event Registry style and the README's baseline) and
  BERTopic (in its own virtualenv, on storyline's USE embeddings) on the same articles.
- ``pipeline``: ``storyline ingest`` of GVC scaled to 5k articles (new ids, URLs, a text
  change, dates shifted per copy so copies are new events) with the events stage and the
  ``use`` embedder, with ``none``, and with no stage at all.
- ``scale``: clustering alone given the features (``bench/events_scale.py``), a sparse
  stream to 1M articles and a dense one to 100k.

    .venv/bin/python bench/events_bench.py                  # every step (about an hour)
    .venv/bin/python bench/events_bench.py --steps quality,peers,report
    .venv/bin/python bench/events_bench.py --quick          # small sizes, a smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import events_peers as peers
import events_scale as scale

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "build" / "bench" / "events"
FIGURE = ROOT / "bench" / "figures" / "events_scaling.png"
STORYLINE = Path(sys.executable).parent / "storyline"
BERTOPIC_PYTHON = Path(os.environ.get("BERTOPIC_PYTHON", "/tmp/btvenv/bin/python"))
STEPS = ("quality", "peers", "pipeline", "scale", "report")
SEEDS_2021 = "002_"
PIPELINE_RUNS = (
    ("events stage, embedder use", {"STORYLINE_STAGES": "events", "STORYLINE_EMBEDDER": "use"}),
    ("events stage, embedder none", {"STORYLINE_STAGES": "events", "STORYLINE_EMBEDDER": "none"}),
    ("no stage (store only)", {"STORYLINE_STAGES": ""}),
)  # the seed file about the Sept 2021 visit; the other four are 2022


@dataclass(frozen=True, slots=True)
class Dataset:
    """A labelled benchmark file and the label that is its gold event."""

    name: str
    path: Path
    label: str = "event"
    splits: frozenset[str] | None = None  # only these records (a file of them is written)


def datasets() -> list[Dataset]:
    """The labelled files of ../shared/data, as the benchmark uses them."""
    gvc = DATA / "gvc" / "gvc.jsonl"
    return [
        Dataset("GVC", gvc),
        Dataset("GVC test split alone", gvc, splits=frozenset({"test"})),
        Dataset("ECB+ topics 1-35", DATA / "ecbplus" / "ecbplus-dev.jsonl"),
        Dataset("BASIL", DATA / "basil" / "basil.jsonl"),
    ]


# -- measuring subprocesses ---------------------------------------------------------------


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class TreeMemory(threading.Thread):
    """Samples the summed VmRSS of a process and its descendants every 50 ms, in MB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self.done.wait(0.05):
            self.peak = max(self.peak, sum(_rss_kb(p) for p in self._tree()) / 1024)

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                        parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(parent, []).append(int(entry))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measured(
    command: Sequence[str], env: dict[str, str], cwd: Path, timeout: float
) -> dict[str, Any]:
    """Run a command; its stdout, wall and CPU seconds, peak tree RSS and the load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, load_before = time.perf_counter(), load()
    process = subprocess.Popen(
        list(command),
        env={**os.environ, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = TreeMemory(process.pid)
    memory.start()
    stdout, stderr = process.communicate(timeout=timeout)
    wall = time.perf_counter() - started
    memory.done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {stderr.strip()[-2000:]}")
    return {
        "stdout": stdout,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(memory.peak, 1),
        "load_before": load_before,
        "load_after": load(),
    }


# -- quality ------------------------------------------------------------------------------


def split_file(source: Path, splits: frozenset[str], target: Path) -> int:
    """Write the records of ``splits`` (labels kept: eval hides them) to ``target``."""
    kept = 0
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            if line.strip() and json.loads(line).get("split") in splits:
                out.write(line)
                kept += 1
    return kept


def storyline_eval(
    path: Path, label: str, work: Path, stages: str = "events", split: str | None = None
) -> dict[str, Any]:
    """``storyline eval --json`` in a fresh workspace, as a subprocess."""
    out = work / f"{path.stem}.{stages.replace(',', '+') or 'none'}.assignments.jsonl"
    command = [str(STORYLINE), "eval", str(path), "--json", "--label", label, "--out", str(out)]
    if split:
        command += ["--split", split]
    run = measured(command, {"STORYLINE_STAGES": stages}, work, timeout=1800)
    return {**json.loads(run.pop("stdout")), **run, "stages": stages, "split": split}


def seeds(work: Path, stages: str = "events") -> dict[str, Any]:
    """Ingest the seeds (by default the events stage only); which files share an event."""
    from storyline.api import open_workspace

    db = work / ("seeds.db" if stages == "events" else "seeds-all.db")
    folder = DATA / "seeds"
    run = measured(
        [str(STORYLINE), "ingest", str(folder), "--db", str(db)],
        {"STORYLINE_STAGES": stages},
        work,
        timeout=600,
    )
    run.pop("stdout")
    with open_workspace(db) as ws:
        files = {a.id: Path(a.location.split(":")[0]).name for a in ws.articles()}
        events: dict[str, list[str]] = {}
        for row in ws.assignments():
            events.setdefault(str(row["event_id"]), []).append(files[row["article_id"]])
    groups = sorted(sorted(members) for members in events.values())
    return {"events": len(groups), "groups": groups, "goal_met": _seeds_split_right(groups), **run}


def quality(work: Path, events_only: bool) -> dict[str, Any]:
    """Every quality figure of the section: each dataset as the product runs it (every
    stage), and, unless ``--quick``, GVC and the seeds with the events stage alone."""
    from storyline.stages import STAGE_ORDER

    every = ",".join(STAGE_ORDER)
    results: list[dict[str, Any]] = []
    for data in datasets():
        path = data.path
        if data.splits is not None:
            path = work / "gvc-test.jsonl"
            split_file(data.path, data.splits, path)
        results.append({"dataset": data.name, **storyline_eval(path, data.label, work, every)})
        print(f"quality: {data.name} {results[-1]['bcubed_f1']}", file=sys.stderr)
        if data.name == "GVC":
            scored = storyline_eval(data.path, data.label, work, every, split="test")
            results.append({"dataset": "GVC whole-file run, scored on test", **scored})
    found = {"seeds_all_stages": seeds(work, every)}
    if events_only:
        alone = storyline_eval(DATA / "gvc" / "gvc.jsonl", "event", work, "events")
        results.append({"dataset": "GVC, events stage only", **alone})
        found["seeds"] = seeds(work)
    return {"runs": results, **found}


# -- peers --------------------------------------------------------------------------------


def read_with_splits(data: Dataset) -> tuple[list[Any], list[str], list[str]]:
    """Articles (labels removed, real extraction), gold labels and splits, in file order."""
    from storyline.events.train import LABEL_FIELDS
    from storyline.extract import build_article
    from storyline.model import Article, Location
    from storyline.sources.records import record_doc

    articles, gold, splits = [], [], []
    with data.path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            record = json.loads(line)
            if data.splits is not None and record.get("split") not in data.splits:
                continue
            hidden = {k: v for k, v in record.items() if k not in LABEL_FIELDS}
            built = build_article(record_doc(hidden, Location(str(data.path), number), "jsonl"))
            if isinstance(built, Article):
                articles.append(built)
                gold.append(str(record[data.label]))
                splits.append(str(record.get("split", "")))
    return articles, gold, splits


def peer_runs(work: Path, bertopic: bool) -> dict[str, Any]:
    """Single-pass peers and BERTopic on every dataset (and single pass on the seeds)."""
    from storyline.events.embed import make_embedder

    peers.run_single_pass(*read_with_splits(datasets()[3])[:2], peers.PEERS[0])  # warm-up
    embedder = make_embedder("use")
    embedder.embed(["warm-up"])
    rows: list[dict[str, Any]] = []
    for data in datasets():
        articles, gold, splits = read_with_splits(data)
        test = [i for i, s in enumerate(splits) if s == "test"] if data.name == "GVC" else []
        for peer in peers.PEERS:
            row = {"dataset": data.name, **peers.run_single_pass(articles, gold, peer)}
            rows.append(row)
            if test:
                rows.append(_on_test(row, articles, gold, test, peer))
        if not bertopic:
            continue
        vectors, embed_seconds = peers.embed_leads(articles, embedder)
        docs, embeddings = peers.write_bertopic_input(articles, vectors, work, _slug(data.name))
        for size in (10, 2):
            name = f"BERTopic (min_topic_size={size}{', default' if size == 10 else ''})"
            started = time.perf_counter()
            fitted = peers.run_bertopic(BERTOPIC_PYTHON, docs, embeddings, size)
            wall = time.perf_counter() - started
            if "error" in fitted:
                rows.append({"dataset": data.name, "system": name, "error": fitted["error"]})
                continue
            seconds = fitted["seconds"] + embed_seconds
            row = {
                "dataset": data.name,
                "system": name,
                **peers.score_topics(fitted["topics"], gold),
                "seconds": round(seconds, 2),
                "fit_seconds": fitted["seconds"],
                "embed_seconds": round(embed_seconds, 2),
                "subprocess_wall_seconds": round(wall, 2),
                "articles_per_second": round(len(articles) / seconds, 1),
                "bertopic": fitted["bertopic"],
            }
            rows.append(row)
            if test:
                sub = [fitted["topics"][i] for i in test]
                rows.append(
                    {
                        "dataset": "GVC whole-file run, scored on test",
                        "system": name,
                        **peers.score_topics(sub, [gold[i] for i in test]),
                    }
                )
        print(f"peers: {data.name} done", file=sys.stderr)
    rows += _seed_peers(work)
    return {"runs": rows, "clustering_alone_gvc": _clustering_alone_gvc()}


def _on_test(
    row: dict[str, Any], articles: list[Any], gold: list[str], test: list[int], peer: Any
) -> dict[str, Any]:
    matrix = peers.vectorise(articles)
    days = [peers._day(a) for a in articles]
    labels = peers.single_pass(matrix, days, peers.date_order(articles), peer)
    scored = peers.score(
        {str(i): gold[i] for i in test}, {str(i): labels[i] for i in test}
    ).as_dict()
    return {"dataset": "GVC whole-file run, scored on test", "system": row["system"], **scored}


def _seed_peers(work: Path) -> list[dict[str, Any]]:
    """Single pass on the seed articles (as stored by the quality step's ingest)."""
    from storyline.api import open_workspace

    db = work / "seeds.db"
    if not db.exists():
        seeds(work)
    with open_workspace(db) as ws:
        articles = sorted(ws.articles(), key=lambda a: a.location)
    names = [Path(a.location.split(":")[0]).name for a in articles]
    rows = []
    for peer in peers.PEERS:
        labels = peers.single_pass(
            peers.vectorise(articles),
            [peers._day(a) for a in articles],
            peers.date_order(articles),
            peer,
        )
        groups: dict[int, list[str]] = {}
        for name, label in zip(names, labels, strict=True):
            groups.setdefault(label, []).append(name)
        rows.append(
            {
                "dataset": "seeds",
                "system": peer.name,
                "events": len(groups),
                "groups": sorted(sorted(g) for g in groups.values()),
                "goal_met": _seeds_split_right(list(groups.values())),
            }
        )
    return rows


def _seeds_split_right(groups: list[list[str]]) -> bool:
    """Two events: the 2021 visit's file alone, the four 2022 articles together."""
    alone = [g for g in groups if any(name.startswith(SEEDS_2021) for name in g)]
    return len(groups) == 2 and len(alone) == 1 and len(alone[0]) == 1


def _clustering_alone_gvc() -> dict[str, Any]:
    """Clustering given the features, GVC, both systems: storyline vs the ER-style pass."""
    from storyline.events.scoring import default_model
    from storyline.events.stage import continuity_days, window_days
    from storyline.events.train import cluster

    feats = scale.load_cache()
    started = time.perf_counter()
    for _ in range(5):
        cluster(feats, default_model(), window_days(), continuity_days())
    ours = 5 * len(feats) / (time.perf_counter() - started)
    articles, _, _ = read_with_splits(datasets()[0])
    matrix = peers.vectorise(articles)
    days, order = [peers._day(a) for a in articles], peers.date_order(articles)
    started = time.perf_counter()
    for _ in range(5):
        peers.single_pass(matrix, days, order, peers.PEERS[0])
    theirs = 5 * len(articles) / (time.perf_counter() - started)
    return {
        "storyline_articles_per_second": round(ours, 1),
        "event_registry_style_articles_per_second": round(theirs, 1),
        "load": load(),
    }


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


# -- pipeline -----------------------------------------------------------------------------


def scaled_gvc(n: int) -> Iterator[dict[str, Any]]:
    """``n`` GVC records without labels, in date order: copies shifted back in time.

    Copy ``c`` of ``K`` is dated ``(K - 1 - c) * (span + 2 * 90)`` days earlier, so no
    two copies share an active window and every copy founds its own events; every copy
    but the last gets a new id, a new URL and one added sentence (nothing dedupes).
    """
    with (DATA / "gvc" / "gvc.jsonl").open(encoding="utf-8") as lines:
        base = [json.loads(line) for line in lines if line.strip()]
    days = [date.fromisoformat(r["date"]) for r in base]
    shift = (max(days) - min(days)).days + 2 * 90
    copies = -(-n // len(base))
    emitted = 0
    for c in range(copies):
        back = timedelta(days=(copies - 1 - c) * shift)
        for record, day in zip(base, days, strict=True):
            if emitted == n:
                return
            row = {k: record[k] for k in ("id", "title", "url", "text")}
            row["date"] = (day - back).isoformat()
            if c < copies - 1:
                parts = urlsplit(row["url"])
                row["url"] = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/c{c}"))
                row["id"] = f"{row['id']}-c{c}"
                row["text"] += f"\n\nThis report was filed as update number {c}."
            emitted += 1
            yield row


def pipeline(work: Path, n: int) -> dict[str, Any]:
    """``storyline ingest`` of scaled GVC: events stage with ``use``, with ``none``, no stage."""
    from storyline.api import open_workspace

    source = work / f"gvc-{n}.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for row in scaled_gvc(n):
            out.write(json.dumps(row) + "\n")
    runs = []
    for label, env in PIPELINE_RUNS:
        db = work / f"pipeline-{len(runs)}.db"
        run = measured([str(STORYLINE), "ingest", str(source), "--db", str(db)], env, work, 3600)
        run.pop("stdout")
        with open_workspace(db) as ws:
            stored, events = ws.count_articles(), ws.count_events()
        runs.append(
            {
                "run": label,
                "articles": stored,
                "events": events,
                "articles_per_second": round(stored / run["wall_seconds"], 1),
                "articles_per_cpu_second": round(stored / run["cpu_seconds"], 1),
                **run,
            }
        )
        print(f"pipeline: {label} {runs[-1]['articles_per_second']}/s", file=sys.stderr)
    return {"input_records": n, "runs": runs}


# -- scale --------------------------------------------------------------------------------


def scale_commands(quick: bool) -> list[tuple[str, list[str]]]:
    """The clustering-alone replays: (result name, command)."""
    script = str(ROOT / "bench" / "events_scale.py")
    sparse_n, dense_n = (20_000, 10_000) if quick else (1_000_000, 100_000)
    return [
        (f"scale_sparse_{sparse_n}", [sys.executable, script, "run", "-n", str(sparse_n),
                                      "--offset", "2000", "--sparse"]),
        (f"scale_dense_{dense_n}", [sys.executable, script, "run", "-n", str(dense_n),
                                    "--offset", "7"]),
    ]  # fmt: skip


def run_scale(quick: bool, streams: Sequence[str]) -> dict[str, Any]:
    """Run the replays (each a subprocess, so peak RSS is its own); their JSON results."""
    if not scale.CACHE.exists():
        scale.build_cache()
    results = {}
    for name, command in scale_commands(quick):
        if name.split("_")[1] not in streams:
            continue
        run = measured(command, {}, ROOT, timeout=7200)
        result = json.loads(run["stdout"])
        result["load_before"], result["load_after"] = run["load_before"], run["load_after"]
        (OUT / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        results[name] = result
    return results


# -- report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram_gib": f"{int(mem) / 1024 / 1024:.0f}",
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": load(),
        "code": scale.code_version(),
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    parser.add_argument(
        "--no-events-only", action="store_true", help="skip GVC and seeds with events alone"
    )
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--pipeline-n", type=int, default=5000)
    parser.add_argument("--streams", default="sparse,dense", help="scale step: which replays")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    steps = args.steps.split(",")
    with tempfile.TemporaryDirectory(prefix="storyline-events-bench-") as tmp:
        work = Path(tmp)
        if "quality" in steps:
            _save("quality", quality(work, not args.no_events_only and not args.quick))
        if "peers" in steps:
            bertopic = not args.no_bertopic and BERTOPIC_PYTHON.exists()
            _save("peers", peer_runs(work, bertopic))
        if "pipeline" in steps:
            _save("pipeline", pipeline(work, 1000 if args.quick else args.pipeline_n))
    if "scale" in steps:
        run_scale(args.quick, args.streams.split(","))
    if "report" in steps:
        from events_report import report

        report(OUT, FIGURE, machine())


def _save(step: str, result: dict[str, Any]) -> None:
    result["machine"] = machine()
    (OUT / f"{step}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{step}: written to {OUT / (step + '.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()
