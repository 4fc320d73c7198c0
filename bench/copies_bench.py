"""Copies benchmark: detection quality on a labelled copy benchmark, and index speed.

Quality (see ``copies_quality.py`` for how the benchmark is built from GVC, BASIL and
ECB+): the real articles are ingested once alone (links found there are between real
articles: reported, and their articles are not used as originals, so that a copy's
only true source is its own original), then again with the derived copies. Scored:
precision and recall of duplicates (verbatim and edited) and of partial reuse, relation
accuracy per kind of copying, version links, original attribution, independent
origins, and links between BASIL articles of different outlets (the goal is none).
Shared passages (relation ``shared``: a small part of both texts, no copy) are counted
apart: not as predicted copies, and a gold copy linked only that way is not found.

Speed (``copies_speed.py``): fingerprinting plus index look-up on real texts against
indexes of 10k to 1M entries, next to a plain datasketch MinHashLSH in the same run.

    .venv/bin/python bench/copies_bench.py                   # quality, then speed (10k..1M)
    .venv/bin/python bench/copies_bench.py --part quality
    .venv/bin/python bench/copies_bench.py --part speed --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import copies_quality as cq

from storyline import copies, open_workspace
from storyline.api import Workspace
from storyline.settings import Settings
from storyline.store import copies as db

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"
DUP = {"verbatim", "edited"}


def ingest(
    records: list[dict[str, Any]], folder: Path, name: str, stages: tuple[str, ...] = ("copies",)
) -> tuple[Workspace, float]:
    """Ingest records with only the copies stage (or none); returns workspace and seconds."""
    path = folder / f"{name}.jsonl"
    cq.write(records, path)
    ws = open_workspace(folder / f"{name}.db", Settings(workers=2, stages=stages))
    started = time.perf_counter()
    ws.ingest([path])
    return ws, time.perf_counter() - started


def all_links(ws: Workspace) -> list[Any]:
    """Every non-version link of the workspace: copies and shared passages."""
    ids = [a.id for a in ws.articles()]
    return [link for link in db.links_among(ws.store.conn, ids) if link.relation != "version"]


def split_shared(links: list[Any]) -> tuple[list[Any], list[Any]]:
    """(copy links, shared-passage links)."""
    shared = [k for k in links if k.relation == "shared"]
    return [k for k in links if k.relation != "shared"], shared


def real_links(ws: Workspace, docs: dict[str, cq.Doc]) -> dict[str, Any]:
    """Links between real articles: counts, and BASIL pairs across outlets (copies, and
    shared passages apart). Both kinds mark their articles as linked: real reuse."""
    by_id = {a.id: docs[a.external_id] for a in ws.articles() if a.external_id in docs}
    links = all_links(ws)
    counts: Counter[str] = Counter()
    basil_cross, basil_shared = [], []
    linked: set[str] = set()
    for link in links:
        a, b = by_id.get(link.source_id), by_id.get(link.target_id)
        if a is None or b is None:
            continue
        linked |= {a.key, b.key}
        counts[f"{a.dataset}/{link.relation}"] += 1
        if (
            a.dataset == b.dataset == "basil"
            and (a.source or "").lower() != (b.source or "").lower()
        ):
            found = basil_shared if link.relation == "shared" else basil_cross
            found.append((a.key, b.key, link.relation))
    return {"counts": dict(sorted(counts.items())), "basil_cross_outlet": basil_cross,
            "basil_cross_outlet_shared": basil_shared, "linked_keys": sorted(linked),
            "links": sum(counts.values())}  # fmt: skip


def real_repeats(docs: dict[str, cq.Doc]) -> Counter[int]:
    """How often each sentence occurs in the real articles of the three data sets."""
    from storyline.copies.text import sentences

    return Counter(s.key for d in docs.values() for s in sentences(d.text))


def inherited(ws: Workspace, link: Any, repeats: Counter[int]) -> bool:
    """Whether a link the labels call wrong rests on text that the real data sets already
    repeat (two articles, or one article twice, hold the same sentences): real reuse that
    the benchmark's copies carried along, not a detector error."""
    from storyline.copies.align import align
    from storyline.copies.text import sentences

    copy, target = ws.article(link.source_id), ws.article(link.target_id)
    found = align(sentences(copy.text), sentences(target.text))
    same = [found.copy[m.copy] for m in found.matches if m.strength == "same"]
    return sum(1 for s in same if len(s.words) >= 6 and repeats[s.key] >= 2) >= 2


