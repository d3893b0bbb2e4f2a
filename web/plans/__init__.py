"""A year's plan: drafting, its items, publishing, its progress and the report the annual meeting adopts."""
