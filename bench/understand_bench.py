"""Benchmark of the understand stage: quotes, dates, entity resolution and throughput.

Scores the stage against the hand-made gold set in bench/gold/understand_gold.json: the
demo corpus (examples/demo) and 41 real articles of ../shared/data (GVC, ECB+, BASIL),
whose texts are read from ../shared/data at run time. Also runs the seed checks and
measures NER and whole-stage throughput on GVC articles.

    .venv/bin/python bench/understand_bench.py [--json build/understand_bench.json]
        [--no-speed] [--misses] [--gold PATH]

``--misses`` prints every miss (gold quotes not found or with the wrong speaker, system
quotes matching no gold quote, wrong publication and event dates); the JSON always holds
them. ``--gold`` scores another gold file of the same format, such as the held-out set
bench/gold/understand_heldout.json (real articles only: the demo part runs only when the
file has a "demo" key; entity figures show "-" when it annotates no entities).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
GOLD = ROOT / "bench" / "gold" / "understand_gold.json"
sys.path.insert(0, str(ROOT / "src"))

from storyline.api import Workspace, open_workspace  # noqa: E402
from storyline.model import Quote  # noqa: E402
from storyline.settings import Settings  # noqa: E402
from storyline.store import understand as db  # noqa: E402
from storyline.understand import nlp  # noqa: E402
from storyline.understand.names import name_key  # noqa: E402

DATASETS = {
    "gvc": "gvc/gvc.jsonl",
    "ecbplus": "ecbplus/ecbplus-dev.jsonl",
    "basil": "basil/basil.jsonl",
}
QUOTE_SLACK = 80  # a system quote may start this many characters after the gold start


def _workspace(path: Path) -> Workspace:
    return open_workspace(path, Settings(workers=1, batch_size=200, stages=("understand",)))


# --- inputs -----------------------------------------------------------------------------


def demo_folder() -> Path:
    """The demo corpus (examples/demo/corpus when the corpus has moved there)."""
    base = ROOT / "examples" / "demo"
    return base / "corpus" if (base / "corpus").is_dir() else base


def demo_inputs(tmp: Path) -> Path:
    """A copy of the demo articles without the README, expected.json and scripts."""
    target = tmp / "demo"
    for sub in ("wire.jsonl", "pages", "feeds", "notes", "archive"):
        source = demo_folder() / sub
        if source.is_dir():
            shutil.copytree(source, target / sub)
        elif source.exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / sub)
    return target


def real_inputs(tmp: Path, gold: list[dict[str, Any]]) -> Path:
    """The gold real articles as one JSON Lines file (ECB+'s date_raw offered as date)."""
    wanted = {(g["dataset"], g["id"]) for g in gold}
    path = tmp / "real.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for name, rel in DATASETS.items():
            for line in (DATA / rel).open(encoding="utf-8"):
                record = json.loads(line)
                if (name, record["id"]) not in wanted:
                    continue
                row = {
                    "id": record["id"],
                    "title": record.get("title") or "",
                    "text": record["text"],
                    "date": record.get("date") or record.get("date_raw"),
                    "source": record.get("source"),
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def demo_key(article: Any, base: Path) -> str:
    """The expected.json key of a stored demo article (read from the copy under base)."""
    location = article.location.split(base.as_posix() + "/", 1)[-1]
    path = location.split(":", 1)[0]
    if path.startswith("archive/"):
        return f"{path}#{article.url}"
    if article.external_id:
        return f"{path}#{article.external_id}"
    return path


# --- scoring ----------------------------------------------------------------------------


def speaker_ok(gold: str, quote: Quote) -> bool:
    """Whether a system quote's speaker is the gold speaker (see the gold file's comment)."""
    for alt in gold.split("|"):
        if alt == "anonymous" and quote.anonymous:
            return True
        if alt.startswith(("group:", "org:")):
            word = alt.split(":", 1)[1].lower()
            if word in quote.speaker.lower() or word in (quote.speaker_name or "").lower():
                return True
        elif alt != "anonymous" and quote.speaker_name:
            mine, theirs = name_key(quote.speaker_name).split(), name_key(alt).split()
            if mine == theirs or (mine and theirs and mine[-1] == theirs[-1]):
                return True
    return False


# Abbreviations whose full stop ends no sentence ("Mr. Christie", "Sen. Rubio", "U.S. law").
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "sens",
        "rep",
        "reps",
        "gov",
        "lt",
        "gen",
        "atty",
        "col",
        "capt",
        "cmdr",
        "sgt",
        "cpl",
        "adm",
        "maj",
        "rev",
        "st",
        "jr",
        "sr",
        "supt",
        "det",
        "insp",
        "pres",
        "vs",
        "u.s",
        "u.n",
        "u.k",
        "d.c",
    ]
)


