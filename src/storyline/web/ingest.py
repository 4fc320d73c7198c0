"""Ingest articles sent in a request body: JSON, JSON Lines, or one HTML page.

The body goes through the same readers as a file would: it is written to a file in a
private temporary folder, named after its content, and ingested from there. (Standard
input is not used: a document without an id read from it is keyed by its position, so
a second, different body would count as already ingested.)
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any, Literal

from storyline.api import Workspace
from storyline.model import Location, Rejected
from storyline.sources.files import decode
from storyline.sources.records import json_error
from storyline.store import search as db
from storyline.web.errors import WebError

Kind = Literal["json", "jsonl", "html"]
BODY_NAME = "request body"


def html_record(body: bytes, charset: str | None, fields: dict[str, str]) -> bytes:
    """A JSON record holding an HTML page and what the request said about it."""
    text = decode(body, Location(BODY_NAME), charset)
    if isinstance(text, Rejected):
        raise WebError(400, f"cannot read the page: {text.detail}", code="unreadable")
    record = {"html": text, **{k: v for k, v in fields.items() if v}}
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


SEND = (
    'send one article object, a list of them or {"articles": [...]} '
    "(JSON Lines go as Content-Type: application/x-ndjson)"
)


def json_record(body: bytes, charset: str | None) -> bytes:
    """A JSON body parsed whole before anything is stored, as UTF-8: a body that is not
    JSON, or holds no article, is a 400 saying where it breaks, never a run with one
    rejection (a JSON Lines body, by contrast, is read line by line, as a file is)."""
    text = decode(body, Location(BODY_NAME), charset)
    if isinstance(text, Rejected):
        raise WebError(400, f"cannot read the body: {text.detail}", code="unreadable")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        # Python's message may end in "at" ("Unterminated string starting at")
        where = f"{error.msg.removesuffix(' at')} at line {error.lineno}, column {error.colno}"
        raise _invalid(f"the body is not valid JSON: {where}", where) from None
    except (ValueError, RecursionError) as error:
        problem = json_error(error)
        raise _invalid(f"the body is not valid JSON: {problem}", problem) from None
    if not isinstance(value, dict | list):
        problem = f"expected a JSON object or list, found {type(value).__name__}"
        raise _invalid(f"the body holds no article: {problem}", problem)
    return text.encode("utf-8")


def _invalid(message: str, problem: str) -> WebError:
    detail = {"parameter": "body", "in": "body", "problem": problem}
    return WebError(400, f"{message}; {SEND}", code="invalid-json", details=[detail])


def ingest_body(
    ws: Workspace,
    body: bytes,
    kind: Kind,
    charset: str | None = None,
    fields: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Ingest one request body; the summary with the ids of the articles it holds.

    An HTML page is wrapped in a JSON record with ``fields`` (url, source, date, id).
    """
    if not body.strip():
        raise WebError(400, "the request body is empty: send the articles in it", code="empty")
    if kind == "html":
        body = html_record(body, charset, fields or {})
    elif kind == "json":
        body = json_record(body, charset)
    suffix = ".jsonl" if kind == "jsonl" else ".json"
    name = "request-" + hashlib.sha256(body).hexdigest()[:16] + suffix
    with tempfile.TemporaryDirectory(prefix="storyline-post-") as folder:
        path = Path(folder) / name
        path.write_bytes(body)
        summary = ws.ingest([path]).as_dict()
    for rejection in summary["rejections"]:
        rejection["location"] = rejection["location"].replace(str(path), BODY_NAME)
    summary["articles"] = db.articles_of_run(ws.store.conn, summary["run_id"])
    return summary
