"""Pages of the claims: the adherent's side (portal card, declaring time and expenses, own
claims, bank details, annual statement), the validators' and the treasurer's queues, claim
detail with its history, payment batches and their exports, the year's totals and the
tariffs page. Every view checks a named permission; each module declares its own paths."""
