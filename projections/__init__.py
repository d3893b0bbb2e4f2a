"""Read models: one projection per view, its tables and its queries."""
