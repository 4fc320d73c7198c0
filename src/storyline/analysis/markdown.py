"""Markdown for briefs, comparisons, timelines and storylines, from their JSON views.

Article text is untrusted: ``<`` and ``>`` are escaped so no HTML passes through a
Markdown renderer, and table cells escape ``|`` and line breaks.
"""

from __future__ import annotations

from typing import Any

from storyline.analysis.matrix import LEGEND, SYMBOLS

KIND_LABEL = {
    "number": "figures",
    "date": "dates",
    "name": "names",
    "place": "places",
    "denial": "a denial",
}


def text(value: object) -> str:
    """Untrusted text made safe for Markdown (no raw HTML)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell(value: object) -> str:
    """Untrusted text for a table cell."""
    return text(value).replace("|", "\\|").replace("\n", " ")


def cites(citations: list[dict[str, Any]], limit: int = 6) -> str:
    """ "(Outlet, 2025-03-14, `id`; ...)" for a sentence's citations."""
    parts = []
    for c in citations[:limit]:
        day = (c["published"] or "undated")[:10]
        doubt = "?" if not c["date_reliable"] else ""
        parts.append(f"{text(c['source'])}, {day}{doubt}, `{c['article_id']}`")
    more = len(citations) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "(" + "; ".join(parts) + ")"


def coverage(articles: int, sources: int, origins: int | None, unnamed: int = 0) -> str:
    """ "9 articles from 6 sources, 8 of them independent reports (the rest reuse their
    text)": origins are articles that copy none of the others, sources are named outlets,
    ``unnamed`` the articles that name none ("and 2 with no source named")."""
    noun = f"{articles} article{'s' if articles != 1 else ''}"
    if unnamed >= articles > 0:
        head = f"{noun} with no source named"
    else:
        head = f"{noun} from {sources} source{'s' if sources != 1 else ''}"
        head += f" and {unnamed} with no source named" if unnamed else ""
    if origins is None:
        return head
    if origins >= articles:
        return f"{head}, all independent reports"
    return f"{head}, {origins} of them independent reports (the rest reuse their text)"


def published_span(first: str | None, last: str | None) -> str:
    """ ", published 2025-03-03 to 2025-04-10": when the articles came out (an event's
    own days, in `storyline events`, are the days it happened)."""
    if not first:
        return ""
    start, end = first[:10], (last or first)[:10]
    return f", published {start}" if start == end else f", published {start} to {end}"


def brief_md(d: dict[str, Any], level: int = 1) -> str:
    """A brief: numbered cited sentences, then the disagreements."""
    h = "#" * level
    span = published_span(d["first"], d["last"])
    lines = [
        f"{h} {text(d['title'])}",
        "",
        f"{coverage(d['articles'], d['sources'], d['origins'], d.get('unnamed', 0))}{span}.",
        "",
    ]
    for n, s in enumerate(d["sentences"], start=1):
        confirmed = f" [{s['origins']} independent origins]" if s["origins"] > 1 else ""
        disputed = " **(disputed: see where sources disagree)**" if s["disputed"] else ""
        lines.append(f"{n}. {text(s['text'])} {cites(s['citations'])}{confirmed}{disputed}")
    if not d["sentences"]:
        lines.append("No sentence of these articles states a fact that can be cited.")
    if d["disagreements"]:
        lines += ["", f"{h}# Where sources disagree", ""]
        for k in d["disagreements"]:
            lines.append(
                f"- **Sources disagree on {text(KIND_LABEL[k['kind']])}** ({text(k['topic'])}):"
            )
            for side in k["sides"]:
                said = [f"{text(s['text'])} {cites(s['citations'])}" for s in side["sentences"]]
                if len(said) == 1:
                    lines.append(f"  - *{text(side['value'])}*: {said[0]}")
                else:  # one side, several independent reports: its value once
                    lines.append(f"  - *{text(side['value'])}*, in {len(said)} reports:")
                    lines += [f"    - {one}" for one in said]
    return "\n".join(lines) + "\n"


