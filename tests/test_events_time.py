"""When an article happened, as the events stage sees it: event date, trusted stamp, or
the freshest date its text names when the stamp is missing or doubtful."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.api import open_workspace
from storyline.events.features import Understood, reported_time
from storyline.model import Article
from storyline.settings import Settings
from tests.conftest import shared


def _article(published: datetime | None) -> Article:
    return Article(
        id="a1",
        title="Talks in Tessaly",
        text="The leaders met.",
        text_hash="h",
        published=published,
        date_source="header" if published else None,
    )


STAMP = datetime(2024, 3, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("published", "understood", "day", "basis"),
    [
        (STAMP, Understood("2022-08-05", False, "2020-03-01"), "2022-08-05", "its event date"),
        (STAMP, Understood(None, True, "2020-03-01"), "2024-03-03", "its publication date"),
        (STAMP, Understood(None, False, "2020-03-01"), "2020-03-01", "freshest"),
        (None, Understood(None, False, "2020-03-14"), "2020-03-14", "freshest"),
        (None, Understood(None, False, None), None, "none known"),
    ],
)
def test_reported_time_prefers_event_date_then_trusted_stamp_then_freshest_mention(
    published: datetime | None, understood: Understood, day: str | None, basis: str
) -> None:
    when, why = reported_time(_article(published), understood)
    assert (when.date().isoformat() if when else None) == day
    assert basis in why
    if "freshest" in basis:
        assert ("doubtful" if published else "missing") in why


MEETING = (
    "Quorvan President Aldo Merrane and Belmarre's Prime Minister Ilse Vantor will meet in "
    "the resort of Tessaly on August 5 to discuss grain shipments and drone sales, "
    "Quorvan's spokesman Pavel Drusk said on Wednesday."
)

OLD_VISIT = """| 3 March 2024, Sunday |

Merrane and Vantor to discuss the border in Tessaly - officials

Two Belmarre officials said on Friday that Prime Minister Ilse Vantor will visit Quorvan \
later this month for talks with President Aldo Merrane about the fighting on the border.

The March 2020 agreement on the border followed weeks of clashes, the officials said.
"""


def test_a_doubtful_stamp_is_placed_at_the_freshest_date_its_text_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    folder = tmp_path / "in"
    folder.mkdir()
    records = [
        {"id": f"m{n}", "title": f"Merrane and Vantor to meet in Tessaly ({n})",
         "text": MEETING, "date": f"2022-07-{27 + n}", "source": f"Outlet {n}"}
        for n in range(2)
    ]  # fmt: skip
    (folder / "meeting.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (folder / "old.txt").write_text(OLD_VISIT, encoding="utf-8")
    settings = Settings(workers=1, stages=("understand", "events"))
    with open_workspace(tmp_path / "ws.db", settings) as ws:
        ws.ingest([folder])
        old = next(a for a in ws.articles() if a.location.startswith(str(folder / "old.txt")))
        found = ws.why(old.id)
        meeting = {row["event_id"] for row in ws.assignments() if row["id"] in ("m0", "m1")}
    assert found["time"]["day"] == "2020-03-01"
    assert "freshest date its text names" in found["time"]["basis"]
    assert "doubtful" in found["time"]["basis"]
    assert len(meeting) == 1 and found["event_id"] not in meeting


@pytest.mark.slow
@pytest.mark.model
def test_the_seeds_make_two_events(tmp_path: Path) -> None:
    """The 2021 Reuters report (stamped 2024) apart from the four on the 2022 meeting."""
    folder = shared("seeds")
    with open_workspace(tmp_path / "ws.db", Settings(workers=1)) as ws:
        ws.ingest([folder])
        events = {
            Path(a.location.split(":")[0]).name[:3]: ws.why(a.id)["event_id"] for a in ws.articles()
        }
    assert events["002"] not in {events[n] for n in ("000", "001", "003", "004")}
    assert len({events[n] for n in ("000", "001", "003", "004")}) == 1
