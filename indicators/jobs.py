"""Background jobs of the indicators (GeneratedDocument kinds)."""
