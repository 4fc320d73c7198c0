"""The analysis stage (see DESIGN.md)."""
