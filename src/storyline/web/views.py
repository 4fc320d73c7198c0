"""What each endpoint and page shows, as plain JSON values: one function per view.

The API returns these dicts as they are; the pages render the same dicts, so what a
browser shows and what a client reads cannot drift apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from storyline.api import Workspace
from storyline.errors import NotFound, StorylineError
from storyline.model import Article
from storyline.serialize import article_dict
from storyline.store import search as db
from storyline.web import sections
from storyline.web.errors import WebError
from storyline.web.plain import day_of, plain, published_day, summary

BRIEF_WAIT = 30.0  # seconds the brief endpoint waits for an analysis in progress


def stages_of(ws: Workspace) -> set[str]:
    """The later stages whose data this workspace holds."""
    return db.stages_with_data(ws.store.conn)


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """A page of a listing, with what a client needs to ask for the next one."""
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
    }


def status(ws: Workspace) -> dict[str, Any]:
    """What the workspace holds and which stages have run on it."""
    try:
        release = version("storyline")
    except PackageNotFoundError:  # running from a source tree that was never installed
        release = "unknown"
    return {
        "version": release,
        "schema_version": ws.store.schema_version(),
        **db.counts(ws.store.conn),
        "stages": sorted(stages_of(ws)),
        "facets": {
            k: [{"value": v, "articles": n} for v, n in rows]
            for k, rows in db.facets(ws.store.conn).items()
        },
    }


def entity_id(ws: Workspace, name: str | None) -> str | None:
    """The id of the entity a filter names (by id, name or name form)."""
    if not name:
        return None
    return str(ws.entity(name)["entity"].id)


# events ------------------------------------------------------------------------------------


def _event_summary(row: dict[str, Any], origins: int | None) -> dict[str, Any]:
    return {
        "id": row["id"],
        "label": row["label"],
        "size": row["size"],
        "first": day_of(row["first_day"]),
        "last": day_of(row["last_day"]),
        "sources": row["sources"],
        "independent_origins": origins,
        "api": f"/api/events/{row['id']}",
        "page": f"/events/{row['id']}",
    }


def events(ws: Workspace, flt: db.EventFilter, limit: int, offset: int) -> dict[str, Any]:
    """A page of active events with distinct and independent source counts."""
    rows, total = db.events(ws.store.conn, flt, limit, offset)
    stages = stages_of(ws)
    members = db.event_members(ws.store.conn, [r["id"] for r in rows]) if "copies" in stages else {}
    items = [
        _event_summary(r, sections.independent_origins(ws, members.get(r["id"], []), stages))
        for r in rows
    ]
    return page(items, total, limit, offset)


def event(ws: Workspace, event_id: int, comparison: bool = True) -> dict[str, Any]:
    """One event with its articles, timeline and every section the later stages add.

    Without ``comparison`` the source comparison (the largest section: every fact of
    every article) is replaced by its size and where to get it, as the API serves it."""
    found = ws.event(event_id)
    articles: list[Article] = found["articles"]
    stages = stages_of(ws)
    ids = [a.id for a in articles]
    sources = len({a.source or a.id for a in articles})
    origins = sections.independent_origins(ws, ids, stages)
    head = {
        **_event_summary({**found, "sources": sources}, origins),
        "status": found["status"],
        "successors": found["successors"],
        "lineage": found["lineage"],
        "articles": [summary(a) for a in _by_date(articles)],
        "timeline": _timeline(articles, sections.reported_dates(ws, articles, stages)),
        "entities": sections.event_entities(ws, event_id, stages),
        "quotes": sections.event_quotes(ws, articles, stages),
        "copies": sections.event_copies(ws, articles, stages),
    }
    made = sections.analysis(ws, found["id"], _stamp(ws, found))
    if not comparison and made["comparison"] is not None:
        made["comparison"] = comparison_summary(found["id"], made["comparison"])
    return {**head, **made}


def comparison_summary(event_id: int, full: dict[str, Any]) -> dict[str, Any]:
    """How big an event's comparison is, and the API path that serves it whole."""
    return {
        "href": f"/api/events/{event_id}/comparison",
        "facts": len(full["facts"]),
        "single_source": len(full["single_source"]),
        "contradictions": len(full["contradictions"]),
        "sources": full["sources"],
    }


