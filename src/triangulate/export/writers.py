"""Format writers. Each takes an iterable of flat-ish dict rows and a binary or text sink."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from triangulate.errors import ConfigError

Row = dict[str, Any]


# Cells a spreadsheet would run as a formula (OWASP "CSV injection"); article text is written by strangers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    """A CSV cell: nested values as JSON, text that would start a formula prefixed with an apostrophe.

    >>> print(_csv_value('=HYPERLINK("http://x")'), _csv_value(-3), _csv_value("Kohat"))
    '=HYPERLINK("http://x") -3 Kohat
    """
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    """One JSON object per line."""
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[Row], out: IO[str], columns: list[str] | None = None) -> int:
    """CSV with a header; nested values are JSON-encoded."""
    iterator: Iterator[Row] = iter(rows)
    first = next(iterator, None)
    cols = columns or (list(first.keys()) if first else [])
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in ([first] if first else []) + list(iterator):
        writer.writerow({k: _csv_value(row.get(k)) for k in cols})
        n += 1
    return n


def write_parquet(rows: Iterable[Row], path: str) -> int:
    """Parquet via pyarrow (no network); nested values are JSON-encoded strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    materialised = [
        {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in row.items()}
        for row in rows
    ]
    table = pa.Table.from_pylist(materialised) if materialised else pa.table({})
    pq.write_table(table, path)
    return len(materialised)


def write_geojson(rows: Iterable[Row], out: IO[str]) -> int:
    """A FeatureCollection; rows without coordinates get a null geometry."""
    features = []
    for row in rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        )
        props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    return len(features)


FORMATS = ("jsonl", "csv", "parquet", "geojson")


def check_format(fmt: str) -> None:
    """Refuse unknown formats with the list of known ones."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}", f"use one of {', '.join(FORMATS)}")


def to_text(rows: Iterable[Row], fmt: str) -> str:
    """Render rows in a text format (for the HTTP API's downloads)."""
    buf = io.StringIO()
    {"jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson}[fmt](rows, buf)
    return buf.getvalue()
