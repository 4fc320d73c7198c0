"""CLI commands of the later stages; each module adds its commands to ``storyline.cli.cli``.

Imported at the end of ``storyline.cli``, once the group and shared options exist.
"""

from storyline.commands import analysis, copies, events, understand, web  # noqa: F401
