"""The events stage: online, time-aware, explainable clustering of articles into events.

Importing this package registers the stage (``storyline.stages.FACTORIES["events"]``).
"""

from __future__ import annotations

import sqlite3

from storyline.stages import FACTORIES, Stage


def _events_stage(conn: sqlite3.Connection) -> Stage:
    from storyline.events.stage import EventsStage  # lazy: numpy, wordfreq, the encoder

    return EventsStage(conn)


FACTORIES["events"] = _events_stage
