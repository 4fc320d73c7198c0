"""Plain-text articles (.txt, .md): one article per file."""

from __future__ import annotations

from pathlib import Path

from storyline.model import Location, RawDoc, Rejected
from storyline.sources.files import Limits, decode, read_bytes


def read_text_file(path: Path, limits: Limits) -> RawDoc | Rejected:
    """Read one plain-text or Markdown article."""
    data = read_bytes(path, limits.max_document_bytes)
    if isinstance(data, Rejected):
        return data
    location = Location(str(path))
    text = decode(data, location)
    if isinstance(text, Rejected):
        return text
    if not text.strip():
        return Rejected(location, "empty", "the file holds no text")
    markup = "markdown" if path.suffix.lower() == ".md" else "plain"
    return RawDoc(location, "text", text=text, fields={"markup": markup})
