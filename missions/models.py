"""Models of the missions app (filled in by its issue)."""
