"""Ingest benchmark: articles per second and peak memory for JSONL, HTML and WARC input.

Scales the Gun Violence Corpus (``../shared/data/gvc/gvc.jsonl``, 508 articles) by
repeating its articles with new ids, new URLs and a one-sentence text change, renders the
same articles as realistic news pages (one .html file each, and as responses in a
.warc.gz), then runs ``storyline ingest`` on each input in a fresh workspace as a
subprocess with the later stages off (``STORYLINE_STAGES=''``; ``--stages all`` keeps them).
Memory is sampled from /proc over the whole process tree (the ingest process and its
extraction workers); CPU time comes from getrusage, and the CPU other processes used during
a run is reported too, as wall-clock rates mean little on a busy machine. A run that does
not store every article, rejects one, lacks a language or keeps a reader comment fails the
benchmark. Results go to build/bench/ingest.{md,json}; the figures are in BENCHMARKS.md.

    .venv/bin/python bench/ingest_bench.py             # JSONL 1k/10k/100k, HTML+WARC 1k/10k
    .venv/bin/python bench/ingest_bench.py --quick     # 1k only, a smoke run
    .venv/bin/python bench/ingest_bench.py --full      # HTML and WARC at 100k too (slow)
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import io
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "gvc" / "gvc.jsonl"
OUT = ROOT / "build" / "bench"
STORYLINE = Path(sys.executable).parent / "storyline"
FORMATS = ("jsonl", "html", "warc")
WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[^/]+/")
Row = dict[str, Any]
COMMENT = "Praying for the families. When will this violence end?"


def load_gvc(path: Path) -> list[dict[str, Any]]:
    """The GVC articles (id, title, date, url, text); label fields are never read."""
    with path.open(encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    return [{k: row[k] for k in ("id", "title", "date", "url", "text")} for row in rows]


def scaled(base: list[dict[str, Any]], n: int) -> Iterator[dict[str, Any]]:
    """``n`` articles: copy 0 is the corpus as is, later copies get a new id, URL and text."""
    for i in range(n):
        copy, row = divmod(i, len(base))
        article = base[row]
        if copy == 0:
            yield dict(article)
            continue
        parts = urlsplit(article["url"])
        url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/copy-{copy}"))
        text = f"{article['text']}\n\nThis report was filed as update number {copy}."
        yield {**article, "id": f"{article['id']}-{copy}", "url": url, "text": text}


def live_url(url: str) -> str:
    """The page's own URL: GVC URLs are Wayback Machine captures of it."""
    return WAYBACK.sub("", url)


