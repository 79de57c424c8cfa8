"""Reads of the member base, one module per area."""
