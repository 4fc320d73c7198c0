"""JSON Lines and JSON article records: one article per record."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from storyline.extract.language import MIN_CHARS
from storyline.model import Location, RawDoc, Rejected
from storyline.sources.files import MB, Limits, decode, read_bytes

# Input field -> the name storyline uses; the first alias present wins.
_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "html": ("html",),
    "date": (
        "date",
        "published",
        "published_at",
        "pubdate",
        "pub_date",
        "publish_date",
        "date_published",
        "datePublished",
        "date_raw",
    ),
    "url": ("url", "link"),
    "source": ("source", "outlet", "site_name"),
    "language": ("language", "lang"),
    "author": ("author", "byline"),
}


def record_doc(record: Any, location: Location, fmt: str) -> RawDoc | Rejected:
    """Turn one decoded JSON value into a ``RawDoc``; other fields become metadata."""
    if not isinstance(record, dict):
        kind = type(record).__name__
        return Rejected(location, "malformed", f"expected a JSON object, found {kind}")
    fields: dict[str, Any] = {}
    used: set[str] = set()
    for name, aliases in _FIELD_ALIASES.items():
        for alias in aliases:
            if alias in record and record[alias] is not None:
                fields[name] = record[alias]
                used.add(alias)
                break
    metadata = {k: v for k, v in record.items() if k not in used}
    for name in ("text", "html", "title"):
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            kind = type(value).__name__
            return Rejected(location, "malformed", f"field {name!r} must be a string, not {kind}")
    text, html = fields.pop("text", None), fields.pop("html", None)
    if not (text and text.strip()) and not (html and html.strip()):
        problem = _no_text(fields.get("title"), metadata)
        if problem is not None:
            return Rejected(location, "empty", problem)
        text = fields["title"]  # a headline-only record: its title is its text
    if text and text.strip():
        return RawDoc(location, fmt, text=text, fields=fields, metadata=metadata)  # type: ignore[arg-type]
    return RawDoc(location, fmt, html=html, fields=fields, metadata=metadata)  # type: ignore[arg-type]


def _no_text(title: str | None, others: dict[str, Any]) -> str | None:
    """Why a record without a body cannot be an article, or None when its title can.

    A title alone is a headline-only article (ECB+ has 52 whose title is the lead
    sentence) when it says enough to tell its language, and no other field of the record
    holds a text: that is most often the body under a name storyline does not read, so
    the message names the ones it reads.
    """
    if not (title and title.strip()):
        return "record has no text, html or title"
    elsewhere = [k for k, v in others.items() if isinstance(v, str) and len(v.split()) >= 30]
    if len(title.strip()) >= MIN_CHARS and not elsewhere:
        return None
    names = ", ".join(f"`{alias}`" for alias in _FIELD_ALIASES["text"][1:])
    detail = f"record has a title but no text: give the article body in `text` (or {names}; "
    if elsewhere:
        return detail + f"HTML in `html`); is it the field `{elsewhere[0]}`?"
    return detail + f"HTML in `html`); a title alone is an article from {MIN_CHARS} characters"


def read_jsonl(stream: BinaryIO, path: str, limits: Limits) -> Iterator[RawDoc | Rejected]:
    """Stream a JSON Lines file, one record per line; a bad line never stops the rest."""
    blank = True
    for number, line in enumerate(_lines(stream, limits), start=1):
        if isinstance(line, bytes) and not line.strip():
            continue
        blank = False
        yield _line_doc(line, Location(path, line=number))
    if blank:
        yield Rejected(Location(path), "empty", "no records: every line is blank")


def _line_doc(line: bytes | Rejected, location: Location) -> RawDoc | Rejected:
    if isinstance(line, Rejected):
        return Rejected(location, line.reason, line.detail)
    text = decode(line, location)
    if isinstance(text, Rejected):
        return text
    try:
        record = json.loads(text.rstrip("\r\n"))
    except (ValueError, RecursionError) as error:
        return Rejected(location, "malformed", json_error(error))
    return record_doc(record, location, "jsonl")


def json_error(error: ValueError | RecursionError) -> str:
    """What is wrong with a JSON text, from any error ``json.loads`` raises for it.

    Besides syntax errors, a number over Python's 4300-digit limit raises a plain
    ValueError and very deep nesting a RecursionError.
    """
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON at column {error.colno}: {error.msg}"
    if isinstance(error, RecursionError):
        return "invalid JSON: nested too deeply"
    if isinstance(error, UnicodeDecodeError):  # json.loads of bytes (standard input)
        return f"invalid JSON: not UTF-8 ({error.reason} at byte {error.start})"
    return f"invalid JSON: a number longer than {sys.get_int_max_str_digits()} digits"


def _lines(stream: BinaryIO, limits: Limits) -> Iterable[bytes | Rejected]:
    limit = limits.max_document_bytes
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            # Skip the rest of an oversized line without holding it in memory.
            while line and not line.endswith(b"\n"):
                line = stream.readline(limit)
            yield Rejected(
                Location(""), "too-large", f"line is over the {limit / MB:.0f} MB record limit"
            )
            continue
        yield line


def read_json_file(path: Path, limits: Limits) -> Iterator[RawDoc | Rejected]:
    """Read a ``.json`` file: one article object, a list of them, or {"articles": [...]}."""
    data = read_bytes(path, limits.max_file_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    location = Location(str(path))
    text = decode(data, location)
    if isinstance(text, Rejected):
        yield text
        return
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        line = error.lineno if isinstance(error, json.JSONDecodeError) else None
        yield Rejected(Location(str(path), line=line), "malformed", json_error(error))
        return
    if isinstance(value, dict):
        for key in ("articles", "items", "data", "records"):
            if isinstance(value.get(key), list):
                value = value[key]
                break
    records = value if isinstance(value, list) else [value]
    for index, record in enumerate(records, start=1):
        yield record_doc(record, Location(str(path), record=index), "json")