def score(ws: Workspace, bench: cq.Benchmark, docs: dict[str, cq.Doc]) -> dict[str, Any]:
    """Precision/recall per class, relation accuracy per kind, provenance figures."""
    conn = ws.store.conn
    aid = {key: ws.article(key).id for key in {c["copy"] for c in bench.copies}
           | {c["original"] for c in bench.copies}}  # fmt: skip
    family = {aid[c["original"]]: aid[c["original"]] for c in bench.copies}
    gold = {aid[c["copy"]]: c["gold"] for c in bench.copies}
    family |= {aid[c["copy"]]: aid[c["original"]] for c in bench.copies}
    links, shared = split_shared(all_links(ws))
    predicted = _precision(links, family, gold)
    repeats = real_repeats(docs)
    explained = [w for w in predicted["false_links"] if inherited(ws, w[3], repeats)]
    for cls in ("duplicate", "partial"):
        wrong = sum(1 for w in predicted["false_links"] if _class(w[2]) == cls)
        unexplained = wrong - sum(1 for w in explained if _class(w[2]) == cls)
        n = predicted[f"{cls}_predicted"] or 1
        predicted[f"{cls}_precision_adjusted"] = round(1 - unexplained / n, 4)
        predicted[f"{cls}_false"] = wrong
        predicted[f"{cls}_false_inherited"] = wrong - unexplained
    groups = {a: copies.copy_group(conn, a)[0] for a in family}
    group_of = {a: set(copies.copy_group(conn, a)) for a in family}
    found = _recall(bench, aid, links, group_of, family)
    provenance = _provenance(bench, aid, conn, groups)
    versions = sum(
        1 for key in bench.versions
        if any(k.relation == "version" for k in copies.copy_links(conn, aid[key]))
    )  # fmt: skip
    return {**predicted, **found, **provenance, **_shared(shared, family),
            "version_links": f"{versions}/{len(bench.versions)}"}  # fmt: skip


def _shared(shared: list[Any], family: dict[str, str]) -> dict[str, int]:
    """Shared-passage links touching the benchmark's families, and those inside one
    family (a copy and its original, or two copies of it, called no copy)."""
    touching = [k for k in shared if k.source_id in family or k.target_id in family]
    inside = [k for k in touching if family.get(k.source_id) == family.get(k.target_id)]
    return {"shared_links": len(touching), "shared_in_family": len(inside)}


def _class(relation: str) -> str:
    return "duplicate" if relation in DUP else relation


def _precision(links: list[Any], family: dict[str, str], gold: dict[str, str]) -> dict[str, Any]:
    """Predicted links touching the benchmark's families: right family (and class)?"""
    tally: dict[str, Counter[str]] = {"duplicate": Counter(), "partial": Counter()}
    wrong: list[tuple[str, str, str, Any]] = []
    for link in links:
        s, t = family.get(link.source_id), family.get(link.target_id)
        if s is None and t is None:
            continue  # between two real articles: reported apart
        cls = _class(link.relation)
        tally[cls]["predicted"] += 1
        if s is not None and s == t:
            tally[cls]["same_family"] += 1
            pair_gold = {_class(gold.get(link.source_id, "duplicate")),
                         _class(gold.get(link.target_id, "duplicate"))}  # fmt: skip
            expected = "partial" if "partial" in pair_gold else "duplicate"
            tally[cls]["right_class"] += int(expected == cls)
        else:
            wrong.append((link.source_id, link.target_id, link.relation, link))
    out: dict[str, Any] = {"false_links": wrong}
    for cls, t in tally.items():
        n = t["predicted"] or 1
        out[f"{cls}_precision"] = round(t["same_family"] / n, 4)
        out[f"{cls}_precision_class"] = round(t["right_class"] / n, 4)
        out[f"{cls}_predicted"] = t["predicted"]
    return out


