"""Exports: records of one kind written in one format (JSONL, CSV, Parquet, GeoJSON)."""

from triangulate.export.core import EXPORTERS, export

__all__ = ["EXPORTERS", "export"]
