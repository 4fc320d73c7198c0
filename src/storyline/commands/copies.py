"""CLI commands of the copies stage."""

from __future__ import annotations
