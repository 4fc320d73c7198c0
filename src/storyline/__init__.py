"""storyline: turn a pile or a stream of news articles into what happened.

The Python API lives in :mod:`storyline.api`; the record types in :mod:`storyline.model`.
"""

from storyline.api import Workspace, open_workspace
from storyline.model import Article, Attribution, Location, RawDoc, Rejected

__all__ = [
    "Article",
    "Attribution",
    "Location",
    "RawDoc",
    "Rejected",
    "Workspace",
    "open_workspace",
]
__version__ = "0.1.0"