def _stamp(ws: Workspace, found: dict[str, Any]) -> tuple[Any, ...]:
    """What must change for an event's analysis to be made again."""
    return (found["updated_at"], found["size"], db.last_run(ws.store.conn))


def _by_date(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published is None, a.published or 0, a.id))


def _timeline(articles: list[Article], reported: list[Any] | None) -> dict[str, Any]:
    """Articles per day (by source), the first report, and the dates the articles report."""
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    undated = 0
    for a in articles:
        day = published_day(a)
        if day is None:
            undated += 1
        else:
            per_day[day][a.source or "unknown source"] += 1
    dated = [a for a in _by_date(articles) if a.published is not None]
    return {
        "days": [
            {"day": d, "articles": sum(c.values()), "sources": dict(sorted(c.items()))}
            for d, c in sorted(per_day.items())
        ],
        "undated": undated,
        "first_report": summary(dated[0]) if dated else None,
        "reported_dates": reported,
    }


# articles ----------------------------------------------------------------------------------


def articles(ws: Workspace, flt: db.ArticleFilter, limit: int, offset: int) -> dict[str, Any]:
    """A page of articles (ingest order) matching the filter."""
    found, total = db.articles(ws.store.conn, flt, limit, offset)
    return page([summary(a) for a in found], total, limit, offset)


def article(ws: Workspace, ref: str) -> dict[str, Any]:
    """One article with its text, inputs, versions, event and the later stages' findings."""
    details = ws.article_details(ref)
    found: Article = details["article"]
    stages = stages_of(ws)
    event_id = db.event_of(ws.store.conn, found.id)
    return {
        **article_dict(found),
        "api": f"/api/articles/{found.id}",
        "page": f"/articles/{found.id}",
        "records": details["records"],
        "versions": details["versions"],
        "event": None
        if event_id is None
        else {"id": event_id, "api": f"/api/events/{event_id}", "page": f"/events/{event_id}"},
        "why": sections.article_why(ws, found),
        "understanding": sections.article_understanding(ws, found, stages),
        "copies": sections.article_copies(ws, found, stages),
    }


def why(ws: Workspace, ref: str) -> dict[str, Any]:
    """Why an article is in its event."""
    found = ws.why(ref)
    return {
        **{k: plain(v) for k, v in found.items() if k != "article"},
        "article": summary(found["article"]),
    }


def search(
    ws: Workspace, query: str, flt: db.ArticleFilter, limit: int, offset: int
) -> dict[str, Any]:
    """Articles matching a full-text query, best first, with marked titles and snippets."""
    hits, total = db.search(ws.store.conn, query, flt, limit, offset)
    items = [
        {
            **summary(h.article),
            "score": round(h.score, 4),
            "title_marked": segments(h.title),
            "snippet": segments(h.snippet),
        }
        for h in hits
    ]
    return {**page(items, total, limit, offset), "query": query}


def segments(marked: str) -> list[dict[str, Any]]:
    """Text with search marks as ``[{"text", "match"}]`` pieces (never as markup)."""
    out: list[dict[str, Any]] = []
    for i, part in enumerate(marked.split(db.MARK_START)):
        text, sep, rest = part.partition(db.MARK_END)
        if not sep:
            if part:
                out.append({"text": part, "match": False})
            continue
        if text:
            out.append({"text": text, "match": i > 0})
        if rest:
            out.append({"text": rest, "match": False})
    return out


# entities, quotes, copies, storylines --------------------------------------------------------


def entities(
    ws: Workspace, label: str | None, event_id: int | None, limit: int, offset: int = 0
) -> dict[str, Any]:
    """A page of entities by mention count, of one event when given."""
    from storyline.understand.api import entity_dict

    found = ws.entities(event=event_id, limit=limit, label=label, offset=offset)
    total = ws.count_entities(event_id, label)
    return page([entity_dict(e) for e in found], total, limit, offset)


def entity(ws: Workspace, name: str) -> dict[str, Any]:
    """One entity: its name forms, the evidence for each merge, its latest articles."""
    from storyline.understand.api import entity_dict

    found = ws.entity(name)
    latest = []
    for article_id in found["articles"]:
        try:
            latest.append(summary(ws.article(article_id)))
        except NotFound:  # an article removed since; the entity still lists it
            continue
    return {
        "entity": entity_dict(found["entity"]),
        "links": plain(found["links"]),
        "articles": latest,
    }


