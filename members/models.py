"""Models of the members app (filled in by its issue)."""
