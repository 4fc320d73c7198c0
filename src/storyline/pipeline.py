"""Run the stages over a stream of inputs: read, extract, store, in batches.

Memory stays constant per document: sources are generators, extraction runs over one
batch at a time (in worker processes when there are several cores), and each batch is
written in one transaction. The ``records`` table is the checkpoint: a re-run skips every
record already stored before extracting it again.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from storyline.extract import build_article
from storyline.extract.normalize import digest, outlet_from_file_name, outlet_name
from storyline.model import Article, Location, RawDoc, Rejected, Skipped
from storyline.settings import Settings
from storyline.sources import Item, kind_of, read_file, read_stream, walk
from storyline.stages import Stage, Stored, build_stages, stage_names
from storyline.store import SqliteStore

Progress = Callable[[str, int], None]
"""Called with an event name ("file", "document") and a count to advance by."""


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did (counts; mutable while the run goes on)."""

    run_id: int = 0
    files: int = 0
    read: int = 0
    stored: int = 0
    versions: int = 0
    duplicates: int = 0
    already: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def rejected_total(self) -> int:
        """How many documents or files were rejected, for any reason."""
        return sum(self.rejected.values())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "run_id": self.run_id,
            "files": self.files,
            "read": self.read,
            "stored": self.stored,
            "new_versions": self.versions,
            "duplicates_skipped": self.duplicates,
            "already_ingested": self.already,
            "rejected": dict(sorted(self.rejected.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "rejections": [
                {"location": str(r.location), "reason": r.reason, "detail": r.detail}
                for r in self.rejections
            ],
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.read / self.seconds, 1) if self.seconds else None,
            "interrupted": self.interrupted,
        }


def record_key(raw: RawDoc) -> str:
    """The checkpoint key of an input record: its own id and content, else its place.

    The content is part of an id-based key because inputs reuse ids for different
    records (BASIL has three records with the id "empty"); hashing the raw payload costs
    far less than the extraction a resumed run skips.
    """
    if raw.external_id is not None:
        content = digest(raw.text if raw.text is not None else raw.html or "")
        name = os.path.basename(raw.location.path)
        return digest(f"ext\0{name}\0{raw.external_id}\0{content}")
    where = raw.location
    if where.path.startswith("<"):
        # Standard input has no stable place: two different documents piped one after
        # the other share "<stdin>", so their content tells them apart.
        content = digest(raw.text if raw.text is not None else raw.html or "")
        return digest(f"stdin\0{where.line}\0{where.record}\0{content}")
    path = os.path.abspath(where.path)
    return digest(f"loc\0{path}\0{where.line}\0{where.record}\0{where.offset}")


def iter_inputs(
    paths: Iterable[str], settings: Settings, stdin: BinaryIO | None, progress: Progress
) -> Iterator[Item]:
    """Every document of every input path (``-`` is standard input)."""
    for raw_path in paths:
        if raw_path == "-":
            if stdin is None:
                raise ValueError("'-' given but no standard input stream")
            progress("file", 1)
            yield from read_stream(stdin, settings.limits)
            continue
        named = Path(raw_path)
        for path in walk([raw_path]):
            if isinstance(path, Rejected):
                yield path
            elif path != named and kind_of(path) is None:
                # Inside a folder, other files (a README, scripts) are passed over, counted.
                yield Skipped(Location(str(path)), f"{''.join(path.suffixes) or 'other'} files")
            else:
                progress("file", 1)
                yield from read_file(path, settings.limits)


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _warm_up(read: bool) -> None:
    """Import the extraction libraries and load the language models once, before forking."""
    import trafilatura  # noqa: F401

    from storyline.extract.language import detect_language

    detect_language("warming up the language model with a sentence")
    if read:
        from storyline.understand import nlp, stage  # noqa: F401 (the workers read with it)

        nlp.load()
        nlp.load_parser()  # the workers parse the sentences quote attribution asks about


# In a worker: whether it also reads each article for the understand stage (spaCy's NER
# is most of an ingest's CPU; in the workers it runs beside the single writer).
_READ_IN_WORKERS = False

Extracted = tuple[Article | Rejected, bytes | None]


