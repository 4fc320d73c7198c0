"""An outlet is one source in every count, whatever the case of its name."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.api import open_workspace
from storyline.report import workspace_report
from storyline.settings import Settings


def _jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _record(n: int, source: str | None) -> dict[str, str]:
    text = f"Report number {n} on the harbour crane collapse in Velmora, written apart."
    record = {"id": f"r{n}", "title": f"Crane report {n}", "text": text, "date": "2025-03-0{n}"}
    return record | ({"source": source} if source else {})


def test_a_new_spelling_of_a_stored_outlet_is_stored_as_the_first(tmp_path: Path) -> None:
    settings = Settings(db_path=str(tmp_path / "ws.db"), workers=1, stages=())
    with open_workspace(settings.db_path, settings) as ws:
        ws.ingest([_jsonl(tmp_path / "a.jsonl", [_record(1, "fox")])])
        ws.ingest([_jsonl(tmp_path / "b.jsonl", [_record(2, "FOX"), _record(3, "Nyt")])])
        ws.ingest([_jsonl(tmp_path / "c.jsonl", [_record(4, "NYT"), _record(5, None)])])
        sources = {a.external_id: a.source for a in ws.articles()}
        assert sources == {"r1": "fox", "r2": "fox", "r3": "Nyt", "r4": "Nyt", "r5": None}
        assert "5 articles from 2 sources and 1 with no source named." in workspace_report(ws)
