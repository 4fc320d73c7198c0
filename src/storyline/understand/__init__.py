"""The understand stage (see DESIGN.md)."""