def timeline_md(d: dict[str, Any], level: int = 1) -> str:
    """A timeline: one line per entry, then the event dates reported."""
    h = "#" * level
    lines = [f"{h} Timeline of event {d['event_id']}", ""]
    for e in d["entries"]:
        lines.append(
            f"- **{e['day'] or 'undated'}** ({e['kind']}): {text(e['text'])} "
            f"{cites(e['citations'], 3)}"
        )
    if not d["entries"]:
        lines.append("No dated report.")
    if d["event_dates"]:
        lines += ["", f"{h}# Event dates as reported", ""]
        for item in d["event_dates"]:
            lines.append(f"- {item['date']}: {cites(item['citations'], 8)}")
    return "\n".join(lines) + "\n"


def comparison_md(d: dict[str, Any], level: int = 1, max_single: int = 15) -> str:
    """A comparison: the matrix, single-source facts, contradictions and quotes."""
    h = "#" * level
    facts = {f["id"]: f for f in d["facts"]}
    lines = [
        f"{h} Source comparison of event {d['event_id']}",
        "",
        f"{len(d['articles'])} articles, {len(d['sources'])} sources, "
        f"{d['origins']} independent origins, {len(d['facts'])} facts.",
        "",
    ]
    lines += _matrix_md(d["matrix"], facts)
    single = [facts[f] for f in d["single_source"]]
    lines += ["", f"{h}# Reported by one source only", ""]
    for f in single[:max_single]:
        lines.append(
            f"- {text(f['text'])} ({cell(', '.join(f['sources']))}, "
            f"`{f['claims'][0]['article_id']}`)"
        )
    if len(single) > max_single:
        lines.append(f"- ... and {len(single) - max_single} more (`--json` lists all)")
    lines += ["", f"{h}# Contradictions", ""]
    for k in d["contradictions"]:
        sides = "; ".join(
            f"*{text(s['value'])}*: " + ", ".join(sorted({text(c["source"]) for c in s["claims"]}))
            for s in k["sides"]
        )
        lines.append(f"- {text(KIND_LABEL[k['kind']])} ({text(k['topic'])}): {sides}")
    if not d["contradictions"]:
        lines.append("None found.")
    lines += ["", f"{h}# Quotes by source", ""]
    for source, quotes in d["quotes"].items():
        said = "; ".join(f"{text(q['speaker'])}: “{text(_short(q['text']))}”" for q in quotes[:4])
        lines.append(f"- **{text(source)}**: {said}")
    return "\n".join(lines) + "\n"


def _matrix_md(m: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    if not m["rows"]:
        return ["No facts."]
    header = "| fact | " + " | ".join(cell(s) for s in m["sources"]) + " |"
    lines = [header, "|---|" + "---|" * len(m["sources"])]
    for row in m["rows"]:
        label = f"{row['fact']} {_short(row['text'], 70)}"
        marks = " | ".join(SYMBOLS[c] for c in row["cells"])
        lines.append(f"| {cell(label)} | {marks} |")
    lines += ["", LEGEND + (f"; {m['hidden']} more facts in `--json`." if m["hidden"] else ".")]
    return lines


def _short(value: str, limit: int = 90) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def storylines_md(items: list[dict[str, Any]]) -> str:
    """Storylines with their events and the reason for each link."""
    lines = ["# Storylines", ""]
    for s in items:
        lines.append(
            f"- **{s['id']}** {text(s['title'])}: events "
            f"{', '.join(str(e) for e in s['events'])} "
            f"({s['first_day'] or '?'} .. {s['last_day'] or '?'})"
        )
        for k in s["links"]:
            lines.append(f"  - {k['earlier']} -> {k['later']}: {text(k['reason'])}")
    if not items:
        lines.append("No storylines: no two events share their actors and subject.")
    return "\n".join(lines) + "\n"