def quotes(
    ws: Workspace, event_id: int | None, ref: str | None, limit: int, offset: int
) -> dict[str, Any]:
    """A page of the quotes of one event (most repeated first) or one article."""
    if event_id is None and ref is None:
        raise StorylineError("say whose quotes: pass event=ID or article=ID")
    if event_id is not None and ref is not None:
        raise StorylineError("say whose quotes: pass event=ID or article=ID, not both")
    if "understand" not in stages_of(ws):
        raise NotFound("no quotes: this workspace was ingested without the understand stage")
    if event_id is not None:
        articles = ws.event(event_id)["articles"]
        found = sections.event_quotes(ws, articles, {"understand"}) or []
    else:
        found = ws.understanding(str(ref))["quotes"]
    # An event's or an article's quotes are few (tens): they are read whole, then sliced.
    return page(found[offset : offset + limit], len(found), limit, offset)


def copy_groups(ws: Workspace, limit: int, offset: int) -> dict[str, Any]:
    """Copy groups, largest first, with their likely original and independent origins."""
    found = [plain(g) for g in ws.copy_groups(limit, offset)]
    return page(found, ws.count_copy_groups(), limit, offset)


def copies(ws: Workspace, ref: str) -> dict[str, Any]:
    """One article's copies: links with reused passages, its original and origins."""
    found = ws.article(ref)
    result = sections.article_copies(ws, found, stages_of(ws))
    if result is None:
        raise NotFound("no copies: this workspace was ingested without the copies stage")
    return result


def brief(ws: Workspace, event_id: int) -> dict[str, Any]:
    """An event's brief, every sentence with its citations."""
    found, made = _analysed(ws, event_id)
    if made["brief"] is None:
        raise NotFound(f"no brief for event {event_id}: briefs need the analysis stage")
    return {"event_id": found["id"], "brief": made["brief"]}


def comparison(ws: Workspace, event_id: int, limit: int, offset: int) -> dict[str, Any]:
    """An event's source comparison: sources, matrix, contradictions, quotes, and a page
    of its facts (most important first), each with the claims of every article."""
    found, made = _analysed(ws, event_id)
    whole = made["comparison"]
    if whole is None:
        raise NotFound(f"no comparison for event {event_id}: it needs the analysis stage")
    facts = whole["facts"]
    paged = page(facts[offset : offset + limit], len(facts), limit, offset)
    return {"event_id": found["id"], "comparison": {**whole, "facts": paged}}


def _analysed(ws: Workspace, event_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """An event and its analysis, waiting up to ``BRIEF_WAIT`` for one in progress."""
    found = ws.event(event_id)
    made = sections.analysis(ws, found["id"], _stamp(ws, found), wait=BRIEF_WAIT)
    if made["analysis"] == "pending":
        raise WebError(503, f"the brief of event {event_id} is being prepared: ask again "
                       "in a minute", code="pending", headers={"Retry-After": "30"})  # fmt: skip
    if made["analysis"] == "failed":
        raise WebError(500, f"the analysis of event {event_id} failed: the server log has "
                       "the details", code="analysis-failed")  # fmt: skip
    return found, made


def storylines(ws: Workspace, limit: int, offset: int) -> dict[str, Any]:
    """Storylines: events linked into larger stories."""
    found = sections.storylines(ws)
    if found is None:
        raise NotFound("no storylines: this storyline does not build them")
    return page(found[offset : offset + limit], len(found), limit, offset)


def storyline(ws: Workspace, storyline_id: int) -> dict[str, Any]:
    """One storyline (or the storyline of an event) with its events and links."""
    found = sections.storyline(ws, storyline_id)
    if found is None:
        raise NotFound("no storylines: this storyline does not build them")
    labels = {e: _label(ws, e) for e in found["events"]}
    return {
        "storyline": found,
        "events": [
            {"id": e, "label": labels[e], "page": f"/events/{e}", "api": f"/api/events/{e}"}
            for e in found["events"]
        ],
    }


def _label(ws: Workspace, event_id: int) -> str:
    try:
        return str(ws.event(event_id)["label"])
    except NotFound:
        return f"event {event_id}"
