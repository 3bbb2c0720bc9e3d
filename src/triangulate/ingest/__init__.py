"""Ingest: read news reports in any common format, clean them, date them, find duplicates."""
