"""The one exception tree of storyline.

    StorylineError                 base of everything storyline raises on purpose
    ├── InputError                 an input cannot be read at all (missing path, ...)
    ├── StoreError                 the workspace cannot be opened or migrated
    │   └── MigrationError         a migration failed or the workspace is newer than the code
    ├── NotFound                   an id that names nothing in the workspace
    └── NotInstalled               an optional extra is missing; says which pip command fixes it

Problems with *one* article or record are not exceptions: they become
:class:`storyline.model.Rejected` values with a reason, stored and counted, and the rest
of the batch goes on.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose."""


class InputError(StorylineError):
    """An input path cannot be read at all."""


class StoreError(StorylineError):
    """The workspace cannot be opened, written or migrated."""


class MigrationError(StoreError):
    """A schema migration failed, or the workspace was written by a newer storyline."""


class NotFound(StorylineError):
    """An id or name that matches nothing in the workspace."""


class NotInstalled(StorylineError):
    """An optional dependency is missing."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed: run `pip install 'storyline[{extra}]'` to use this"
        )
        self.package = package
        self.extra = extra
