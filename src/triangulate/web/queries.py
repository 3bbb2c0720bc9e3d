"""Incident queries shared by the pages and the API: filters, search and cursor pagination."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from triangulate.errors import ConfigError
from triangulate.store.db import Store

STATUSES = ("corroborated", "single-source", "claimed-only", "denied", "contested")
SORTS = {"date": "date_start DESC, id", "documents": "n_documents DESC, id", "id": "id"}


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Filters from a query string; parsed with :meth:`parse`, which refuses bad values."""

    kind: str = "main"
    status: str = ""
    event_type: str = ""
    country: str = ""
    q: str = ""
    date_from: str = ""
    date_to: str = ""
    min_sources: int = 0
    limit: int = 50
    offset: int = 0
    sort: str = "date"

    @classmethod
    def parse(cls, params: dict[str, str]) -> IncidentFilter:
        """Validate query parameters; raises ConfigError naming the bad one."""
        def integer(name: str, default: int, low: int, high: int) -> int:
            raw = params.get(name, "")
            if raw == "":
                return default
            try:
                value = int(raw)
            except ValueError as exc:
                raise ConfigError(f"parameter {name!r} must be an integer, got {raw!r}", f"use {name}={default}") from exc
            if not low <= value <= high:
                raise ConfigError(f"parameter {name!r} must be between {low} and {high}", f"use {name}={default}")
            return value

        status = params.get("status", "")
        if status and status not in STATUSES:
            raise ConfigError(f"unknown status {status!r}", f"use one of {', '.join(STATUSES)}")
        sort = params.get("sort", "date")
        if sort not in SORTS:
            raise ConfigError(f"unknown sort {sort!r}", f"use one of {', '.join(SORTS)}")
        offset = 0
        cursor = params.get("cursor", "")
        if cursor:
            try:
                offset = int(json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())["o"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError("invalid cursor", "pass the `next` value from the previous page unchanged") from exc
        return cls(kind=params.get("kind", "main") if params.get("kind") in ("main", "background", "all") else "main",
                   status=status, event_type=params.get("type", "")[:40], country=params.get("country", "")[:3].upper(),
                   q=params.get("q", "")[:200], date_from=params.get("from", "")[:10], date_to=params.get("to", "")[:10],
                   min_sources=integer("min_sources", 0, 0, 1000), limit=integer("limit", 50, 1, 500), offset=offset, sort=sort)


def next_cursor(offset: int) -> str:
    """An opaque cursor for the next page."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def find_incidents(store: Store, f: IncidentFilter) -> tuple[list[dict[str, Any]], str | None]:
    """One page of incidents (all values bound as parameters) and the cursor for the next page."""
    where = ["merged_into IS NULL", "n_documents > 0"]
    args: list[Any] = []
    if f.kind != "all":
        where.append("kind = ?")
        args.append(f.kind)
    if f.status:
        where.append("status = ?")
        args.append(f.status)
    if f.event_type:
        where.append("event_type = ?")
        args.append(f.event_type.upper())
    if f.country:
        where.append("country_code = ?")
        args.append(f.country)
    if f.date_from:
        where.append("date_start >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append("date_start != '' AND date_start <= ?")
        args.append(f.date_to)
    if f.min_sources:
        where.append("n_independent >= ?")
        args.append(f.min_sources)
    if f.q:
        where.append("(title LIKE ? ESCAPE '\\' OR record LIKE ? ESCAPE '\\')")
        like = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        args += [like, like]
    sql = (f"SELECT id, kind, title, event_type, mode, status, date_start, country_code, latitude, longitude, place_precision,"
           f" killed, n_documents, n_independent, version FROM incidents WHERE {' AND '.join(where)}"
           f" ORDER BY {SORTS[f.sort]} LIMIT ? OFFSET ?")
    rows = [dict(r) for r in store.query(sql, (*args, f.limit + 1, f.offset))]
    more = len(rows) > f.limit
    return rows[:f.limit], (next_cursor(f.offset + f.limit) if more else None)
