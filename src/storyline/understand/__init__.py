"""The understand stage (see DESIGN.md): entities with their variants merged, dates with
provenance, attributed quotes.

Registers ``understand`` in ``storyline.stages.FACTORIES``. spaCy and the gazetteer
load on first use, so importing this package is cheap.
"""

from __future__ import annotations

import sqlite3

from storyline.stages import FACTORIES, Stage


def _factory(conn: sqlite3.Connection) -> Stage:
    from storyline.understand.nlp import model_package
    from storyline.understand.stage import UnderstandStage

    model_package()  # a missing extra fails here, before ingest starts, naming pip
    return UnderstandStage(conn)


FACTORIES["understand"] = _factory
