"""Sections the later stages add to an event or an article, each None when its data is absent.

The copies (issue 3), understand (issue 5) and analysis (issue 6) stages may or may not
have run on a workspace; a page shows a section only when its stage left data, and the
API returns ``null`` for it.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, cast

from storyline.api import Workspace
from storyline.errors import NotFound, StorylineError
from storyline.model import Article
from storyline.web.plain import plain, summary

log = logging.getLogger("storyline.web")

MAX_PASSAGES = 3  # reused passages shown per copy link on an event page
MAX_LINKS = 200  # copy links shown per event


def independent_origins(ws: Workspace, ids: list[str], stages: set[str]) -> int | None:
    """How many independent origins these articles have; None without the copies stage."""
    if "copies" not in stages or not ids:
        return None
    from storyline import copies

    return copies.independent_origins(ws.store.conn, ids)


def event_copies(ws: Workspace, articles: list[Article], stages: set[str]) -> dict[str, Any] | None:
    """The copy graph of an event: who reuses whose text, with the reused passages."""
    if "copies" not in stages:
        return None
    from storyline import copies
    from storyline.store import copies as db

    conn = ws.store.conn
    known = {a.id: a for a in articles}
    members = set(known)
    links: dict[tuple[str, str], Any] = {}
    for article in articles:
        for link in copies.copy_links(conn, article.id):
            if link.relation not in ("version", "shared"):  # shared passages: no copy
                links.setdefault((link.source_id, link.target_id), link)
    out = []
    for link in list(links.values())[:MAX_LINKS]:
        for side in (link.source_id, link.target_id):
            if side not in known:
                known[side] = ws.article(side)
        text = db.version_text(conn, link.source_id, link.source_version) or ""
        passages = [text[c[0] : c[1]] for c, _t in link.passages[:MAX_PASSAGES]]
        out.append(
            {
                "copy_id": link.source_id,
                "original_id": link.target_id,
                "relation": link.relation,
                "overlap": round(link.overlap, 3),
                "reason": link.reason,
                "passages": passages,
                "in_event": link.source_id in members and link.target_id in members,
            }
        )
    nodes = sorted({i for k in out for i in (k["copy_id"], k["original_id"])})
    return {
        "links": out,
        "articles": {i: summary(known[i]) for i in nodes},
        "independent_origins": copies.independent_origins(conn, sorted(members)),
    }


def event_entities(ws: Workspace, event_id: int, stages: set[str]) -> list[Any] | None:
    """The event's most mentioned entities."""
    if "entities" not in stages:
        return None
    from storyline.understand.api import entity_dict

    return [entity_dict(e) for e in ws.entities(event=event_id, limit=15)]


def event_quotes(ws: Workspace, articles: list[Article], stages: set[str]) -> list[Any] | None:
    """The quotes of an event's articles, one entry per quote with the articles carrying it."""
    if "understand" not in stages:
        return None
    from storyline.store import understand as db

    found: dict[str, dict[str, Any]] = {}
    for article in articles:
        for q in db.article_quotes(ws.store.conn, article.id):
            item = found.setdefault(
                q.quote_id,
                {
                    "quote_id": q.quote_id,
                    "text": q.text,
                    "kind": q.kind,
                    "verb": q.verb,
                    "speaker": q.speaker_name or q.speaker,
                    "speaker_entity_id": q.speaker_entity_id,
                    "anonymous": q.anonymous,
                    "first_article_id": q.first_article_id,
                    "articles": [],
                },
            )
            item["articles"].append({"id": article.id, "source": article.source})
    return sorted(found.values(), key=lambda q: (-len(q["articles"]), q["text"]))


def reported_dates(ws: Workspace, articles: list[Article], stages: set[str]) -> list[Any] | None:
    """When the articles say the event happened (the understand stage's event dates)."""
    if "understand" not in stages:
        return None
    from storyline.store import understand as db

    days: Counter[str] = Counter()
    for article in articles:
        value, _evidence = db.article_event_date(ws.store.conn, article.id)
        if value is not None:
            days[value.isoformat()] += 1
    return [{"day": d, "articles": n} for d, n in sorted(days.items())]


