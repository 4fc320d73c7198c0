"""Shared fixtures: temporary workspaces and paths to the optional benchmark data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.api import Workspace, open_workspace
from storyline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh workspace in a temporary file, extracting in this process."""
    ws = open_workspace(tmp_path / "ws.db", Settings(workers=1, batch_size=50))
    yield ws
    ws.close()


def shared(*parts: str) -> Path:
    """A path under ../shared/data; skips the test when the data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"benchmark data not present: {path}")
    return path
