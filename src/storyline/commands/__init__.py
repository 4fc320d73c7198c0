"""CLI commands of the later stages; each module adds its commands to ``storyline.cli.cli``.

Imported at the end of ``storyline.cli``, once the group and shared options exist.
"""

from storyline.commands import copies, events, understand  # noqa: F401