_NO_ANALYSIS = {"brief": None, "developments": None, "comparison": None, "contradictions": None}


def analysis_module() -> Any:
    """The analysis stage's package (issue 6), when this storyline has it."""
    try:
        from storyline import analysis
    except ImportError:
        return None
    return analysis if callable(getattr(analysis, "event_views", None)) else None


ANALYSIS_WAIT = 2.0  # seconds the request that starts an analysis waits for it
MAX_KEPT = 128  # analyses kept in memory


class _Analyser:
    """Runs analyses one at a time from a background thread, keeping the latest results.

    The request that starts an event's analysis waits a moment for it; a long one goes on
    in the background and shows on a later request, and requests that find it still
    running do not wait. The thread is a daemon, so it never holds up exit.
    """

    def __init__(self) -> None:
        self._jobs: OrderedDict[tuple[Any, ...], Future[Any]] = OrderedDict()
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, key: tuple[Any, ...], work: Callable[[], Any]) -> tuple[Future[Any], bool]:
        """The shared future of ``work`` for ``key``, and whether this call started it."""
        with self._lock:
            found = self._jobs.get(key)
            if found is not None:
                self._jobs.move_to_end(key)
                return found, False
            future: Future[Any] = Future()
            self._jobs[key] = future
            while len(self._jobs) > MAX_KEPT:
                self._jobs.popitem(last=False)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="storyline-analysis",
                                                daemon=True)  # fmt: skip
                self._thread.start()
        self._queue.put((future, work))
        return future, True

    def _run(self) -> None:
        while True:
            future, work = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work())
            except BaseException as error:  # handed to whoever waits on the future
                future.set_exception(error)


class _Worker:
    """A spawned daemon process that analyses events, so a long analysis never holds the
    server's GIL; started on first use, started again if it dies."""

    def __init__(self) -> None:
        self._process: Any = None
        self._inbox: Any = None
        self._outbox: Any = None

    def run(self, path: str, event_id: int) -> dict[str, Any] | None:
        """The event's views, computed in the worker process (one caller at a time)."""
        if self._process is None or not self._process.is_alive():
            self._start()
        self._inbox.put((path, event_id))
        while True:
            try:
                ok, value = self._outbox.get(timeout=1.0)
                break
            except queue.Empty:
                if not self._process.is_alive():
                    self._process = None
                    raise StorylineError("the analysis process stopped") from None
        if not ok:
            raise StorylineError(f"analysing event {event_id} failed: {value}")
        return cast(dict[str, Any] | None, value)

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a threaded server
        self._inbox, self._outbox = context.Queue(), context.Queue()
        self._process = context.Process(target=_serve, args=(self._inbox, self._outbox),
                                        name="storyline-analysis", daemon=True)  # fmt: skip
        self._process.start()

    def stop(self) -> None:
        """End the worker process, if one runs."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        self._process = None


def _serve(inbox: Any, outbox: Any) -> None:
    """The worker process: analyse each (path, event id) it is sent."""
    while True:
        path, event_id = inbox.get()
        try:
            outbox.put((True, compute_views(path, event_id)))
        except Exception as error:  # reported to the server, which logs it
            outbox.put((False, f"{type(error).__name__}: {error}"))


_ANALYSER = _Analyser()
_WORKER = _Worker()


def stop_worker() -> None:
    """End the analysis process (the app calls this on shutdown)."""
    _WORKER.stop()


def run_views(path: str, event_id: int) -> dict[str, Any] | None:
    """An event's views, from the analysis process."""
    return _WORKER.run(path, event_id)


def compute_views(path: str, event_id: int) -> dict[str, Any] | None:
    """Brief, timeline and comparison of an event, on a connection of its own (analysing
    caches sentence vectors in the workspace)."""
    module = analysis_module()
    if module is None:
        return None
    from storyline.api import open_workspace

    with open_workspace(path) as ws:
        try:
            return dict(module.event_views(ws.store.conn, event_id))
        except NotFound:
            return None