def _recall(
    bench: cq.Benchmark,
    aid: dict[str, str],
    links: list[Any],
    group_of: dict[str, set[str]],
    family: dict[str, str],
) -> dict[str, Any]:
    """Gold copies found (in their original's group), overall and with the right class."""
    # a copy's relation: its link to its original, else its own link into its family
    relation_of: dict[str, str] = {}
    for link in links:
        s, t = link.source_id, link.target_id
        if family.get(s) is not None and family.get(s) == family.get(t):
            for me, other in ((s, t), (t, s)):
                if other == family[me] and me != other:
                    relation_of[me] = link.relation
            relation_of.setdefault(s, link.relation)
    for link in links:  # a copy that only others copied: the relation of that link
        if family.get(link.target_id) is not None:
            relation_of.setdefault(link.target_id, link.relation)
    per_kind: dict[str, Counter[str]] = {}
    per_class: dict[str, Counter[str]] = {"duplicate": Counter(), "partial": Counter()}
    for c in bench.copies:
        copy_id, original_id = aid[c["copy"]], aid[c["original"]]
        hit = original_id in group_of[copy_id]
        relation = relation_of.get(copy_id, "-")
        cls = _class(c["gold"])
        right = hit and _class(relation) == cls
        for tally, key in ((per_kind.setdefault(c["kind"], Counter()), "n"),
                           (per_class[cls], "n")):  # fmt: skip
            tally[key] += 1
            tally["found"] += int(hit)
            tally["right_class"] += int(right)
        per_kind[c["kind"]][f"as {relation}"] += 1
    out: dict[str, Any] = {"per_kind": {k: dict(v) for k, v in sorted(per_kind.items())}}
    for cls, t in per_class.items():
        out[f"{cls}_recall"] = round(t["found"] / (t["n"] or 1), 4)
        out[f"{cls}_recall_class"] = round(t["right_class"] / (t["n"] or 1), 4)
        out[f"{cls}_gold"] = t["n"]
    return out


def _provenance(
    bench: cq.Benchmark, aid: dict[str, str], conn: Any, groups: dict[str, str]
) -> dict[str, Any]:
    """Original attribution accuracy, and independent origins of duplicate-only families."""
    right = total = origins_right = dup_families = 0
    articles = origins = 0
    wrong: list[tuple[str, str]] = []
    for original, members in cq.families(bench):
        ids = [aid[original]] + [aid[m["copy"]] for m in members]
        if len(copies.copy_group(conn, ids[0])) > 1:
            total += 1
            chosen, reason = copies.original_of(conn, ids[0])
            right += int(chosen == ids[0])
            if chosen != ids[0]:
                wrong.append((original, reason))
        if all(m["gold"] in DUP for m in members):
            dup_families += 1
            n = copies.independent_origins(conn, ids)
            origins_right += int(n == 1)
            articles += len(ids)
            origins += n
    return {
        "original_accuracy": round(right / (total or 1), 4),
        "original_groups": total,
        "original_wrong": wrong[:20],
        "origins_accuracy": round(origins_right / (dup_families or 1), 4),
        "dup_families": dup_families,
        "articles_per_origin": round(articles / (origins or 1), 2),
    }


