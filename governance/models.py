"""Models of the governance app (filled in by its issue)."""