def analysis(
    ws: Workspace, event_id: int, stamp: tuple[Any, ...], wait: float | None = None
) -> dict[str, Any]:
    """Brief, developments (timeline), source comparison and contradictions of an event,
    and whether they are ``ready``, still ``pending``, ``failed`` or ``unavailable``.

    ``stamp`` (the event's last update, the last ingest run) is part of the key, so any
    ingest makes the next request analyse afresh.
    """
    if analysis_module() is None:
        return {**_NO_ANALYSIS, "analysis": "unavailable"}
    path = ws.path
    future, started = _ANALYSER.submit((path, event_id, stamp),
                                       lambda: run_views(path, event_id))  # fmt: skip
    patience = wait if wait is not None else ANALYSIS_WAIT if started else 0.0
    try:
        views = future.result(timeout=patience)
    except TimeoutError:
        return {**_NO_ANALYSIS, "analysis": "pending"}
    except StorylineError:
        log.exception("the analysis of event %s failed", event_id)
        return {**_NO_ANALYSIS, "analysis": "failed"}
    if views is None:
        return {**_NO_ANALYSIS, "analysis": "unavailable"}
    comparison = views.get("comparison")
    return {
        "brief": views.get("brief"),
        "developments": views.get("timeline"),
        "comparison": comparison,
        "contradictions": comparison.get("contradictions") if comparison else None,
        "analysis": "ready",
    }


def storylines(ws: Workspace) -> list[dict[str, Any]] | None:
    """Every storyline (events linked into larger stories); None without the stage."""
    module = analysis_module()
    if module is None or not callable(getattr(module, "storylines", None)):
        return None
    from storyline.analysis.views import storyline_dict

    return [storyline_dict(s) for s in module.storylines(ws.store.conn)]


def storyline(ws: Workspace, ref: int) -> dict[str, Any] | None:
    """One storyline by id (or the storyline of an event); None without the stage."""
    module = analysis_module()
    if module is None or not callable(getattr(module, "storyline", None)):
        return None
    from storyline.analysis.views import storyline_dict

    return storyline_dict(module.storyline(ws.store.conn, ref))


def article_copies(ws: Workspace, article: Article, stages: set[str]) -> dict[str, Any] | None:
    """An article's copy links with passages, its original and origins; spans to highlight."""
    if "copies" not in stages:
        return None
    report = ws.copies(article.id)
    links, spans = [], []
    for view in report.links:
        passages = []
        for p in view.passages:
            start, end = p.copy_span if view.role == "copy" else p.original_span
            text = p.copy_text if view.role == "copy" else p.original_text
            passages.append({"text": text, "start": start, "end": end})
            if view.role != "version" and article.text[start:end] == text:
                spans.append((start, end, view.other.source or view.other.id))
        links.append(
            {
                "role": view.role,
                "relation": view.link.relation,
                "overlap": round(view.link.overlap, 3),
                "reason": view.link.reason,
                "other": summary(view.other),
                "passages": passages,
            }
        )
    return {
        "links": links,
        "shared": [_shared(view, article.id) for view in report.shared],
        "group": list(report.group),
        "original_id": report.original_id,
        "original_reason": report.reason,
        "group_origins": report.group_origins,
        "origins_behind": report.origins_behind,
        "spans": [{"start": s, "end": e, "also_in": who} for s, e, who in sorted(spans)],
    }


def _shared(view: Any, article_id: str) -> dict[str, Any]:
    """An article it shares passages with (no copy): its share of the article's words,
    and the passages as the article words them."""
    mine = view.link.source_id == article_id
    return {
        "overlap": round(view.link.overlap if mine else view.link.target_overlap, 3),
        "reason": view.link.reason,
        "other": summary(view.other),
        "passages": [p.copy_text if mine else p.original_text for p in view.passages],
    }


def article_understanding(
    ws: Workspace, article: Article, stages: set[str]
) -> dict[str, Any] | None:
    """An article's entities (with mentions), dates and quotes."""
    if "understand" not in stages and "entities" not in stages:
        return None
    return ws.understanding(article.id)


def article_why(ws: Workspace, article: Article) -> dict[str, Any] | None:
    """Why the article is in its event (None when the events stage did not place it)."""
    try:
        found = ws.why(article.id)
    except NotFound:
        return None
    return {k: plain(v) for k, v in found.items() if k != "article"}
