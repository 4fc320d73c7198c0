"""The record types that flow through storyline's stages.

Every record is a frozen, slotted dataclass. Dates are timezone-aware ``datetime``
values, never strings. Stages return new records (``dataclasses.replace``); nothing is
mutated in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Format = Literal["text", "html", "jsonl", "json", "feed", "warc"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a document came from: a file and, inside it, a line, record or byte offset."""

    path: str
    line: int | None = None
    record: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.offset is not None:
            parts.append(f"offset {self.offset}")
        return ": ".join(parts[:1]) + ("" if len(parts) == 1 else ": " + ", ".join(parts[1:]))


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One document as a source read it, before extraction and cleaning.

    Exactly one of ``text`` and ``html`` is set. ``fields`` holds what the container
    said about the document (title, url, date, source, author, language, id);
    ``metadata`` holds everything else the input carried, kept but never analysed.
    """

    location: Location
    format: Format
    text: str | None = None
    html: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def external_id(self) -> str | None:
        """The input record's own id, when it had one."""
        value = self.fields.get("id")
        return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Attribution:
    """A source attribution found in an article's text, e.g. ``(bme/dpa)``."""

    agency: str
    form: str
    position: Literal["start", "end", "line", "inline"]


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the record every later stage works on."""

    id: str
    title: str
    text: str
    text_hash: str
    language: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    published: datetime | None = None
    date_source: str | None = None
    source: str | None = None
    author: str | None = None
    external_id: str | None = None
    format: Format = "text"
    location: str = ""
    attributions: tuple[Attribution, ...] = ()
    removed: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        """The text split into its paragraphs."""
        return [p for p in self.text.split("\n\n") if p]


Reason = Literal[
    "unreadable",
    "binary",
    "encoding",
    "malformed",
    "empty",
    "no-article",
    "too-large",
    "not-a-feed",
    "truncated",
    "unsupported",
    "duplicate",
]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A document or file that was not stored, with the reason why.

    ``of`` names the stored article a duplicate repeats.
    """

    location: Location
    reason: Reason
    detail: str
    of: str | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """Records a source read past on purpose (e.g. non-HTML WARC records), counted."""

    location: Location
    what: str
    count: int = 1
