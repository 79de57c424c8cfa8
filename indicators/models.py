"""Models of the indicators app (filled in by its issue)."""