def quality(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Build the benchmark, ingest it, score it."""
    docs = cq.load()
    by_key = {d.key: d for d in docs}
    real_only = cq.build(docs, set(), 0, args.seed).real
    ws, real_seconds = ingest([d.record() for d in docs], folder, "real")
    real = real_links(ws, by_key)
    ws.close()
    bench = cq.build(docs, set(real["linked_keys"]), args.originals, args.seed)
    plain, bare_seconds = ingest(bench.records, folder, "bare", stages=())
    plain.close()
    ws, seconds = ingest(bench.records, folder, "bench")
    result = score(ws, bench, by_key)
    result["false_links"] = [w[:3] for w in result["false_links"]]
    mixed = real_links(ws, by_key)
    ws.close()
    return {
        "records": len(bench.records),
        "real_articles": len(real_only),
        "copies": len(bench.copies),
        "originals": len({c["original"] for c in bench.copies}),
        "kinds": dict(cq.kinds_table(bench)),
        "donor_words": bench.donor_words,
        "donor_rounds": bench.donor_rounds,
        "real_links": {k: v for k, v in real.items() if k != "linked_keys"},
        "basil_cross_outlet_with_copies": mixed["basil_cross_outlet"],
        "ingest_seconds_real": round(real_seconds, 1),
        "ingest_seconds_bench": round(seconds, 1),
        "ingest_seconds_without_stage": round(bare_seconds, 1),
        **result,
    }


def quality_markdown(q: dict[str, Any]) -> str:
    """The quality figures as Markdown tables."""
    stage_s = q["ingest_seconds_bench"] - q["ingest_seconds_without_stage"]
    stage_ms = 1000 * stage_s / q["records"]
    lines = [
        f"{q['records']} records: {q['real_articles']} real articles (GVC, BASIL, ECB+) "
        f"and {q['copies']} copies of {q['originals']} originals; new text for the copies "
        f"from {q['donor_words']:,} words of donor articles that are not ingested "
        f"(each paragraph used once: {q['donor_rounds'] <= 1}).",
        "",
        "| class | gold copies | recall | recall, right class | predicted links "
        "| precision | precision, right class | wrong links (of them real reuse) "
        "| precision without real reuse |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for cls in ("duplicate", "partial"):
        lines.append(
            f"| {cls} | {q[f'{cls}_gold']} | {q[f'{cls}_recall']:.3f} | "
            f"{q[f'{cls}_recall_class']:.3f} | {q[f'{cls}_predicted']} | "
            f"{q[f'{cls}_precision']:.3f} | {q[f'{cls}_precision_class']:.3f} | "
            f"{q[f'{cls}_false']} ({q[f'{cls}_false_inherited']}) | "
            f"{q[f'{cls}_precision_adjusted']:.3f} |"
        )
    lines += [
        "",
        "| kind of copy | gold relation | n | found | relation found |",
        "|---|---|---|---|---|",
    ]
    for kind, t in q["per_kind"].items():
        found = ", ".join(f"{k[3:]} {v}" for k, v in sorted(t.items()) if k.startswith("as "))
        lines.append(f"| {kind} | {cq.GOLD[kind]} | {t['n']} | {t['found']} | {found} |")
    lines += [
        "",
        f"- version links for updated originals: {q['version_links']}",
        f"- original attribution: {q['original_accuracy']:.3f} of {q['original_groups']} groups",
        f"- independent origins = 1 for duplicate-only families: {q['origins_accuracy']:.3f} "
        f"of {q['dup_families']} ({q['articles_per_origin']} articles per origin)",
        f"- shared passages (no copies) touching the copies' families: {q['shared_links']}, "
        f"{q['shared_in_family']} of them inside one family",
        f"- links between two real articles (no copies added): {q['real_links']['counts']}",
        f"- BASIL pairs of different outlets linked as copies: "
        f"{len(q['real_links']['basil_cross_outlet'])} (real articles alone), "
        f"{len(q['basil_cross_outlet_with_copies'])} (with the copies); as shared passages: "
        f"{len(q['real_links']['basil_cross_outlet_shared'])} (real articles alone) "
        f"{q['real_links']['basil_cross_outlet_shared']}",
        f"- ingest of the {q['records']} records: {q['ingest_seconds_without_stage']} s without "
        f"stages, {q['ingest_seconds_bench']} s with the copies stage ({stage_ms:.1f} ms per "
        "article for the stage)",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the chosen parts and write build/bench/copies.{md,json}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("quality", "speed", "all"), default="all")
    parser.add_argument("--originals", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not cq.DATA.exists():
        sys.exit(f"benchmark data not found at {cq.DATA}")
    result: dict[str, Any] = {"date": date.today().isoformat(), "machine": platform.platform(),
                              "cores": os.cpu_count(), "load_before": os.getloadavg(),
                              "command": " ".join(["python", *sys.argv])}  # fmt: skip
    text = [f"Run {result['date']} on {result['machine']} ({result['cores']} cores): "
            f"`{result['command']}`"]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("quality", "all"):
            result["quality"] = quality(args, Path(tmp))
            text += ["", "### Quality", "", quality_markdown(result["quality"])]
            print("\n".join(text), flush=True)
    if args.part in ("speed", "all"):
        import copies_speed

        sizes = [int(s) for s in args.sizes.split(",")]
        result["speed"] = copies_speed.run(sizes, args.queries)
        text += ["", "### Speed", "", copies_speed.markdown(result["speed"])]
    result["load_after"] = os.getloadavg()
    text += ["", "Load average (1, 5, 15 min) before: "
             + ", ".join(f"{x:.1f}" for x in result["load_before"]) + "; after: "
             + ", ".join(f"{x:.1f}" for x in result["load_after"])]  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "copies.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    (args.out / "copies.md").write_text("\n".join(text) + "\n")
    print("\n".join(text))
    print(f"written to {args.out}/copies.md and copies.json")


if __name__ == "__main__":
    main()
