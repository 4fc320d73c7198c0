"""The evaluation harness: cluster a labelled file in a fresh workspace and score it.

Labels are taken off every record before the pipeline sees it (they go to a temporary
copy of the file without them) and are read back only by the scorer here.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storyline.api import open_workspace
from storyline.errors import InputError
from storyline.events.metrics import Scores, score
from storyline.settings import Settings

LABEL_FIELDS = frozenset({"event", "topic", "split", "main_event", "subtopic"})


@dataclass(frozen=True, slots=True)
class EvalResult:
    """Scores, speed and the assignment of one evaluation run."""

    scores: Scores
    seconds: float
    records: int
    assignment: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures (without the assignment)."""
        return {
            **self.scores.as_dict(),
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(self.records / self.seconds, 1) if self.seconds else None,
        }


def _split_labels(path: Path, hidden: Path, label: str) -> tuple[dict[int, str], dict[int, str]]:
    """Write ``path`` without label fields to ``hidden``; return gold labels and splits by line."""
    gold: dict[int, str] = {}
    splits: dict[int, str] = {}
    with path.open(encoding="utf-8") as source, hidden.open("w", encoding="utf-8") as out:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                out.write("\n")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path}: line {number}: invalid JSON: {error.msg}") from None
            if label not in record:
                raise InputError(f"{path}: line {number}: no {label!r} label to score against")
            gold[number] = str(record[label])
            splits[number] = str(record.get("split", ""))
            out.write(json.dumps({k: v for k, v in record.items() if k not in LABEL_FIELDS}) + "\n")
    return gold, splits


def _check_splits(
    path: Path, gold: dict[int, str], split_of: dict[int, str], wanted: set[str] | None
) -> None:
    """Fail early, naming the splits the file has, when there is nothing to score."""
    if not gold:
        raise InputError(f"{path}: no records to score: the file has no JSON lines")
    present = sorted(set(split_of.values()) - {""})
    missing = sorted((wanted or set()) - set(present))
    if missing:
        names = ", ".join(repr(s) for s in missing)
        there = f"splits there: {', '.join(present)}" if present else "no record has a split field"
        noun = "split" if len(missing) == 1 else "splits"
        raise InputError(f"no records of {noun} {names} in {path} ({there})")


def evaluate(
    path: Path,
    settings: Settings | None = None,
    label: str = "event",
    splits: Iterable[str] | None = None,
    db_path: Path | None = None,
) -> EvalResult:
    """Ingest ``path`` (labels hidden) into a fresh workspace and score its events.

    A file without records, or a wanted split no record has, is an ``InputError``
    raised before anything is ingested.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    wanted = set(splits) if splits else None
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        hidden = Path(tmp) / path.name
        gold, split_of = _split_labels(path, hidden, label)
        _check_splits(path, gold, split_of, wanted)
        base = settings or Settings.from_env()
        target = db_path or Path(tmp) / "eval.db"
        if target.exists():
            raise InputError(f"{target} exists: evaluation needs a fresh workspace")
        with open_workspace(target, replace(base, db_path=str(target))) as ws:
            started = time.perf_counter()
            ws.ingest([hidden])
            seconds = time.perf_counter() - started
            rows = list(ws.assignments())
    predicted: dict[int, str] = {}
    assignment = []
    for row in rows:
        line = int(row["location"].rsplit("line ", 1)[1])
        predicted[line] = str(row["event_id"]) if row["event_id"] is not None else f"none:{line}"
        assignment.append({k: row[k] for k in ("id", "article_id", "event_id")} | {"line": line})
    lines = [n for n in gold if wanted is None or split_of[n] in wanted]
    for n in lines:
        predicted.setdefault(n, f"rejected:{n}")  # a rejected record is an event of its own
    scored = score({str(n): gold[n] for n in lines}, {str(n): predicted[n] for n in lines})
    return EvalResult(scored, seconds, len(gold), assignment)
