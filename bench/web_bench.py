"""Latency and throughput of the web UI and HTTP API with 10,000 articles in the workspace.

The workspace is scaled from ``../shared/data`` (GVC and BASIL, 808 articles): copy ``k``
of every article gets a new id (a marker line added to its text, no URL) and its date
shifted by ``k * 3`` years, so copies form new events instead of joining the old ones. It is
built once with ``STORYLINE_STAGES=events STORYLINE_EMBEDDER=none`` (quick: no copies,
entities or sentence embeddings) and kept in ``build/bench/web-10k.db``.

``storyline serve`` then runs in its own process on 127.0.0.1, and a local load generator
(``wrk`` with a Lua script for exact percentiles, or a bounded Python loop when wrk is not
installed) requests each target for a fixed, short time with a few connections. Reported:
p50 and p95 latency, requests per second, and the first (cold) request of each target.

    .venv/bin/python bench/web_bench.py                 # build if needed, measure, print
    .venv/bin/python bench/web_bench.py --write         # and replace our BENCHMARKS.md section
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SOURCES = [DATA / "gvc" / "gvc.jsonl", DATA / "basil" / "basil.jsonl"]
OUT = ROOT / "build" / "bench"
DB = OUT / "web-10k.db"
BENCHMARKS = ROOT / "BENCHMARKS.md"
SECTION = "## Web UI and HTTP API (issue 7)"
GOALS = {"api": 100.0, "page": 300.0}  # p95 in milliseconds
LUA = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, '
    .. '"errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def scaled_records(n: int) -> list[dict[str, Any]]:
    """``n`` article records from the shared data, copies shifted in time with new ids."""
    base: list[dict[str, Any]] = []
    for path in SOURCES:
        with path.open(encoding="utf-8") as handle:
            base += [json.loads(line) for line in handle if line.strip()]
    out: list[dict[str, Any]] = []
    copy = 0
    while len(out) < n:
        for record in base:
            if len(out) >= n:
                break
            day = date.fromisoformat(record["date"][:10]) + timedelta(days=copy * 3 * 365)
            out.append(
                {
                    "id": f"web-{copy}-{record['id']}",
                    "title": record["title"],
                    "text": f"Report {copy + 1}.\n\n{record['text']}",
                    "date": day.isoformat(),
                    "source": record.get("source") or "gvc",
                    "language": "en",
                }
            )
        copy += 1
    return out


def build(n: int, rebuild: bool) -> float | None:
    """Ingest the scaled corpus into ``DB`` (unless it is already there); seconds taken."""
    if DB.exists() and not rebuild:
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "scaled.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for record in scaled_records(n):
                handle.write(json.dumps(record) + "\n")
        env = {**os.environ, "STORYLINE_STAGES": "events", "STORYLINE_EMBEDDER": "none"}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "storyline", "ingest", str(source), "--db", str(DB), "--quiet"],
            check=True,
            env=env,
        )
        return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    """``storyline serve`` on 127.0.0.1 in its own process, once it answers."""
    env = {**os.environ, "STORYLINE_EMBEDDER": "none", "STORYLINE_API_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline", "serve", "--db", str(DB), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(port, "/api/status")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("storyline serve did not start")


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def with_wrk(port: int, path: str, seconds: int, connections: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script.name)
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def with_python(port: int, path: str, seconds: int, connections: int) -> dict[str, Any]:
    """A bounded closed loop: ``connections`` threads, keep-alive, for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "p50": cuts[49],
        "p95": cuts[94],
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
    }