def _extract(docs: list[RawDoc]) -> list[Extracted]:
    """A worker's job: the clean articles of a chunk and, when wanted, the understand
    stage's reading of them (made for the whole chunk at once: spaCy runs faster on a
    batch than one text at a time)."""
    built = [build_article(doc) for doc in docs]
    if not _READ_IN_WORKERS:
        return [(item, None) for item in built]
    from storyline.understand.stage import read_many

    reads = iter(read_many([item for item in built if isinstance(item, Article)]))
    return [(item, next(reads) if isinstance(item, Article) else None) for item in built]


def _start_worker(read: bool) -> None:
    """A worker ignores Ctrl-C (the parent handles it) and learns whether to read."""
    global _READ_IN_WORKERS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _READ_IN_WORKERS = read


class _Extractor:
    """Runs ``build_article`` over a batch, in worker processes when there are several."""

    def __init__(self, workers: int, read: bool = False) -> None:
        self._pool: Any = None
        if workers > 1:
            _warm_up(read)  # forked workers inherit the loaded libraries instead of loading
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(workers, initializer=_start_worker, initargs=(read,))

    def submit(self, docs: list[RawDoc]) -> Callable[[], list[Extracted]]:
        """Start extracting a batch; the returned function waits for and gives the result.

        With worker processes the batch is extracted while the caller writes the previous
        one, so extraction and the single SQLite writer overlap.
        """
        if self._pool is None or len(docs) < 8:
            done: list[Extracted] = [(build_article(doc), None) for doc in docs]
            return lambda: done
        size = max(1, len(docs) // 16)
        chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
        pending = self._pool.map_async(_extract, chunks, chunksize=1)
        return lambda: [done for chunk in pending.get() for done in chunk]

    def close(self, terminate: bool = False) -> None:
        if self._pool is not None:
            (self._pool.terminate if terminate else self._pool.close)()
            self._pool.join()


def ingest(
    store: SqliteStore,
    paths: Iterable[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    command: str = "ingest",
    stages: Sequence[Stage] | None = None,
) -> IngestSummary:
    """Read, extract and store every document under ``paths``; never raises for bad input.

    A KeyboardInterrupt rolls back the batch in flight, marks the run interrupted and is
    re-raised; everything committed before it stays, and the same call resumes. Any
    other error (a stage that cannot load, a full disk) marks the run failed, likewise.
    """
    report = progress or (lambda _event, _n: None)
    names = stage_names(settings.stages) if stages is None else [s.name for s in stages]
    # the workers start first: the stages' libraries load while they read the first batch
    extractor = _Extractor(settings.workers, read="understand" in names)
    summary = IngestSummary(run_id=store.begin_run(command))
    started = time.perf_counter()
    status = "done"
    try:
        items = iter_inputs(paths, settings, stdin, _counting(report, summary))
        pending: tuple[list[Item], list[tuple[str, RawDoc]], Any] | None = None
        for batch in _batches(items, settings.batch_size):
            todo = _new_records(store, batch, summary)
            started_batch = (batch, todo, extractor.submit([doc for _key, doc in todo]))
            if stages is None:
                stages = build_stages(store.conn, settings.stages)
            if pending is not None:
                _write_batch(store, *pending, stages, summary, report)
            pending = started_batch
        if pending is not None and stages is not None:
            _write_batch(store, *pending, stages, summary, report)
    except BaseException as error:
        status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
        summary.interrupted = status == "interrupted"
        extractor.close(terminate=True)
        raise
    finally:
        if status == "done":
            extractor.close()
        summary.seconds = time.perf_counter() - started
        store.finish_run(summary.run_id, status, summary.as_dict())
    return summary


def _counting(report: Progress, summary: IngestSummary) -> Progress:
    def count(event: str, n: int) -> None:
        if event == "file":
            summary.files += n
        report(event, n)

    return count


def _run_stages(
    stages: Sequence[Stage], reads: dict[str, bytes]
) -> Callable[[sqlite3.Connection, list[Any]], None]:
    def run(conn: sqlite3.Connection, fresh: list[Any]) -> None:
        batch = [Stored(article, outcome, reads.get(article.id)) for article, outcome in fresh]
        batch.sort(key=lambda s: (s.article.published is None, s.article.published))
        for stage in stages:
            stage.process(conn, batch)

    return run


def _new_records(
    store: SqliteStore, batch: list[Item], summary: IngestSummary
) -> list[tuple[str, RawDoc]]:
    """The batch's documents not stored by an earlier run (the resume checkpoint)."""
    docs = [item for item in batch if isinstance(item, RawDoc)]
    keys = [record_key(doc) for doc in docs]
    known = store.known_keys(keys)
    todo = [(key, doc) for key, doc in zip(keys, docs, strict=True) if key not in known]
    summary.already += len(docs) - len(todo)
    return todo


def _sources_from_file_names(
    store: SqliteStore, writes: list[tuple[str, Article | Rejected]]
) -> list[tuple[str, Article | Rejected]]:
    """A text file with no outlet of its own, named after an outlet the workspace or this
    batch already knows ("tavrenia-today-jelmarsk.txt"), is that outlet's."""
    nameless = [
        a for _, a in writes if isinstance(a, Article) and a.format == "text" and not a.source
    ]
    if not nameless:
        return writes
    rows = store.conn.execute("SELECT DISTINCT source FROM articles WHERE source IS NOT NULL")
    seen = {str(row[0]) for row in rows} | {
        a.source for _, a in writes if isinstance(a, Article) and a.source
    }
    known = {outlet_name(name) or name for name in seen}
    named = []
    for key, item in writes:
        if isinstance(item, Article) and item.format == "text" and not item.source:
            outlet = outlet_from_file_name(item.location, known)
            item = replace(item, source=outlet) if outlet else item
        named.append((key, item))
    return named


def _outlet_spellings(
    store: SqliteStore, writes: list[tuple[str, Article | Rejected]]
) -> list[tuple[str, Article | Rejected]]:
    """An outlet keeps the spelling the workspace first stored it under, case aside: a
    file that says "FOX" after "fox" is the same source, in every count and listing."""
    spelling: dict[str, str] = {}
    names = dict.fromkeys(a.source for _, a in writes if isinstance(a, Article) and a.source)
    for name in names:
        key = name.casefold()
        if (
            key in spelling
            or store.conn.execute(
                "SELECT 1 FROM articles WHERE source = ? LIMIT 1", (name,)
            ).fetchone()
        ):
            spelling.setdefault(key, name)  # a stored spelling stays as it is
            continue
        row = store.conn.execute(  # indexed (migration 0009)
            "SELECT source FROM articles WHERE source = ? COLLATE NOCASE LIMIT 1", (name,)
        ).fetchone()
        if row is not None:
            spelling[key] = str(row[0])
    out = []
    for key, item in writes:
        if isinstance(item, Article) and item.source:
            kept = spelling.setdefault(item.source.casefold(), item.source)
            item = replace(item, source=kept) if kept != item.source else item
        out.append((key, item))
    return out


def _write_batch(
    store: SqliteStore,
    batch: list[Item],
    todo: list[tuple[str, RawDoc]],
    extracted: Callable[[], list[Extracted]],
    stages: Sequence[Stage],
    summary: IngestSummary,
    report: Progress,
) -> None:
    """Wait for a batch's extraction, write it in one transaction, and count."""
    docs = [item for item in batch if isinstance(item, RawDoc)]
    built = extracted()
    reads = {a.id: r for a, r in built if r is not None and isinstance(a, Article)}
    writes: list[tuple[str, Article | Rejected]] = [
        (key, item) for (key, _doc), (item, _read) in zip(todo, built, strict=True)
    ]
    writes = _outlet_spellings(store, _sources_from_file_names(store, writes))
    writes += [("", item) for item in batch if isinstance(item, Rejected)]
    outcomes = store.write_batch(summary.run_id, writes, after=_run_stages(stages, reads))
    for (_key, item), outcome in zip(writes, outcomes, strict=True):
        if isinstance(item, Rejected):
            summary.rejected[item.reason] += 1
            summary.rejections.append(item)
        elif outcome == "stored":
            summary.stored += 1
        elif outcome == "version":
            summary.versions += 1
        else:
            summary.duplicates += 1
    for raw in batch:
        if isinstance(raw, Skipped):
            summary.skipped[raw.what] += raw.count
    # a file that could not be read at all gave no document: rejected, not read
    summary.read += len(docs) + sum(
        1 for i in batch if isinstance(i, Rejected) and i.reason != "unreadable"
    )
    report("document", len(batch))
