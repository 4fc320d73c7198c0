"""The copies stage (see DESIGN.md)."""
