"""CLI commands of the understand stage."""

from __future__ import annotations
