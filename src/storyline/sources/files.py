"""Walk input paths, read files safely and decode their bytes to text."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.model import Location, Rejected

# A byte sequence that is valid multi-byte UTF-8: its presence next to invalid bytes
# means the file mixes encodings rather than using one legacy encoding throughout.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
SNIFF_BYTES = 8192
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MB = 1024 * 1024  # the unit of STORYLINE_MAX_*_MB, so messages quote the limits as set


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits for inputs read whole; streamed formats are read record by record."""

    max_document_bytes: int = 10 * 1024 * 1024
    max_file_bytes: int = 100 * 1024 * 1024


def walk(paths: list[str]) -> Iterator[Path | Rejected]:
    """Yield every file under ``paths`` in a stable (sorted) order.

    Missing paths and unreadable directories become ``Rejected`` values.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield Rejected(Location(raw), "unreadable", "no such file or directory")
        elif path.is_dir():
            yield from _walk_dir(path)
        else:
            yield path


def _walk_dir(root: Path) -> Iterator[Path | Rejected]:
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
    for error in errors:
        where = error.filename or str(root)
        yield Rejected(
            Location(str(where)), "unreadable", f"cannot list directory: {os_reason(error)}"
        )


def os_reason(error: OSError) -> str:
    """An OS error in the words of storyline's other messages: "permission denied"."""
    return (error.strerror or str(error)).lower()


def check_file(path: Path) -> Rejected | None:
    """Why a listed file cannot be read at all (gone, not a regular file, empty), or None.

    Checked before a reader opens it: a FIFO or device would block or never end, and an
    empty file holds nothing in any format.
    """
    location = Location(str(path))
    try:
        info = path.stat()
    except OSError as error:
        if error.errno == errno.ENOENT and path.is_symlink():
            return Rejected(location, "unreadable", "broken symbolic link: its target is missing")
        return Rejected(location, "unreadable", os_reason(error))
    if not stat.S_ISREG(info.st_mode):
        return Rejected(location, "unreadable", "not a regular file (a pipe, socket or device)")
    if info.st_size == 0:
        return Rejected(location, "empty", "the file is empty (0 bytes)")
    return None


def read_bytes(path: Path, limit: int) -> bytes | Rejected:
    """Read a whole file, refusing files larger than ``limit`` without reading them."""
    location = Location(str(path))
    try:
        size = path.stat().st_size
        if size > limit:
            return Rejected(
                location,
                "too-large",
                f"file is {size / MB:.1f} MB, over the {limit / MB:.0f} MB limit for a "
                "file read whole; split it, use JSON Lines, or raise the limit "
                "(STORYLINE_MAX_FILE_MB / STORYLINE_MAX_DOCUMENT_MB)",
            )
        return path.read_bytes()
    except OSError as error:
        return Rejected(location, "unreadable", os_reason(error))


def looks_binary(data: bytes) -> bool:
    """True when the start of ``data`` is binary: see :func:`binary_at`."""
    return binary_at(data) is not None


def binary_at(data: bytes) -> int | None:
    """The offset of the first control byte when the start of ``data`` is binary, else None.

    Binary: a NUL byte, or control bytes (not tab, newline, carriage return or form
    feed) making up over 5% of the first 8 KB; text never has them so densely, random or
    compressed bytes have about 11%. A UTF-16 byte-order mark makes it text.
    """
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    controls = [m.start() for m in _CONTROL.finditer(head)]
    if b"\x00" in head or len(controls) * 20 > len(head):
        return controls[0]
    return None


def binary_lines_at(data: bytes) -> int | None:
    """Like :func:`binary_at` for a file of lines (JSON Lines), judged line by line.

    Binary when most lines at its start are binary, so that one bad line among good
    ones stays that line's problem; then the offset of the first control byte.
    """
    lines = [line for line in data[:SNIFF_BYTES].split(b"\n") if line.strip()]
    binary = sum(1 for line in lines if binary_at(line) is not None)
    if binary * 2 <= len(lines):
        return None
    first = _CONTROL.search(data)
    return first.start() if first else None


def decode(data: bytes, location: Location, declared: str | None = None) -> str | Rejected:
    """Decode bytes to text: UTF-8 first, then a declared or detected single encoding.

    A file mixing valid UTF-8 with invalid bytes is rejected: guessing would corrupt
    one of the two halves silently.
    """
    if looks_binary(data):
        return Rejected(location, "binary", "binary data, not text, HTML, JSON, a feed or WARC")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            return Rejected(location, "encoding", f"invalid UTF-16: {error.reason}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _decode_legacy(data, location, declared, error)


def _decode_legacy(
    data: bytes, location: Location, declared: str | None, error: UnicodeDecodeError
) -> str | Rejected:
    bad = error.start
    line = data.count(b"\n", 0, bad) + 1
    where = f"byte 0x{data[bad]:02x} at offset {bad}"
    if b"\n" in data.rstrip(b"\r\n"):  # several lines: say which (a JSON line has its own)
        where += f" (line {line})"
    if _UTF8_MULTIBYTE.search(data) and _mostly_utf8(data):
        return Rejected(
            location,
            "encoding",
            f"mixed encodings: valid UTF-8 text but an invalid UTF-8 {where}; "
            "re-save the file as UTF-8",
        )
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return Rejected(
            location, "encoding", f"not valid UTF-8 and no other encoding fits: {where}"
        )
    return str(best)


def _mostly_utf8(data: bytes) -> bool:
    """True when at most one byte in twenty is invalid UTF-8: text in UTF-8 with a few
    bytes of another encoding, not bytes that only happen to hold a UTF-8 sequence."""
    invalid = data.decode("utf-8", "replace").count("\ufffd") - data.count("\ufffd".encode())
    return invalid * 20 <= len(data)
