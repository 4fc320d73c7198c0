"""Settings, read from the environment with defaults; each names the role it configures.

| variable                   | default          | what it sets                                  |
|----------------------------|------------------|-----------------------------------------------|
| STORYLINE_DB               | ./storyline.db   | the workspace file                            |
| STORYLINE_WORKERS          | CPU cores (max 4)| extraction processes during ingest            |
| STORYLINE_BATCH_SIZE       | 200              | documents per write transaction               |
| STORYLINE_MAX_DOCUMENT_MB  | 10               | largest single document (page, text, record)  |
| STORYLINE_MAX_FILE_MB      | 100              | largest file read whole (.json, feeds)        |
| STORYLINE_EXTRACTION       | fast             | thorough runs trafilatura's fallbacks too     |
| STORYLINE_EMBEDDER         | use              | the events stage's embedder (use or none)     |
| STORYLINE_EMBED_THREADS    | 2                | BLAS threads of the sentence encoder          |
| STORYLINE_EVENT_WINDOW_DAYS| from the model   | active window of the events stage             |
| STORYLINE_STAGES           | all              | later stages to run, comma-separated          |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from storyline.errors import StorylineError
from storyline.sources.files import Limits

SETTINGS = {
    "STORYLINE_DB": "the workspace file",
    "STORYLINE_WORKERS": "extraction processes during ingest",
    "STORYLINE_BATCH_SIZE": "documents per write transaction",
    "STORYLINE_MAX_DOCUMENT_MB": "largest single document",
    "STORYLINE_MAX_FILE_MB": "largest file read whole",
    "STORYLINE_EXTRACTION": "HTML extraction: fast (default) or thorough (fallback extractors)",
    "STORYLINE_EMBEDDER": "the events stage's embedder: use or none",
    "STORYLINE_EMBED_THREADS": "BLAS threads of the sentence encoder",
    "STORYLINE_EVENT_WINDOW_DAYS": "active window of the events stage, in days",
    "STORYLINE_STAGES": "later stages to run after storing (comma-separated; empty for none)",
    "STORYLINE_API_TOKEN": "token the HTTP API's ingest endpoints require (unset: none)",
}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise StorylineError(f"{name}={raw!r} is not a whole number") from None
    if value < 1:
        raise StorylineError(f"{name}={raw!r} must be 1 or more")
    return value


def _default_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything storyline can be configured with."""

    db_path: str = "storyline.db"
    workers: int = field(default_factory=_default_workers)
    batch_size: int = 200
    limits: Limits = field(default_factory=Limits)
    stages: tuple[str, ...] | None = None  # None: every registered stage

    @classmethod
    def from_env(cls, db_path: str | None = None) -> Settings:
        """Settings from STORYLINE_* environment variables; ``db_path`` wins when given."""
        mb = 1024 * 1024
        return cls(
            db_path=db_path or os.environ.get("STORYLINE_DB") or "storyline.db",
            workers=_int("STORYLINE_WORKERS", _default_workers()),
            batch_size=_int("STORYLINE_BATCH_SIZE", 200),
            limits=Limits(
                max_document_bytes=_int("STORYLINE_MAX_DOCUMENT_MB", 10) * mb,
                max_file_bytes=_int("STORYLINE_MAX_FILE_MB", 100) * mb,
            ),
            stages=_stages(os.environ.get("STORYLINE_STAGES")),
        )


def _stages(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    return tuple(name.strip() for name in raw.split(",") if name.strip())
