"""Server-side rendering: the Jinja2 environment, its filters, and the geometry of the
inline SVG charts (timeline, copy graph) and of highlighted article text.

Every value from an article reaches the page through Jinja2's autoescaping: nothing here
returns markup, only numbers and plain strings for the templates to place.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from itertools import pairwise
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse


def _day(value: str | date | datetime | None) -> str:
    """'2025-03-04' or a datetime as '4 Mar 2025'."""
    if value is None or value == "":
        return "undated"
    if isinstance(value, str):
        try:
            parsed: date = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        parsed = value
    return f"{parsed.day} {parsed:%b %Y}"


def _safe_url(value: str | None) -> str | None:
    """A link target only for http(s) URLs; anything else (javascript:, data:) is dropped."""
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round(100 * value)}%"


def _segment(value: Any) -> str:
    """A path segment, percent-encoded (ids and entity names go into URLs)."""
    return quote(str(value), safe="")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def environment() -> Environment:
    """The Jinja2 environment: autoescaping everywhere, templates from the package."""
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(day=_day, safe_url=_safe_url, pct=_pct, seg=_segment, plural=_plural)
    return env


_ENV = environment()


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered page."""
    return HTMLResponse(_ENV.get_template(name).render(**context), status_code=status)


# timeline ---------------------------------------------------------------------------------


def timeline_chart(
    days: list[dict[str, Any]], width: int = 720, height: int = 150
) -> dict[str, Any] | None:
    """Bars of articles per day, with axis ticks; None when no article is dated."""
    if not days:
        return None
    first = date.fromisoformat(days[0]["day"])
    span = (date.fromisoformat(days[-1]["day"]) - first).days + 1
    left, right, top, bottom = 30, 8, 10, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / span
    peak = max(d["articles"] for d in days)
    bars = []
    for d in days:
        offset = (date.fromisoformat(d["day"]) - first).days
        h = plot_h * d["articles"] / peak
        sources = ", ".join(f"{s} ({n})" if n > 1 else s for s, n in d["sources"].items())
        bars.append(
            {
                "x": round(left + offset * step + step * 0.1, 1),
                "y": round(top + plot_h - h, 1),
                "w": round(max(step * 0.8, 1.5), 1),
                "h": round(h, 1),
                "label": f"{_day(d['day'])}: {_plural(d['articles'], 'article')}: {sources}",
            }
        )
    every = max(1, math.ceil(span / 6))
    ticks = [
        {"x": round(left + (i + 0.5) * step, 1), "label": _short_day(first.toordinal() + i)}
        for i in range(0, span, every)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "peak": peak,
        "base": top + plot_h,
        "left": left,
        "top": top,
        "right": width - right,
    }


def _short_day(ordinal: int) -> str:
    value = date.fromordinal(ordinal)
    return f"{value.day} {value:%b}"


# copy graph --------------------------------------------------------------------------------

MAX_NODES = 30


def copy_graph(
    copies: dict[str, Any] | None, width: int = 640, height: int = 400
) -> dict[str, Any] | None:
    """Articles on a circle, an arrow from each copy to the text it reuses."""
    if not copies or not copies["links"]:
        return None
    degree: dict[str, int] = {}
    for link in copies["links"]:
        for side in (link["copy_id"], link["original_id"]):
            degree[side] = degree.get(side, 0) + 1
    chosen = sorted(degree, key=lambda i: (-degree[i], i))[:MAX_NODES]
    chosen.sort(key=lambda i: (copies["articles"][i]["published"] or "", i))
    cx, cy, radius = width / 2, height / 2, height / 2 - 40  # room for labels at the sides
    nodes = {}
    for k, article_id in enumerate(chosen):
        angle = 2 * math.pi * k / len(chosen) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        article = copies["articles"][article_id]
        nodes[article_id] = {
            "id": article_id,
            "x": round(x, 1),
            "y": round(y, 1),
            "label": (article["source"] or article_id)[:26],
            "title": article["title"],
            "anchor": "start"
            if math.cos(angle) > 0.2
            else "end"
            if math.cos(angle) < -0.2
            else "middle",
            "lx": round(x + 12 * math.cos(angle), 1),
            "ly": round(y + 12 * math.sin(angle) + 4, 1),
        }
    edges = []
    for link in copies["links"]:
        a, b = nodes.get(link["copy_id"]), nodes.get(link["original_id"])
        if a is None or b is None:
            continue
        edges.append(
            {
                **_shorten(a["x"], a["y"], b["x"], b["y"], 9),
                "relation": link["relation"],
                "label": f"{link['relation']}, {_pct(link['overlap'])} reused",
            }
        )
    return {"width": width, "height": height, "nodes": list(nodes.values()), "edges": edges}


def _shorten(x1: float, y1: float, x2: float, y2: float, by: float) -> dict[str, float]:
    """A line between two node centres, stopping ``by`` short of each node."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    dx, dy = (x2 - x1) / length * by, (y2 - y1) / length * by
    return {
        "x1": round(x1 + dx, 1),
        "y1": round(y1 + dy, 1),
        "x2": round(x2 - dx, 1),
        "y2": round(y2 - dy, 1),
    }


# article text ------------------------------------------------------------------------------


def paragraphs(text: str, marks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The text as paragraphs of segments, each with the marks (reused, quote, entity)
    that cover it. Marks are ``{"start", "end", "kind", ...}`` spans of ``text``."""
    out, pos = [], 0
    for part in text.split("\n\n"):
        start, end = pos, pos + len(part)
        pos = end + 2
        if part.strip():
            inside = [m for m in marks if m["start"] < end and m["end"] > start]
            out.append(_segments(text, start, end, inside))
    return out


def _segments(text: str, start: int, end: int, marks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cuts = sorted(
        {start, end} | {min(max(p, start), end) for m in marks for p in (m["start"], m["end"])}
    )
    found = []
    for a, b in pairwise(cuts):
        covering = [m for m in marks if m["start"] <= a and m["end"] >= b]
        reused = [m["also_in"] for m in covering if m["kind"] == "reused"]
        entity = next((m for m in covering if m["kind"] == "entity"), None)
        found.append(
            {
                "text": text[a:b],
                "reused": ", ".join(dict.fromkeys(reused)) or None,
                "quote": any(m["kind"] == "quote" for m in covering),
                "entity": entity,
            }
        )
    return found


def article_marks(article: dict[str, Any]) -> list[dict[str, Any]]:
    """Spans to mark in an article's text: reused passages, quotes, entity mentions."""
    text: str = article["text"]
    marks: list[dict[str, Any]] = []
    copies = article.get("copies")
    if copies:
        marks += [{**s, "kind": "reused"} for s in copies["spans"]]
    understood = article.get("understanding")
    if understood:
        for q in understood.get("quotes") or []:
            if 0 <= q["start"] < q["end"] <= len(text):
                marks.append({"start": q["start"], "end": q["end"], "kind": "quote"})
        for e in understood.get("entities") or []:
            for m in e["mentions"]:
                if text[m["start"] : m["end"]] == m["text"]:  # title mentions index the title
                    marks.append(
                        {
                            "start": m["start"],
                            "end": m["end"],
                            "kind": "entity",
                            "id": e["id"],
                            "name": e["name"],
                            "label": e["label"],
                        }
                    )
    return marks
