"""RSS and Atom feeds via feedparser: one article per entry, full content when present."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.extract.normalize import outlet_name
from storyline.model import Location, RawDoc, Rejected
from storyline.sources.files import Limits, looks_binary, read_bytes

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype html|<html)", re.I | re.S)


def read_feed_file(path: Path, limits: Limits) -> Iterator[RawDoc | Rejected]:
    """Read an RSS or Atom feed file."""
    data = read_bytes(path, limits.max_file_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    yield from read_feed_bytes(data, str(path))


def read_feed_bytes(data: bytes, path: str) -> Iterator[RawDoc | Rejected]:
    """Parse feed bytes; an HTML page or a non-feed XML file is rejected with advice."""
    import feedparser

    location = Location(path)
    if looks_binary(data):
        yield Rejected(location, "binary", "binary data, not an RSS/Atom feed")
        return
    if _HTML_START.match(data[:2048]):
        yield Rejected(
            location,
            "not-a-feed",
            "feed returned HTML, not RSS/Atom: pass the feed URL, not the site",
        )
        return
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:  # no "version" key for b""
        reason = getattr(parsed, "bozo_exception", None)
        detail = f" ({reason})" if reason else ""
        yield Rejected(location, "not-a-feed", f"no RSS or Atom feed found in this file{detail}")
        return
    feed_title = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries, start=1):
        yield _entry_doc(entry, Location(path, record=index), feed_title)


def _entry_doc(entry: Any, location: Location, feed_title: str | None) -> RawDoc | Rejected:
    content = entry.get("content") or []
    html = content[0].get("value") if content else None
    if not html:
        html = entry.get("summary")
    if not html or not html.strip():
        return Rejected(location, "empty", "feed entry has no content or summary")
    fields: dict[str, Any] = {
        "id": entry.get("id") or entry.get("link"),
        "title": entry.get("title"),
        "url": entry.get("link"),
        "author": entry.get("author"),
        "source": outlet_name(feed_title),
        "full_content": bool(content),
    }
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        fields["date"] = datetime.fromtimestamp(calendar.timegm(stamp), UTC)
    return RawDoc(
        location,
        "feed",
        html=html,
        fields={k: v for k, v in fields.items() if v is not None},
        metadata={"feed": feed_title} if feed_title else {},
    )
