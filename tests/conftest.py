"""Shared fixtures: temporary workspaces and paths to the optional benchmark data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.analysis_gold import demo_key as demo_key  # re-exported: the one definition
from storyline.api import Workspace, open_workspace
from storyline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh workspace in a temporary file, extracting in this process, no later stages.

    Tests of a later stage open their own workspace with that stage switched on.
    """
    ws = open_workspace(tmp_path / "ws.db", Settings(workers=1, batch_size=50, stages=()))
    yield ws
    ws.close()


def shared(*parts: str) -> Path:
    """A path under ../shared/data; skips the test when the data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"benchmark data not present: {path}")
    return path


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The demo corpus ingested once per test session (read-only for tests)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    ws = open_workspace(path, Settings(workers=1))
    ws.ingest([DEMO / "corpus"])
    yield ws
    ws.close()