def page_html(article: dict[str, Any]) -> str:
    """A news page around the article: head metadata, nav, figure, share, footer, comments."""
    esc = html.escape
    host = urlsplit(live_url(article["url"])).netloc
    site = host.split(":")[0].removeprefix("www.") or "news.example"
    title, day = esc(article["title"]), esc(article["date"])
    paragraphs = "\n".join(
        f"<p>{esc(p.strip())}</p>" for p in article["text"].split("\n") if p.strip()
    )
    nav = "".join(
        f'<li><a href="/{s.lower()}">{s}</a></li>'
        for s in ("News", "Local", "Crime", "Sports", "Weather", "Opinion")
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {esc(site)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="{esc(site)}">
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{day}T09:30:00Z">
<link rel="canonical" href="{esc(live_url(article["url"]))}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head><body>
<header class="masthead"><a class="logo" href="/">{esc(site)}</a>
<nav><ul>{nav}</ul></nav><form action="/search"><input name="q"></form></header>
<main><article class="story">
<h1>{title}</h1>
<p class="byline">By Staff Reporter · <time datetime="{day}">{day}</time></p>
<figure><img src="/images/scene.jpg" alt="Police tape at the scene">
<figcaption>Police tape at the scene. (File photo)</figcaption></figure>
{paragraphs}
<div class="share"><a href="https://twitter.com/intent/tweet">Share on Twitter</a>
<a href="https://www.facebook.com/sharer">Share on Facebook</a> <a href="mailto:">Email</a></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/local/weekend-weather">Weekend weather: sun and showers</a></li>
<li><a href="/sports/high-school-roundup">High school roundup</a></li></ul></aside>
<section id="comments" class="comments"><h2>2 Comments</h2>
<div class="comment"><p class="author">reader42</p><p>{COMMENT}</p></div>
<div class="comment"><p class="author">jdoe</p><p>Thank you for the reporting.</p></div>
<form class="reply"><h3>Leave a Reply</h3><textarea></textarea></form></section></main>
<footer><p>© 2016 {esc(site)}. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>
"""


def write_jsonl(articles: Iterator[dict[str, Any]], path: Path) -> None:
    """One JSON record per line, fields as in GVC."""
    with path.open("w", encoding="utf-8") as stream:
        for article in articles:
            stream.write(json.dumps(article, ensure_ascii=False) + "\n")


def write_html(articles: Iterator[dict[str, Any]], root: Path) -> None:
    """One page per article, 1,000 pages per folder."""
    for i, article in enumerate(articles):
        folder = root / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.html").write_text(page_html(article), encoding="utf-8")


def write_warc(articles: Iterator[dict[str, Any]], path: Path) -> None:
    """The pages as HTTP responses, with request, image and 404 records in between."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer: WARCWriter, url: str, status: str, ctype: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench"}))
        for i, article in enumerate(articles):
            url = live_url(article["url"])
            get = f"GET {urlsplit(url).path} HTTP/1.1"
            request = StatusAndHeaders(get, [], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            body = page_html(article).encode("utf-8")
            response(writer, url, "200 OK", "text/html; charset=utf-8", body)
            if i % 10 == 0:
                response(writer, f"{url}/scene.jpg", "200 OK", "image/jpeg", b"\xff\xd8" * 512)
                response(writer, f"{url}/missing", "404 Not Found", "text/html", b"<p>gone</p>")


class TreeMemory(threading.Thread):
    """Samples the summed VmRSS (every 50 ms) and Pss (every 250 ms) of a process tree, in MB."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        sample = 0
        while not self.done.is_set():
            tree = self._tree()
            rss = sum(_kb(f"/proc/{pid}/status", "VmRSS:") for pid in tree)
            self.peak_rss = max(self.peak_rss, rss)
            if sample % 5 == 0:  # smaps_rollup walks page tables: read it less often
                pss = sum(_kb(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in tree)
                self.peak_pss = max(self.peak_pss, pss)
            sample += 1
            self.done.wait(self.interval)

    def _tree(self) -> list[int]:
        tree = [self.pid]
        for pid in tree:
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    tree += [int(child) for child in task.read_text().split()]
        return tree


def _kb(path: str, key: str) -> float:
    """A ``key: N kB`` value of a /proc file, in MB (0 when the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def settle(limit: float, idle_below: float = 0.3) -> None:
    """Wait up to ``limit`` seconds for a second in which other work uses < 0.3 cores."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy = _busy_seconds()
        time.sleep(1.0)
        if _busy_seconds() - busy < idle_below:
            return


def run_ingest(path: Path, db: Path, workers: int | None, stages: str) -> dict[str, Any]:
    """Run ``storyline ingest`` in a subprocess: wall and CPU time, summary, peak memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    if workers is not None:
        env["STORYLINE_WORKERS"] = str(workers)
    if stages != "all":
        env["STORYLINE_STAGES"] = stages
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [str(STORYLINE), "ingest", str(path), "--db", str(db), "--json", "--quiet"]
    usage, busy = resource.getrusage(resource.RUSAGE_CHILDREN), _busy_seconds()
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = TreeMemory(child.pid)
    memory.start()
    out, err = child.communicate()
    wall = time.perf_counter() - started
    memory.done.set()
    memory.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    if child.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({child.returncode}): {err.decode()[-2000:]}")
    others = max(0.0, _busy_seconds() - busy - cpu) / wall
    summary = json.loads(out)
    return {"wall": wall, "cpu": cpu, "others": others, "summary": summary,
            "rss": memory.peak_rss, "pss": memory.peak_pss}  # fmt: skip


def check(fmt: str, n: int, summary: dict[str, Any], db: Path) -> list[str]:
    """What went wrong: not all ``n`` stored, a rejection, no language, a comment kept."""
    problems = []
    if summary["stored"] != n or summary["rejected"] or summary["duplicates_skipped"]:
        shown = {k: summary[k] for k in ("read", "stored", "duplicates_skipped", "rejected")}
        where = ", ".join(Path(r["location"]).name for r in summary["rejections"][:3])
        problems.append(f"{fmt} {n:,}: expected {n:,} stored, none rejected; got {shown} {where}")
    with sqlite3.connect(db) as conn:
        nolang = conn.execute("SELECT count(*) FROM articles WHERE language IS NULL").fetchone()
        leaks = conn.execute("SELECT count(*) FROM articles WHERE instr(text, ?)", (COMMENT,))
        leaked = leaks.fetchone()[0]
    if nolang[0]:
        problems.append(f"{fmt} {n:,}: {nolang[0]} articles without a detected language")
    if leaked:
        problems.append(f"{fmt} {n:,}: {leaked} articles kept a reader comment in their text")
    return problems


def measure(
    fmt: str, n: int, target: Path, workers: int | None, args: argparse.Namespace
) -> tuple[Row, list[str]]:
    """The fastest of ``--repeat`` ingests of ``target`` as a table row, and failed checks."""
    db = target.with_name(f"{fmt}-{n}-{workers}.db")
    runs = []
    for _ in range(args.repeat):
        settle(args.settle)
        runs.append(run_ingest(target, db, workers, args.stages))
    best = min(runs, key=lambda run: run["wall"])
    summary = best["summary"]
    problems = check(fmt, n, summary, db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    row = {
        "format": fmt,
        "articles": n,
        "workers": workers or args.default_workers,
        "wall_s": round(best["wall"], 2),
        "wall_per_s": round(n / best["wall"], 1),
        "ingest_per_s": summary["articles_per_second"],
        "cpu_s": round(best["cpu"], 1),
        "cpu_ms": round(best["cpu"] * 1000 / n, 2),
        "others": round(best["others"], 2),
        "peak_rss_mb": round(max(run["rss"] for run in runs)),
        "peak_pss_mb": round(max(run["pss"] for run in runs)),
        "stored": summary["stored"],
    }
    return row, problems


def bench(args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    """Generate each input, ingest it, check it; one result row per run."""
    base = load_gvc(args.data)
    writers = {"jsonl": write_jsonl, "html": write_html, "warc": write_warc}
    names = {"jsonl": "articles.jsonl", "html": "pages", "warc": "pages.warc.gz"}
    rows: list[Row] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        for fmt in args.formats:
            for n in args.sizes:
                if fmt != "jsonl" and n > 10_000 and not args.full:
                    continue
                target = Path(tmp, f"{n}-{names[fmt]}")
                made = time.perf_counter()
                writers[fmt](scaled(base, n), target)
                print(f"generated {fmt} {n:,} in {time.perf_counter() - made:.1f}s", flush=True)
                workers: list[int | None] = [None]  # storyline's default: cores, at most 4
                if n == args.compare_at and args.default_workers > 1:
                    workers.append(1)
                for count in workers:
                    row, found = measure(fmt, n, target, count, args)
                    rows.append(row)
                    problems += found
                    print(markdown([row], header=False), flush=True)
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink()
    return rows, problems


COLUMNS = (
    ("format", "format"), ("articles", "articles"), ("workers", "workers"),
    ("wall_s", "wall s"), ("wall_per_s", "articles/s (wall)"),
    ("ingest_per_s", "articles/s (ingest)"), ("cpu_s", "CPU s"),
    ("cpu_ms", "CPU ms/article"), ("others", "other load"), ("peak_rss_mb", "peak RSS MB"),
    ("peak_pss_mb", "peak PSS MB"), ("stored", "stored"),
)  # fmt: skip


def machine(args: argparse.Namespace) -> dict[str, str]:
    """Where and on what the figures were taken (the source digest names the code version)."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines()
                  if ln.startswith("model name")), "?")  # fmt: skip
    ram = _kb("/proc/meminfo", "MemTotal:") / 1024
    src = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*.py")):
        src.update(path.read_bytes())
    return {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": f"{os.cpu_count()} x {model}",
        "ram": f"{ram:.1f} GiB",
        "python": sys.version.split()[0],
        "src_sha256": src.hexdigest()[:12],
        "stages": args.stages if args.stages else "none (STORYLINE_STAGES='')",
    }


def markdown(rows: list[Row], header: bool = True) -> str:
    """The rows as a Markdown table."""
    lines = []
    if header:
        lines += ["| " + " | ".join(t for _k, t in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = [f"{row[k]:,}" if isinstance(row[k], int) else str(row[k]) for k, _t in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Parse options, run the benchmark, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add = parser.add_argument
    add("--sizes", default="1000,10000,100000", help="article counts, comma-separated")
    add("--formats", default=",".join(FORMATS), help="any of jsonl,html,warc")
    add("--quick", action="store_true", help="1,000 articles only: a smoke run")
    add("--full", action="store_true", help="HTML and WARC over 10,000 articles too (slow)")
    add("--compare-at", type=int, default=10_000, help="also run 1 worker at this size")
    add("--repeat", type=int, default=1, help="runs of each; the fastest counts")
    add("--settle", type=float, default=30, help="seconds to wait for an idle machine")
    add("--stages", default="", help="STORYLINE_STAGES: '' (default) none; 'all' every one")
    add("--data", type=Path, default=DATA, help="the GVC JSONL file")
    add("--out", type=Path, default=OUT, help="where ingest.md and ingest.json go")
    args = parser.parse_args()
    args.sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    args.formats = [f for f in args.formats.split(",") if f]
    if bad := set(args.formats) - set(FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(bad))}")
    if not args.data.exists():
        raise SystemExit(f"benchmark data not found: {args.data}")
    args.default_workers = max(1, min(4, os.cpu_count() or 1))
    about = machine(args)  # before the runs: the code they measure
    rows, problems = bench(args)
    about["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    table = "\n".join(f"- {k}: {v}" for k, v in about.items()) + "\n\n" + markdown(rows)
    table += "".join(f"\n\nFAILED: {p}" for p in problems)
    print("\n" + table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ingest.md").write_text(table + "\n", encoding="utf-8")
    report = {"machine": about, "rows": rows, "failed": problems}
    (args.out / "ingest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}/ingest.md and ingest.json")
    if problems:
        raise SystemExit(f"{len(problems)} correctness check(s) failed: see above")


if __name__ == "__main__":
    main()