def ends_sentence(span: str) -> bool:
    """Whether ``span`` holds a sentence end: . ! or ? (a closing quote may follow) then space.

    A full stop after a title or abbreviation ("Mr.", "Gov.", "U.S.") or a single initial
    ("John F. Kennedy") ends no sentence.
    """
    for m in re.finditer(r"[.!?][”\"]?\s", span):
        if span[m.start()] == ".":
            word = re.search(r"([\w.]+)$", span[: m.start()])
            if word and (word[1].lower() in ABBREVIATIONS or len(word[1]) == 1):
                continue
        return True
    return False


def score_quotes(
    text: str, gold: list[dict[str, str]], found: list[Quote], misses: list[str] | None = None
) -> dict[str, int]:
    """Matches of gold quotes (start found in the text) to system quotes with speakers.

    Appends a line per miss to ``misses`` when given.
    """
    used: set[int] = set()
    counts = {"gold": len(gold), "system": len(found), "span": 0, "span_speaker": 0}
    for g in gold:
        at = text.find(g["start"])
        if at < 0:
            raise SystemExit(f"gold quote start not in text: {g['start']!r}")
        for i, q in enumerate(found):
            inside = q.start <= at <= q.end
            just_before = 0 <= q.start - at <= QUOTE_SLACK and not ends_sentence(text[at : q.start])
            if i in used or not (inside or just_before):
                continue
            used.add(i)
            counts["span"] += 1
            ok = speaker_ok(g["speaker"], q)
            counts["span_speaker"] += ok
            if not ok and misses is not None:
                misses.append(
                    f"speaker: {g['start']!r} gold {g['speaker']!r}, found {q.speaker!r} "
                    f"({q.speaker_name}, anonymous={q.anonymous}, {q.verb})"
                )
            break
        else:
            if misses is not None:
                misses.append(f"missed: {g['start']!r} by {g['speaker']!r}")
    for i, q in enumerate(found):
        if i not in used and misses is not None:
            misses.append(f"extra: {q.text[:70]!r} by {q.speaker!r} ({q.kind}, {q.verb})")
    return counts


