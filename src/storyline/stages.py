"""Later stages that run on every batch of newly stored articles, as they arrive.

A stage gets each batch *inside the batch's write transaction*, so an article and
everything a stage derives from it (copy links, entities, its event) are committed
together or not at all: a crash or Ctrl-C never leaves an article half-processed, and a
re-run resumes cleanly. A stage keeps SQL out of its own module by calling its store
module (``storyline.store.<stage>``) with the connection it is given.

Stages are chosen by name (``STORYLINE_STAGES``, default: all, in the order of
``STAGE_ORDER``); a stage registers a factory in ``FACTORIES``. Tests pass
``stages=[]`` or a tiny fake to skip or replace them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from storyline.errors import StorylineError
from storyline.model import Article

Outcome = Literal["stored", "version"]


@dataclass(frozen=True, slots=True)
class Stored:
    """An article a batch just stored, or a new version of a stored one.

    ``read``: the understand stage's spaCy reading of it, serialised, when an extraction
    worker made it (the stage reads the article itself otherwise).
    """

    article: Article
    outcome: Outcome
    read: bytes | None = None


class Stage(Protocol):
    """One later stage (copies, understand, events, ...)."""

    name: str

    def process(self, conn: sqlite3.Connection, batch: Sequence[Stored]) -> None:
        """Derive and write this stage's results for a batch, inside its transaction."""


StageFactory = Callable[[sqlite3.Connection], Stage]

# The order stages run in: each may read what the ones before it wrote.
STAGE_ORDER: tuple[str, ...] = ("copies", "understand", "events")

# name -> factory; each stage package adds its own entry here.
FACTORIES: dict[str, StageFactory] = {}


def stage_names(names: Sequence[str] | None = None) -> list[str]:
    """The stages ``names`` asks for (None: all), in ``STAGE_ORDER``; unknown names are
    an error."""
    wanted = list(STAGE_ORDER) if names is None else list(names)
    unknown = [n for n in wanted if n not in STAGE_ORDER]
    if unknown:
        raise StorylineError(
            f"unknown stage {', '.join(unknown)}: choose from {', '.join(STAGE_ORDER)}"
        )
    return [n for n in STAGE_ORDER if n in wanted]


def build_stages(conn: sqlite3.Connection, names: Sequence[str] | None = None) -> list[Stage]:
    """The stages to run, in ``STAGE_ORDER``; unknown names are an error."""
    import importlib

    wanted = stage_names(names)
    for name in wanted:  # importing a stage's package registers it; skip unwanted ones
        importlib.import_module(f"storyline.{name}")
    return [FACTORIES[n](conn) for n in wanted if n in FACTORIES]
