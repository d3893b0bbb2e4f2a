"""The web UI: litestar, jinja2 templates, htmx fragments."""
