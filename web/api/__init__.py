"""The open-data API: /api/v1, read-only JSON of the public facts."""
