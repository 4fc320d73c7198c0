"""HTML pages (.html, .htm): one article per page, extracted later by ``extract``."""

from __future__ import annotations

import re
from pathlib import Path

from storyline.model import Location, RawDoc, Rejected
from storyline.sources.files import Limits, decode, read_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_html_file(path: Path, limits: Limits) -> RawDoc | Rejected:
    """Read one HTML page."""
    data = read_bytes(path, limits.max_document_bytes)
    if isinstance(data, Rejected):
        return data
    return html_doc(data, Location(str(path)), "html", {}, declared_charset(data))


def html_doc(
    data: bytes, location: Location, fmt: str, fields: dict[str, object], charset: str | None
) -> RawDoc | Rejected:
    """Decode an HTML payload into a ``RawDoc`` (shared by pages and WARC records)."""
    html = decode(data, location, charset)
    if isinstance(html, Rejected):
        return html
    if not html.strip():
        return Rejected(location, "empty", "the page is empty")
    return RawDoc(location, fmt, html=html, fields=fields)  # type: ignore[arg-type]
