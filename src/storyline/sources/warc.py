"""WARC archives via warcio: HTML responses become pages, other records are counted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from storyline.model import Location, RawDoc, Rejected, Skipped
from storyline.sources.files import Limits, os_reason
from storyline.sources.html import html_doc

_TRUNCATED = "archive is cut short {where}: copy or download it again; {kept}"
_NOT_WARC = (
    "not a WARC archive: it does not start with a WARC/1.0 or WARC/1.1 record header "
    "(plain or gzip-compressed); no record could be read"
)
_MAX_ERROR_CHARS = 120


def _kept(records_before: int) -> str:
    """What a damaged archive still gave: the records before the damage, or none."""
    return "the records before it were read" if records_before else "no record could be read"


def _printable(text: str) -> str:
    """An error text fit for a message: control characters escaped, and kept short.

    warcio quotes the bytes it could not parse; raw bytes in a message garble the terminal.
    """
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return shown if len(shown) <= _MAX_ERROR_CHARS else shown[: _MAX_ERROR_CHARS - 1] + "…"


def read_warc_file(path: Path, limits: Limits) -> Iterator[RawDoc | Rejected | Skipped]:
    """Stream a ``.warc`` or ``.warc.gz`` file."""
    try:
        stream = path.open("rb")
    except OSError as error:
        yield Rejected(Location(str(path)), "unreadable", os_reason(error))
        return
    with stream:
        yield from read_warc(stream, str(path), limits)


def read_warc(stream: BinaryIO, path: str, limits: Limits) -> Iterator[RawDoc | Rejected | Skipped]:
    """Yield HTML responses of a WARC stream; a truncated archive keeps what came before."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream)
    reader, index = records.reader, 0
    try:
        for record in records:
            index += 1
            # Read the payload before asking for the offset: warcio's get_record_offset()
            # moves the stream, after which content_stream() reads nothing.
            payload = _html_payload(record, limits)
            location = Location(path, record=index, offset=records.get_record_offset())
            if _cut_short(records, record):
                detail = _TRUNCATED.format(where="inside this record", kept=_kept(index - 1))
                yield Rejected(location, "truncated", detail)
                return
            yield _record_doc(record, payload, location, limits)
        if reader.num_read and records.offset < records.fh.tell():
            where = f"after record {index}" if index else "inside the first record"
            location = Location(path, record=index + 1)
            yield Rejected(location, "truncated", _TRUNCATED.format(where=where, kept=_kept(index)))
    except Exception as error:  # warcio raises many types on damaged archives
        yield _damaged(error, path, index)


def _damaged(error: Exception, path: str, index: int) -> Rejected:
    """The rejection for an archive warcio could not read past its ``index``-th record."""
    location = Location(path, record=index + 1)
    if not index and str(error).startswith("Unknown archive format"):
        return Rejected(location, "not-a-warc", _NOT_WARC)
    where = f"after record {index}" if index else "at the first record"
    return Rejected(
        location,
        "truncated",
        f"archive is truncated or corrupt {where} "
        f"({type(error).__name__}: {_printable(str(error))}); {_kept(index)}",
    )


def _cut_short(records: Any, record: Any) -> bool:
    """True when the archive ends inside ``record``, which warcio has read to its end.

    warcio passes off a record short of its Content-Length, or a gzip member without its
    end, as whole. (``next_line`` set means the member goes on with another record: a
    non-chunked gzip, which warcio itself reports.)
    """
    declared = record.rec_headers.get_header("Content-Length", "0").strip()
    if record.length is None or not declared.isdigit():
        return True  # the header block itself was cut
    if getattr(record.raw_stream, "limit", 0) > 0:
        return True  # bytes of the record still owed
    decompressor = getattr(records.reader, "decompressor", None)
    member_ended = getattr(decompressor, "eof", True)
    return not member_ended and not records.next_line


def _html_payload(record: Any, limits: Limits) -> bytes | str:
    """The HTML bytes of a 200 HTML response, else a description of what was skipped."""
    if record.rec_type != "response" or record.http_headers is None:
        return f"{record.rec_type} record"
    status = record.http_headers.get_statuscode()
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    if status != "200" or "html" not in ctype:
        return f"response {status} {ctype.split(';')[0] or 'without type'}"
    data: bytes = record.content_stream().read(limits.max_document_bytes + 1)
    return data


def _record_doc(
    record: Any, payload: bytes | str, location: Location, limits: Limits
) -> RawDoc | Rejected | Skipped:
    if isinstance(payload, str):
        return Skipped(location, payload)
    if len(payload) > limits.max_document_bytes:
        return Rejected(location, "too-large", "HTML response over the document size limit")
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    charset = ctype.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in ctype else None
    headers = record.rec_headers
    fields = {
        "url": headers.get_header("WARC-Target-URI"),
        "crawled": headers.get_header("WARC-Date"),
    }
    return html_doc(payload, location, "warc", fields, charset)
