"""Store: the workspace. The only package that knows SQL."""

from storyline.store.sqlite import SqliteStore

__all__ = ["SqliteStore"]
