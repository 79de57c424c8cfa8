"""Forms of the core, one module per area."""
