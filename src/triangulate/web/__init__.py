"""Web UI and HTTP API over one triangulate store."""
