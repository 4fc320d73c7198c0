"""Sources: read files, folders and standard input into ``RawDoc`` values.

Each format has a reader; :func:`read_file` picks one by file name and
:func:`read_stream` by sniffing the bytes (for standard input). Readers never raise for
bad input: they yield ``Rejected`` values with a location and a reason and go on.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storyline.model import Location, RawDoc, Rejected, Skipped
from storyline.sources.feeds import read_feed_bytes, read_feed_file
from storyline.sources.files import (
    SNIFF_BYTES,
    Limits,
    binary_lines_at,
    check_file,
    os_reason,
    walk,
)
from storyline.sources.html import declared_charset, html_doc, read_html_file
from storyline.sources.records import read_json_file, read_jsonl
from storyline.sources.text import read_text_file
from storyline.sources.warc import read_warc, read_warc_file

Item = RawDoc | Rejected | Skipped

SUFFIXES = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}

__all__ = ["SUFFIXES", "Item", "Limits", "kind_of", "read_file", "read_stream", "walk"]


def kind_of(path: Path) -> str | None:
    """The reader for a file name, or None when storyline does not read that type."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    return SUFFIXES.get(path.suffix.lower())


def read_file(path: Path, limits: Limits) -> Iterator[Item]:
    """Read every document in one file."""
    kind = kind_of(path)
    problem = check_file(path) if kind is not None else None
    if problem is not None:
        yield problem
    elif kind is None:
        suffix = "".join(path.suffixes) or "no extension"
        yield Rejected(
            Location(str(path)),
            "unsupported",
            f"unsupported file type ({suffix}); storyline reads "
            ".txt .md .html .htm .jsonl .json .xml .rss .atom .warc .warc.gz",
        )
    elif kind == "text":
        yield read_text_file(path, limits)
    elif kind == "html":
        yield read_html_file(path, limits)
    elif kind == "jsonl":
        yield from _read_jsonl_file(path, limits)
    elif kind == "json":
        yield from read_json_file(path, limits)
    elif kind == "feed":
        yield from read_feed_file(path, limits)
    else:
        yield from read_warc_file(path, limits)


def _read_jsonl_file(path: Path, limits: Limits) -> Iterator[Item]:
    try:
        stream = path.open("rb")
    except OSError as error:
        yield Rejected(Location(str(path)), "unreadable", os_reason(error))
        return
    with stream:
        at = binary_lines_at(stream.read(SNIFF_BYTES))
        if at is not None:
            yield Rejected(
                Location(str(path)),
                "binary",
                f"not a text file: binary data at byte {at}; "
                "a .jsonl file must be UTF-8 JSON, one object per line",
            )
            return
        stream.seek(0)
        yield from read_jsonl(stream, str(path), limits)


def read_stream(stream: BinaryIO, limits: Limits, name: str = "<stdin>") -> Iterator[Item]:
    """Read standard input, recognising JSON Lines, WARC, feeds, HTML or plain text."""
    head = stream.read(4096)
    rest = io.BufferedReader(_Prefixed(head, stream))  # type: ignore[type-var]
    start = head.lstrip()[:200].lower()
    if head.startswith(b"\x1f\x8b") or start.startswith(b"warc/"):
        yield from read_warc(rest, name, limits)
    elif start.startswith((b"{", b"[")):
        if start.startswith(b"["):
            import json

            from storyline.sources.records import json_error, record_doc

            try:
                records = json.loads(rest.read(limits.max_file_bytes))
            except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
                yield Rejected(Location(name), "malformed", json_error(error))
                return
            for index, record in enumerate(records, start=1):
                yield record_doc(record, Location(name, record=index), "json")
        else:
            yield from read_jsonl(rest, name, limits)
    else:
        data = rest.read(limits.max_document_bytes + 1)
        if len(data) > limits.max_document_bytes:
            yield Rejected(Location(name), "too-large", "standard input is over the document limit")
        elif b"<rss" in start or b"<feed" in start or b"<rdf" in start:
            yield from read_feed_bytes(data, name)
        elif start.startswith((b"<!doctype", b"<html", b"<")):
            yield html_doc(data, Location(name), "html", {}, declared_charset(data))
        else:
            yield from _text_from_bytes(data, name)


def _text_from_bytes(data: bytes, name: str) -> Iterator[Item]:
    from storyline.sources.files import decode

    location = Location(name)
    text = decode(data, location)
    if isinstance(text, Rejected):
        yield text
    elif not text.strip():
        yield Rejected(location, "empty", "no input on standard input")
    else:
        yield RawDoc(location, "text", text=text, fields={"markup": "plain"})


class _Prefixed(io.RawIOBase):
    """A raw stream that first returns already-sniffed bytes, then the rest."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