def gold_items(text: str, entities: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every whole-word occurrence of a gold form, longest first."""
    forms = sorted(
        ((f, name) for name, fs in entities.items() for f in fs), key=lambda x: -len(x[0])
    )
    taken: list[tuple[int, int]] = []
    items = []
    for form, name in forms:
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            items.append((m.start(), m.end(), name))
    return items


def pairwise(items: list[tuple[str, str]]) -> dict[str, float]:
    """Pairwise P/R/F1 of (gold cluster, system cluster) labels of the same mentions."""
    tp = fp = fn = 0
    for (g1, s1), (g2, s2) in itertools.combinations(items, 2):
        same_gold, same_system = g1 == g2, s1 == s2
        tp += same_gold and same_system
        fp += same_system and not same_gold
        fn += same_gold and not same_system
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "pairs_tp": tp,
        "pairs_fp": fp,
        "pairs_fn": fn,
    }


def evaluate(
    ws: Workspace,
    articles: Iterable[tuple[Any, dict[str, Any], dict[str, list[str]]]],
) -> dict[str, Any]:
    """Score quotes, dates and entities of (article, gold, entity forms) triples."""
    conn = ws.store.conn
    q = {"gold": 0, "system": 0, "span": 0, "span_speaker": 0}
    pub = {"n": 0, "ok": 0}
    reliable = {"n": 0, "ok": 0}
    event = {"n": 0, "ok": 0, "by_basis": {}}
    entity_items: list[tuple[str, str]] = []
    mentions_total = mentions_found = 0
    misses: list[str] = []
    quote_misses: dict[str, list[str]] = {}
    for article, gold, forms in articles:
        label = gold.get("id") or article.external_id or article.location
        lines: list[str] = []
        for key, value in score_quotes(
            article.text, gold["quotes"], db.article_quotes(conn, article.id), lines
        ).items():
            q[key] += value
        if lines:
            quote_misses[label] = lines
        stored = article.published.date().isoformat() if article.published else None
        pub["n"] += 1
        pub["ok"] += stored == gold["published"]
        if stored != gold["published"]:
            misses.append(f"{label}: published {stored} vs gold {gold['published']}")
        trusted = db.publication_date_reliable(conn, article.id)
        reliable["n"] += 1
        reliable["ok"] += trusted == gold["published_reliable"]
        if trusted != gold["published_reliable"]:
            misses.append(f"{label}: reliable {trusted} vs gold {gold['published_reliable']}")
        if gold["event_date"]:
            day, evidence = db.article_event_date(conn, article.id)
            ok = day == date.fromisoformat(gold["event_date"])
            basis = event["by_basis"].setdefault(gold.get("event_basis", "text"), {"n": 0, "ok": 0})
            for bucket in (event, basis):
                bucket["n"] += 1
                bucket["ok"] += ok
            if not ok:
                misses.append(f"{label}: event {day} vs gold {gold['event_date']} ({evidence})")
        mentions = db.article_entities(conn, [article.id])[article.id]
        for start, end, name in gold_items(article.text, forms):
            mentions_total += 1
            hit = next(
                (m for m in mentions if m.field == "text" and m.start < end and start < m.end), None
            )
            if hit is not None:
                mentions_found += 1
                entity_items.append((name, hit.entity_id))
    p = q["span_speaker"] / q["system"] if q["system"] else 1.0
    r = q["span_speaker"] / q["gold"] if q["gold"] else 1.0
    return {
        "quotes": {**q, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0},
        "publication_date_accuracy": pub["ok"] / pub["n"],
        "publication_reliable_accuracy": reliable["ok"] / reliable["n"],
        "articles": pub["n"],
        "event_date": {**event, "accuracy": event["ok"] / event["n"] if event["n"] else None},
        "entities": {
            **pairwise(entity_items),
            "gold_mentions": mentions_total,
            "mention_recall": mentions_found / mentions_total if mentions_total else None,
        },
        "date_misses": misses,
        "quote_misses": quote_misses,
    }


# --- runs -------------------------------------------------------------------------------


def run_demo(tmp: Path, gold: dict[str, Any]) -> dict[str, Any]:
    """Ingest the demo corpus and score it."""
    ws = _workspace(tmp / "demo.db")
    base = demo_inputs(tmp)
    ws.ingest([base])
    by_key = {demo_key(a, base): a for a in ws.articles()}
    missing = sorted(set(gold["articles"]) - set(by_key))
    if missing:
        raise SystemExit(f"demo articles not found: {missing}")
    triples = [(by_key[k], g, gold["entities"]) for k, g in gold["articles"].items()]
    result = evaluate(ws, triples)
    result["relative_dates"] = score_relative_dates(ws, by_key)
    ws.close()
    return result


def score_relative_dates(ws: Workspace, by_key: dict[str, Any]) -> dict[str, Any]:
    """The demo's relative date phrases (examples/demo/expected.json): the date mention
    overlapping each phrase must resolve to its day, month ("2024-03"), year ("2025") or
    range of days ("2025-04-14/2025-04-18")."""
    expected = json.loads((ROOT / "examples" / "demo" / "expected.json").read_text())
    ok, misses = 0, []
    for item in expected["relative_dates"]:
        article = by_key[item["article"]]
        at = article.text.find(item["phrase"])
        end = at + len(item["phrase"])
        mentions = ws.understanding(article.id)["dates"]["mentions"]
        hit = next((m for m in mentions if at >= 0 and m["start"] < end and at < m["end"]), None)
        value, gold = (hit or {}).get("value") or "", item["resolves_to"]
        first, _, last = gold.partition("/")
        good = first <= value <= last if last else value.startswith(gold)
        ok += good
        if not good:
            misses.append(f"{item['article']}: {item['phrase']!r} -> {value or None} vs {gold}")
    return {"n": len(expected["relative_dates"]), "ok": ok, "misses": misses}


def run_real(tmp: Path, gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Ingest the gold real articles and score them, per dataset and together."""
    ws = _workspace(tmp / "real.db")
    ws.ingest([real_inputs(tmp, gold)])
    by_id = {a.external_id: a for a in ws.articles()}
    triples = [(by_id[g["id"]], g, g["entities"]) for g in gold if g["id"] in by_id]
    out = {
        "all": evaluate(ws, triples),
        "not_stored": [g["id"] for g in gold if g["id"] not in by_id],
    }
    for name in DATASETS:
        subset = [t for t in triples if t[1]["dataset"] == name]
        out[name] = evaluate(ws, subset)
    ws.close()
    return out


def run_seeds(tmp: Path) -> dict[str, Any]:
    """The issue's seed checks, as booleans."""
    ws = _workspace(tmp / "seeds.db")
    ws.ingest([DATA / "seeds"])
    conn = ws.store.conn
    ids = {Path(a.location).name[:3]: a.id for a in ws.articles()}
    mentions = db.article_entities(conn, list(ids.values()))
    entity = {m.text: m.entity_id for ms in mentions.values() for m in ms}
    tb2 = entity.get("Bayraktar TB2")
    speakers = {
        p: {(x.speaker_name, x.anonymous) for x in db.article_quotes(conn, i)}
        for p, i in ids.items()
    }
    checks = {
        "drone variants -> Bayraktar TB2": all(
            entity.get(v) == tb2 for v in ("Pyrector", "Pyrektor", "Piracter")
        ),
        "Kiev = Kyiv": entity.get("Kiev") is not None and entity.get("Kiev") == entity.get("Kyiv"),
        "Reuters 2024 header unreliable": not db.publication_date_reliable(conn, ids["002"]),
        "2022 articles event date 2022-08-05": all(
            db.article_event_date(conn, ids[p])[0] == date(2022, 8, 5)
            for p in ("000", "001", "003", "004")
        ),
        "Peskov quoted": ("Dmitry Peskov", False)
        in speakers["000"] | speakers["003"] | speakers["004"],
        "Haluk Bayraktar quoted": ("Haluk Bayraktar", False) in speakers["001"],
        "Bagci quoted": ("Hüseyin Bagci", False) in speakers["001"],
        "anonymous official quoted": any(anon for _n, anon in speakers["002"]),
    }
    ws.close()
    return checks


def run_speed(tmp: Path, n: int) -> dict[str, Any]:
    """NER alone (nlp.pipe) and the whole stage (ingest with minus without it) on GVC."""
    records = [json.loads(line) for line in itertools.islice((DATA / DATASETS["gvc"]).open(), n)]
    texts = [r["title"] + "\n\n" + r["text"] for r in records]
    nlp.load()
    wall, cpu = time.perf_counter(), time.process_time()
    list(nlp.pipe(texts))
    ner = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
    source = tmp / "gvc.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    timings = {}
    for name, stages in (("without", ()), ("with", ("understand",))):
        settings = Settings(workers=1, batch_size=200, stages=stages)
        ws = open_workspace(tmp / f"speed-{name}.db", settings)
        wall, cpu = time.perf_counter(), time.process_time()
        ws.ingest([source])
        timings[name] = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
        ws.close()
    stage = {k: timings["with"][k] - timings["without"][k] for k in ("wall_s", "cpu_s")}
    return {
        "articles": n,
        "chars_per_article": sum(map(len, texts)) / n,
        "load_average": os.getloadavg(),
        "ner_articles_per_s_wall": n / ner["wall_s"],
        "ner_articles_per_s_cpu": n / ner["cpu_s"],
        "stage_articles_per_s_wall": n / stage["wall_s"],
        "stage_articles_per_s_cpu": n / stage["cpu_s"],
    }


def markdown(result: dict[str, Any]) -> str:
    """The figures as Markdown tables."""
    rows = [
        "| set | articles | quote+speaker P | R | F1 | publication date acc. | reliable flag acc. "
        "| event date acc. (n) | entity pairwise P | R | F1 | mention recall |",
        "|" + "---|" * 12,
    ]
    sets = [("demo", result["demo"])] if "demo" in result else []
    sets += [(k, result["real"][k]) for k in ("all", *DATASETS)]
    for name, r in sets:
        q, e, ev = r["quotes"], r["entities"], r["event_date"]
        acc = f"{ev['accuracy']:.3f} ({ev['n']})" if ev["accuracy"] is not None else "-"
        ents = (
            f"{e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | {e['mention_recall']:.3f}"
            if e["gold_mentions"]
            else "- | - | - | -"
        )
        rows.append(
            f"| {'real: ' + name if name != 'demo' else 'demo'} | {r['articles']} "
            f"| {q['precision']:.3f} "
            f"| {q['recall']:.3f} | {q['f1']:.3f} | {r['publication_date_accuracy']:.3f} "
            f"| {r['publication_reliable_accuracy']:.3f} | {acc} | {ents} |"
        )
    if "demo" in result:
        rel = result["demo"]["relative_dates"]
        rows.append(f"\ndemo relative date phrases resolved: {rel['ok']} of {rel['n']}")
    if result.get("speed"):
        rows += speed_rows(result["speed"])
    rows += [
        "",
        "| seed check | result |",
        "|---|---|",
    ]
    rows += [f"| {k} | {'pass' if v else 'FAIL'} |" for k, v in result["seeds"].items()]
    return "\n".join(rows)


def speed_rows(speed: dict[str, Any]) -> list[str]:
    """The throughput table."""
    load = ", ".join(f"{x:.2f}" for x in speed["load_average"])
    return [
        "",
        f"| throughput (GVC, {speed['articles']} articles, "
        f"~{speed['chars_per_article']:.0f} chars) | wall | CPU |",
        "|---|---|---|",
        f"| NER (spaCy nlp.pipe) | {speed['ner_articles_per_s_wall']:.1f}/s "
        f"| {speed['ner_articles_per_s_cpu']:.1f}/s |",
        f"| whole understand stage | {speed['stage_articles_per_s_wall']:.1f}/s "
        f"| {speed['stage_articles_per_s_cpu']:.1f}/s |",
        f"\nload average during the run: {load}",
    ]


def misses_text(result: dict[str, Any]) -> str:
    """Every miss of the demo and the real sets, grouped by article."""
    rows = []
    sets = [("real", result["real"]["all"])]
    if "demo" in result:
        rows += ["\n## demo: relative dates"]
        rows += [f"- {line}" for line in result["demo"]["relative_dates"]["misses"]]
        sets.insert(0, ("demo", result["demo"]))
    for name, r in sets:
        rows.append(f"\n## {name}: dates")
        rows += [f"- {line}" for line in r["date_misses"]]
        rows.append(f"\n## {name}: quotes")
        for label, lines in r["quote_misses"].items():
            rows.append(f"- {label}")
            rows += [f"    - {line}" for line in lines]
    return "\n".join(rows)


def main() -> None:
    """Run every part and print the tables (and write JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--speed-articles", type=int, default=300)
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput part")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument(
        "--gold", type=Path, default=GOLD, help="gold file to score (default: %(default)s)"
    )
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"benchmark data not present: {DATA}")
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        result: dict[str, Any] = {"gold": str(args.gold)}
        if "demo" in gold:
            result["demo"] = run_demo(tmp, gold["demo"])
        result["real"] = run_real(tmp, gold["real"])
        result["seeds"] = run_seeds(tmp)
        if not args.no_speed:
            result["speed"] = run_speed(tmp, args.speed_articles)
    print(markdown(result))
    if args.misses:
        print(misses_text(result))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
