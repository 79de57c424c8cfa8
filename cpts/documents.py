"""Document kinds of the core (registered with cpts.jobs.document_kind)."""
