"""A standalone HTML page for a brief (with its timeline and comparison when given).

Every value that comes from an article (text, titles, outlet names, ids) goes through
``html.escape``: article text is untrusted. The page loads nothing from anywhere.
"""

from __future__ import annotations

from html import escape
from typing import Any

from storyline.analysis.markdown import KIND_LABEL, coverage, published_span
from storyline.analysis.matrix import LEGEND, SYMBOLS

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
cite{font-style:normal;color:#555;font-size:.9em}
code{font-size:.85em}
table{border-collapse:collapse;font-size:.85em}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:center}
td.fact{text-align:left}
.side{font-style:italic}
"""


def e(value: object) -> str:
    """Escaped text."""
    return escape(str(value), quote=True)


def _cites(citations: list[dict[str, Any]]) -> str:
    parts = []
    for c in citations:
        day = (c["published"] or "undated")[:10] + ("?" if not c["date_reliable"] else "")
        parts.append(f"{e(c['source'])}, {e(day)}, <code>{e(c['article_id'])}</code>")
    return "<cite>(" + "; ".join(parts) + ")</cite>"


def brief_html(
    d: dict[str, Any],
    timeline: dict[str, Any] | None = None,
    comparison: dict[str, Any] | None = None,
) -> str:
    """The brief as a complete HTML page."""
    body = [
        f"<h1>{e(d['title'])}</h1>",
        f"<p>{e(_coverage(d))}.</p>",
        "<ol>",
    ]
    for s in d["sentences"]:
        disputed = " <strong>(disputed: see below)</strong>" if s["disputed"] else ""
        body.append(f"<li>{e(s['text'])} {_cites(s['citations'])}{disputed}</li>")
    body.append("</ol>")
    if d["disagreements"]:
        body.append("<h2>Where sources disagree</h2><ul>")
        for k in d["disagreements"]:
            body.append(
                f"<li><strong>Sources disagree on {e(KIND_LABEL[k['kind']])}</strong> "
                f"({e(k['topic'])})<ul>"
            )
            for side in k["sides"]:
                said = [f"{e(s['text'])} {_cites(s['citations'])}" for s in side["sentences"]]
                value = f"<span class=side>{e(side['value'])}</span>"
                if len(said) == 1:
                    body.append(f"<li>{value}: {said[0]}</li>")
                else:  # one side, several independent reports: its value once
                    items = "".join(f"<li>{one}</li>" for one in said)
                    body.append(f"<li>{value}, in {len(said)} reports:<ul>{items}</ul></li>")
            body.append("</ul></li>")
        body.append("</ul>")
    if timeline is not None:
        body += _timeline(timeline)
    if comparison is not None:
        body += _matrix(comparison["matrix"])
    return _page(d["title"], body)


def _timeline(t: dict[str, Any]) -> list[str]:
    out = ["<h2>Timeline</h2><ul>"]
    for entry in t["entries"]:
        out.append(
            f"<li><strong>{e(entry['day'] or 'undated')}</strong> ({e(entry['kind'])}): "
            f"{e(entry['text'])} {_cites(entry['citations'])}</li>"
        )
    out.append("</ul>")
    return out


def _matrix(m: dict[str, Any]) -> list[str]:
    out = ["<h2>Who reports what</h2><table><tr><th>fact</th>"]
    out += [f"<th>{e(s)}</th>" for s in m["sources"]]
    out.append("</tr>")
    for row in m["rows"]:
        cells = "".join(f"<td>{e(SYMBOLS[c])}</td>" for c in row["cells"])
        out.append(f"<tr><td class=fact>{e(row['fact'])} {e(row['text'])}</td>{cells}</tr>")
    out.append(f"</table><p>{e(LEGEND)}</p>")
    return out


def _page(title: str, body: list[str]) -> str:
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _coverage(d: dict[str, Any]) -> str:
    counts = coverage(d["articles"], d["sources"], d["origins"], d.get("unnamed", 0))
    return counts + published_span(d["first"], d["last"])
