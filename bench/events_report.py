"""Tables and the scaling plot of the events benchmark (see bench/events_bench.py).

Reads build/bench/events/*.json and writes build/bench/events.md (the tables that
BENCHMARKS.md's events section quotes) and the plot. matplotlib is imported only here,
and only when there are scaling figures to draw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GOALS: dict[str, dict[str, float]] = {
    "GVC": {"bcubed_f1": 0.96, "pairwise_f1": 0.92},
    "GVC test split alone": {"bcubed_f1": 0.96, "pairwise_f1": 0.92},
    "GVC whole-file run, scored on test": {"bcubed_f1": 0.96, "pairwise_f1": 0.92},
    "ECB+ topics 1-35": {"pairwise_f1": 0.97},
    "BASIL": {"bcubed_f1": 0.97},
}
CHECKPOINTS = (10_000, 100_000, 1_000_000)


def _read(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _goal(dataset: str, row: dict[str, Any]) -> str:
    goals = GOALS.get(dataset)
    if not goals:
        return "-"
    parts = []
    for metric, target in goals.items():
        value = row[metric]
        mark = "met" if value >= target else f"missed by {target - value:.3f}"
        parts.append(f"{metric.split('_')[0]} F1 >= {target}: {mark}")
    return "; ".join(parts)


def quality_table(quality: dict[str, Any]) -> list[str]:
    """storyline eval on every dataset, with the issue's goals."""
    lines = [
        "| dataset | articles | gold events | events | pairwise P / R / F1 | "
        "BCubed P / R / F1 | ARI | articles/s | goal |",
        "|---|---:|---:|---:|---|---|---:|---:|---|",
    ]
    for r in quality["runs"]:
        lines.append(
            f"| {r['dataset']} | {r['articles']} | {r['gold_events']} | {r['events']} | "
            f"{r['pairwise_p']:.3f} / {r['pairwise_r']:.3f} / **{r['pairwise_f1']:.3f}** | "
            f"{r['bcubed_p']:.3f} / {r['bcubed_r']:.3f} / **{r['bcubed_f1']:.3f}** | "
            f"{r['ari']:.3f} | {r['articles_per_second']} | {_goal(r['dataset'], r)} |"
        )
    lines.append("")
    for key, stages in (("seeds", "events stage only"), ("seeds_all_stages", "all stages")):
        if key not in quality:
            continue
        s = quality[key]
        groups = " + ".join("{" + ", ".join(g) + "}" for g in s["groups"])
        lines.append(
            f"- seeds ({stages}): {s['events']} events: {groups}. Goal (the 2021 visit "
            f"`002_…` alone, the four 2022 articles together): "
            f"{'met' if s['goal_met'] else 'missed'}."
        )
    return lines


DATASET_ORDER = (
    "GVC",
    "GVC whole-file run, scored on test",
    "GVC test split alone",
    "ECB+ topics 1-35",
    "BASIL",
)


def _ratio(a: float, b: float) -> str:
    if not b:
        return "inf"
    value = a / b
    return f"{value:.2f}" if value >= 0.1 else f"1/{b / a:.0f}"