def targets(port: int) -> list[tuple[str, str, str]]:
    """(name, kind, path) of what is measured, chosen from the workspace itself."""

    def first_event(query: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(get(port, "/api/events?sort=size&limit=1" + query)[1])
        return found

    head = first_event("")
    biggest = head["items"][0]
    typical = first_event(f"&offset={head['total'] // 2}")["items"][0]  # the median size
    query = quote("police shooting")
    # Event pages last: the first view of an event starts its analysis (issue 6) in the
    # server's analysis process, which then competes for the CPU with what follows.
    return [
        ("front page", "page", "/"),
        ("search page", "page", f"/search?q={query}"),
        ("API event list", "api", "/api/events?limit=50"),
        ("API search", "api", f"/api/search?q={query}&limit=20"),
        ("API articles", "api", "/api/articles?limit=50&offset=5000"),
        (f"event page ({typical['size']} articles)", "page", f"/events/{typical['id']}"),
        (f"API event ({typical['size']} articles)", "api", f"/api/events/{typical['id']}"),
        (f"event page ({biggest['size']} articles)", "page", f"/events/{biggest['id']}"),
        (f"API event ({biggest['size']} articles)", "api", f"/api/events/{biggest['id']}"),
        (
            f"API comparison ({biggest['size']} articles)",
            "api",
            f"/api/events/{biggest['id']}/comparison",
        ),
    ]


def measure(seconds: int, connections: int, client: str) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    port = free_port()
    process = serve(port)
    rows = []
    try:
        load = with_wrk if client == "wrk" else with_python
        for name, kind, path in targets(port):
            started = time.perf_counter()
            status, body = get(port, path)
            cold = (time.perf_counter() - started) * 1000
            assert status == 200, (path, status, body[:200])
            load(port, path, 1, connections)  # warm-up
            figures = load(port, path, seconds, connections)
            if "/events/" in path:  # was its analysis ready while it was measured?
                event_id = path.split("/events/")[1].split("/")[0]
                state = json.loads(get(port, f"/api/events/{event_id}")[1])["analysis"]
                name = f"{name}, analysis {state}"
            rows.append(
                {
                    "name": name,
                    "kind": kind,
                    "path": path,
                    "cold_ms": cold,
                    "bytes": len(body),
                    **figures,
                    "goal_ms": GOALS[kind],
                    "met": figures["p95"] < GOALS[kind],
                }
            )
            print(
                f"{name:<32} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
                f"{figures['rps']:7.1f} req/s  cold {cold:7.1f} ms",
                file=sys.stderr,
            )
        status_body = json.loads(get(port, "/api/status")[1])
    finally:
        process.terminate()
        process.wait(10)
    return {"rows": rows, "articles": status_body["articles"], "events": status_body["events"],
            "load": (load_before, os.getloadavg()[0])}  # fmt: skip


def markdown(runs: list[dict[str, Any]], args: argparse.Namespace) -> str:
    first = runs[0]
    lines = [
        SECTION,
        "",
        f"{first['articles']:,} articles in {first['events']:,} events (GVC + BASIL scaled "
        "with new ids and shifted dates; built with `STORYLINE_STAGES=events "
        "STORYLINE_EMBEDDER=none`"
        + (f" in {first['build_seconds']:.0f} s" if first.get("build_seconds") else "")
        + "). `storyline serve` in its own process on 127.0.0.1, one uvicorn worker; "
        f"load from `{first['client']}` for {args.seconds} s per target after a 1 s warm-up, "
        "with 1 connection (the latency of one request at a time) and with more (requests "
        f"queue behind each other). Goals: p95 under {GOALS['api']:.0f} ms for API reads, "
        f"under {GOALS['page']:.0f} ms for pages. Each event row says whether the event's "
        "analysis (brief, comparison: issue 6) was ready while it was measured; a pending "
        "one runs in the server's analysis process meanwhile and competes for the CPU.",
    ]
    for run in runs:
        plural = "s" if run["connections"] > 1 else ""
        lines += [
            "",
            f"{run['connections']} connection{plural} (load average {run['load'][0]:.1f} "
            f"before, {run['load'][1]:.1f} after):",
            "",
            "| target | p50 ms | p95 ms | requests/s | first request ms | goal |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for r in run["rows"]:
            verdict = "met" if r["met"] else "missed"
            lines.append(
                f"| {r['name']} (`{r['path']}`) | {r['p50']:.1f} | {r['p95']:.1f} | "
                f"{r['rps']:.0f} | {r['cold_ms']:.0f} | p95 < {r['goal_ms']:.0f}: {verdict} |"
            )
    lines += [
        "",
        f"Command: `.venv/bin/python bench/web_bench.py --write` (`--seconds {args.seconds} "
        f"--connections {args.connections}`). Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other engineers' work, Python "
        f"{platform.python_version()}; {datetime.now(UTC).date().isoformat()}.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Put our section into BENCHMARKS.md: replace it if there, else append; others stay."""
    current = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    if SECTION in current:
        head, rest = current.split(SECTION, 1)
        tail = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        updated = head + text + ("\n" + tail if tail else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    BENCHMARKS.write_text(updated, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=5, help="load per target")
    parser.add_argument("--connections", default="1,4", help="one run per count, e.g. 1,4")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--rebuild", action="store_true", help="build the workspace again")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    if not all(p.exists() for p in SOURCES):
        print(f"skipped: benchmark data not present under {DATA}", file=sys.stderr)
        return
    built = build(args.articles, args.rebuild)
    client = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "python")
    runs = []
    for connections in (int(n) for n in args.connections.split(",")):
        run = measure(args.seconds, connections, client)
        runs.append({**run, "client": client, "build_seconds": built, "connections": connections})
    (OUT / "web_bench.json").write_text(json.dumps(runs, indent=2), encoding="utf-8")
    text = markdown(runs, args)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
