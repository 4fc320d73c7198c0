"""CLI commands of the events stage."""

from __future__ import annotations