def peers_table(quality: dict[str, Any], peers: dict[str, Any]) -> list[str]:
    """Peers beside storyline, with storyline/peer ratios of F1 and speed."""
    ours = {r["dataset"]: r for r in quality["runs"]}
    lines = [
        "| dataset | system | pairwise F1 | BCubed F1 | events | articles/s | "
        "storyline ÷ peer: pairwise F1 | BCubed F1 | speed |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    shown: set[str] = set()
    runs = [r for r in peers["runs"] if r["dataset"] in DATASET_ORDER]
    for r in sorted(runs, key=lambda r: DATASET_ORDER.index(r["dataset"])):
        data = r["dataset"]
        mine = ours.get(data)
        if mine and data not in shown:
            shown.add(data)
            lines.append(
                f"| {data} | **storyline** | **{mine['pairwise_f1']:.3f}** | "
                f"**{mine['bcubed_f1']:.3f}** | {mine['events']} | "
                f"{mine['articles_per_second']} | 1 | 1 | 1 |"
            )
        if "error" in r:
            lines.append(f"| {data} | {r['system']} | failed: {r['error']} | | | | | | |")
            continue
        speed = r.get("articles_per_second")
        speed_ratio = _ratio(mine["articles_per_second"], speed) if mine and speed else "-"
        lines.append(
            f"| {data} | {r['system']} | {r['pairwise_f1']:.3f} | {r['bcubed_f1']:.3f} | "
            f"{r['events']} | {speed if speed else '-'} | "
            f"{_ratio(mine['pairwise_f1'], r['pairwise_f1']) if mine else '-'} | "
            f"{_ratio(mine['bcubed_f1'], r['bcubed_f1']) if mine else '-'} | {speed_ratio} |"
        )
    seeds = [r for r in peers["runs"] if r["dataset"] == "seeds"]
    if seeds:
        lines.append("")
        for r in seeds:
            groups = " + ".join("{" + ", ".join(g) + "}" for g in r["groups"])
            met = "two events, split right" if r["goal_met"] else "goal missed"
            lines.append(f"- seeds, {r['system']}: {r['events']} events ({met}): {groups}")
    alone = peers.get("clustering_alone_gvc")
    if alone:
        lines += [
            "",
            f"Clustering alone on GVC, given the features (in-process, 5 passes, load "
            f"{alone['load']}): storyline {alone['storyline_articles_per_second']} articles/s, "
            f"Event Registry style {alone['event_registry_style_articles_per_second']} "
            f"articles/s (ratio {_ratio(alone['storyline_articles_per_second'], alone['event_registry_style_articles_per_second'])}).",  # noqa: E501
        ]
    return lines


def peers_matrix(quality: dict[str, Any], peers: dict[str, Any]) -> list[str]:
    """Compact: one row per system, pairwise / BCubed F1 per dataset, then speed on GVC."""
    ours = {r["dataset"]: r for r in quality["runs"]}
    systems: dict[str, dict[str, dict[str, Any]]] = {"**storyline**": ours}
    for r in peers["runs"]:
        if r["dataset"] in DATASET_ORDER and "error" not in r:
            systems.setdefault(r["system"], {})[r["dataset"]] = r
    head = " | ".join(DATASET_ORDER)
    lines = [
        f"| system (pairwise F1 / BCubed F1) | {head} | articles/s on GVC |",
        "|---|" + "---|" * (len(DATASET_ORDER) + 1),
    ]
    for name, rows in systems.items():
        cells = [
            f"{rows[d]['pairwise_f1']:.3f} / {rows[d]['bcubed_f1']:.3f}" if d in rows else "-"
            for d in DATASET_ORDER
        ]
        speed = rows.get("GVC", {}).get("articles_per_second", "-")
        lines.append(f"| {name} | {' | '.join(cells)} | {speed} |")
    return lines


def pipeline_table(pipeline: dict[str, Any]) -> list[str]:
    """Whole-pipeline ingest runs."""
    lines = [
        f"`storyline ingest` of GVC scaled to {pipeline['input_records']} records:",
        "",
        "| run | articles | events | wall s | articles/s | CPU s | articles per CPU-s | "
        "peak RSS MB (process tree) | load before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in pipeline["runs"]:
        lines.append(
            f"| {r['run']} | {r['articles']} | {r['events']} | {r['wall_seconds']} | "
            f"**{r['articles_per_second']}** | {r['cpu_seconds']} | "
            f"{r['articles_per_cpu_second']} | {r['peak_rss_mb']} | "
            f"{r['load_before']} → {r['load_after']} |"
        )
    return lines


def checkpoints(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Cumulative speed, window cost and RSS at 10k, 100k and 1M articles."""
    rows, wall, cpu, done, peak = [], 0.0, 0.0, 0, 0.0
    for w in result["windows"]:
        size = w["articles"] - done
        wall += w["us_per_article"] * size / 1e6
        cpu += w["cpu_us_per_article"] * size / 1e6
        done, peak = w["articles"], max(peak, w["rss_mb"])
        if done in CHECKPOINTS:
            rows.append(
                {
                    "articles": done,
                    "articles_per_second": done / wall,
                    "articles_per_cpu_second": done / cpu,
                    "us": w["us_per_article"],
                    "cpu_us": w["cpu_us_per_article"],
                    "active": w["active_events"],
                    "rss": peak,
                }
            )
    return rows


def scale_table(results: dict[str, dict[str, Any]]) -> list[str]:
    """Clustering alone at 10k, 100k and 1M articles."""
    lines = [
        "| stream | articles | articles/s (wall) | articles per CPU-s | µs/article in the "
        "10k window ending here (wall / CPU) | events in memory | peak RSS MB | load |",
        "|---|---:|---:|---:|---|---:|---:|---|",
    ]
    for name, result in results.items():
        label = f"{name.split('_')[1]}, {result['articles_per_day']} articles/day"
        for c in checkpoints(result):
            lines.append(
                f"| {label} | {c['articles']:,} | **{c['articles_per_second']:.0f}** | "
                f"{c['articles_per_cpu_second']:.0f} | {c['us']:.0f} / {c['cpu_us']:.0f} | "
                f"{c['active']} | {c['rss']:.0f} | "
                f"{result['load_before']} → {result['load_after']} |"
            )
    return lines


def plot(results: dict[str, dict[str, Any]], figure: Path) -> None:
    """Per-article cost and memory against articles clustered, log x."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (cost, memory) = plt.subplots(1, 2, figsize=(9, 3.4), dpi=80)
    for name, result in results.items():
        label = f"{name.split('_')[1]} ({result['articles_per_day']}/day)"
        x = [w["articles"] for w in result["windows"]]
        (line,) = cost.plot(x, [w["cpu_us_per_article"] for w in result["windows"]], label=label)
        cost.plot(
            x, [w["us_per_article"] for w in result["windows"]], ":", color=line.get_color(),
            linewidth=0.8,
        )  # fmt: skip
        memory.plot(x, [w["rss_mb"] for w in result["windows"]], label=label)
    cost.set(
        xscale="log",
        yscale="log",
        xlabel="articles clustered",
        ylabel="µs per article (10k window)",
    )
    cost.set_title("cost per article: CPU (solid), wall (dotted)", fontsize=9)
    memory.set(xscale="log", xlabel="articles clustered", ylabel="RSS MB")
    memory.set_ylim(bottom=0)
    memory.set_title("memory of the clustering process", fontsize=9)
    for ax in (cost, memory):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    figure.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(figure, dpi=80)
    plt.close(fig)


def report(folder: Path, figure: Path, machine: dict[str, str]) -> Path:
    """Write build/bench/events.md from the step results; draw the plot."""
    quality, peers, pipeline = (_read(folder, n) for n in ("quality", "peers", "pipeline"))
    scaled = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("scale_*.json"), key=lambda p: ("dense" in p.stem, p.stem))
        if p.stat().st_size
    }
    lines = [f"Machine: {json.dumps(machine)}", ""]
    for name, step in (("quality", quality), ("peers", peers), ("pipeline", pipeline)):
        if step:
            lines.append(
                f"- {name}: measured {step['machine']['date']}, code {step['machine']['code']}"
            )
    lines += [f"- {n}: code {r.get('code')}" for n, r in scaled.items()] + [""]
    if quality:
        lines += [
            "### Quality",
            "",
            "Every stage on (as `storyline eval` runs by default) unless a row says otherwise.",
            "",
            *quality_table(quality),
            "",
        ]
    if quality and peers:
        lines += ["### Peers", "", *peers_matrix(quality, peers), "", *peers_table(quality, peers)]
        lines.append("")
    if pipeline:
        lines += ["### Whole pipeline", "", *pipeline_table(pipeline), ""]
    if scaled:
        lines += ["### Clustering alone at scale", "", *scale_table(scaled), ""]
        plot(scaled, figure)
    target = folder.parent / "events.md"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(target.read_text(encoding="utf-8"))
    return target
