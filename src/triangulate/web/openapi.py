"""The OpenAPI 3 description of /api/v1 (served at /api/v1/openapi.json, rendered at /api/docs)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from triangulate import __version__
from triangulate.web.queries import KINDS, MAX_LIMIT, SORTS, STATUSES


def _q(
    name: str, description: str, schema: dict[str, Any] | None = None, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer"},
    }


LIMIT = _q(
    "limit",
    f"Rows per page, 1 to {MAX_LIMIT} (default 50).",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
)
CURSOR = _q("cursor", "Opaque cursor: the `next` value of the previous page.")
INCIDENT_FILTERS = [
    _q(
        "q",
        "Free text: every word must occur in the title, field values, actors, places or the reports (prefix match).",
    ),
    _q("type", "Event type, e.g. ASSAULT or ASSAULT/explosives."),
    _q("status", "Verification status.", {"type": "string", "enum": list(STATUSES)}),
    _q("country", "Country: ISO code (PK) or English name (Pakistan)."),
    _q("actor", "Actor or person named as perpetrator, victim, speaker or in the reports."),
    _q(
        "from",
        "Earliest date (YYYY, YYYY-MM or YYYY-MM-DD); partial dates overlap.",
        {"type": "string", "format": "date"},
    ),
    _q("to", "Latest date (YYYY, YYYY-MM or YYYY-MM-DD).", {"type": "string", "format": "date"}),
    _q("min_sources", "Minimum number of independent sources.", {"type": "integer", "minimum": 0}),
    _q(
        "kind",
        "main incidents, background events, or all (default main).",
        {"type": "string", "enum": list(KINDS)},
    ),
    _q("sort", "Order of the list (default date).", {"type": "string", "enum": list(SORTS)}),
]
ERROR = {"$ref": "#/components/responses/Error"}
REVIEW_BODY_NOTE = (
    "Needs a signed-in analyst session (cookie) and the session's CSRF token in the X-CSRF-Token header "
    "(from GET /api/v1/session). `version` is the incident version you loaded; a stale one gives 409."
)


def _get(
    summary: str, params: list[dict[str, Any]], result: str, description: str = "", schema: str = "Ok"
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "description": description,
            "parameters": params,
            "responses": {
                "200": {
                    "description": result,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                },
                "400": ERROR,
                "401": ERROR,
                "404": ERROR,
            },
        }
    }


def _post(
    summary: str, params: list[dict[str, Any]], body: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "description": REVIEW_BODY_NOTE,
            "parameters": params,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": body, "required": required}
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Done: audit entry id and the new versions",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ReviewResult"}}
                    },
                },
                "400": ERROR,
                "401": ERROR,
                "403": ERROR,
                "404": ERROR,
                "409": ERROR,
            },
        }
    }


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required or list(properties),
        "additionalProperties": True,
    }


def _list(item: str, key: str, total: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {
        "ok": {"type": "boolean", "enum": [True]},
        key: {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        "next": {
            "type": "string",
            "nullable": True,
            "description": "cursor of the next page; null on the last",
        },
    }
    if total:
        props["total"] = {"type": "integer"}
    return _obj(props)


INT, STR, NUM = {"type": "integer"}, {"type": "string"}, {"type": "number"}
NINT, NSTR, NNUM = ({**t, "nullable": True} for t in (INT, STR, NUM))
OBJ, ARR = {"type": "object"}, {"type": "array"}
INCIDENT_CORE = {
    "id": INT,
    "kind": {"type": "string", "enum": ["main", "background"]},
    "title": STR,
    "event_type": STR,
    "mode": NSTR,
    "status": STR,
    "date": NSTR,
    "country_code": NSTR,
    "latitude": NNUM,
    "longitude": NNUM,
    "place_precision": NSTR,
    "killed": NINT,
    "n_documents": INT,
    "n_independent": INT,
    "version": INT,
    "fields": OBJ,
    "verification": OBJ,
    "documents": ARR,
}
TYPED: dict[str, Any] = {
    "IncidentSummary": _obj({**INCIDENT_CORE, "contradictions": ARR}),
    "IncidentList": _list("IncidentSummary", "incidents", total=True),
    "Incident": _obj(
        {
            **INCIDENT_CORE,
            "merged_into": NINT,
            "sources": ARR,
            "claims": ARR,
            "links": ARR,
            "history": ARR,
            "audit": ARR,
        }
    ),
    "IncidentDetail": _obj(
        {"ok": {"type": "boolean", "enum": [True]}, "incident": {"$ref": "#/components/schemas/Incident"}}
    ),
    "Document": _obj(
        {
            "id": INT,
            "title": STR,
            "outlet": NSTR,
            "url": NSTR,
            "published": NSTR,
            "published_precision": NSTR,
            "source": NSTR,
            "language": NSTR,
            "word_count": NINT,
        }
    ),
    "DocumentList": _list("Document", "documents"),
    "Event": _obj(
        {
            "id": INT,
            "doc_id": INT,
            "role": {"type": "string", "enum": ["main", "background"]},
            "event_type": STR,
            "mode": NSTR,
            "modality": STR,
            "date": NSTR,
            "date_precision": NSTR,
            "country_code": NSTR,
            "latitude": NNUM,
            "longitude": NNUM,
            "place_precision": NSTR,
            "record": OBJ,
            "incident_id": NINT,
        }
    ),
    "EventList": _list("Event", "events"),
    "Claim": _obj(
        {
            "id": INT,
            "doc_id": INT,
            "event_id": NINT,
            "incident_id": NINT,
            "speaker": STR,
            "speaker_kind": NSTR,
            "stance": STR,
            "content": STR,
            "text": STR,
            "start": INT,
            "end": INT,
        }
    ),
    "ClaimList": _list("Claim", "claims"),
    "Session": _obj(
        {
            "ok": {"type": "boolean", "enum": [True]},
            "user": {"type": "object", "nullable": True, "properties": {"name": STR, "role": STR}},
            "csrf": STR,
        }
    ),
}


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    """The OpenAPI document."""
    version = {"type": "integer", "description": "The incident version you loaded."}
    reason = {"type": "string", "description": "Why (recorded in the audit log)."}
    paths: dict[str, Any] = {
        "/api/v1/incidents": _get(
            "List incidents",
            [*INCIDENT_FILTERS, LIMIT, CURSOR],
            "`{ok, incidents: [...], next, total}`; each incident has its title, chosen field values, "
            "verification and documents (id, title, outlet, url).",
            schema="IncidentList",
        ),
        "/api/v1/incidents/{incident_id}": _get(
            "One incident: the reconciled record, sources, claims, links, history and audit",
            [_path("incident_id", "Incident id")],
            "`{ok, incident}`",
            schema="IncidentDetail",
        ),
        "/api/v1/overview": _get(
            "Compact rows for the map and the timeline",
            INCIDENT_FILTERS,
            "`{ok, columns, incidents: [[...]], background_columns, background: [[...]]}` (dates not applied)",
        ),
        "/api/v1/documents": _get(
            "List documents",
            [
                _q("q", "Text in the title or body."),
                _q("outlet", "Exact outlet name."),
                _q("incident", "Only reports of this incident.", {"type": "integer"}),
                LIMIT,
                CURSOR,
            ],
            "`{ok, documents: [...], next}`",
            schema="DocumentList",
        ),
        "/api/v1/documents/{doc_id}": _get(
            "One document with its text, mentions (kind, offsets, normalised value, precision, "
            "the event and incident each feeds), events and incidents",
            [_path("doc_id", "Document id")],
            "`{ok, document, mentions, events, incidents}`",
        ),
        "/api/v1/events": _get(
            "List extracted events",
            [
                _q("document", "Document id", {"type": "integer"}),
                _q("incident", "Incident id", {"type": "integer"}),
                _q("role", "main or background", {"type": "string", "enum": ["main", "background"]}),
                _q("type", "Event type"),
                LIMIT,
                CURSOR,
            ],
            "`{ok, events: [...], next}`",
            schema="EventList",
        ),
        "/api/v1/events/{event_id}": _get(
            "One event record", [_path("event_id", "Event id")], "`{ok, event}`"
        ),
        "/api/v1/claims": _get(
            "List claims and denials",
            [
                _q("stance", "claims, denies, confirms, could-not-verify, no-comment, ..."),
                _q("speaker", "Speaker (case-insensitive)"),
                _q("document", "Document id", {"type": "integer"}),
                _q("incident", "Incident id", {"type": "integer"}),
                LIMIT,
                CURSOR,
            ],
            "`{ok, claims: [...], next}`",
            schema="ClaimList",
        ),
        "/api/v1/search": _get(
            "Search incidents and documents",
            [_q("q", "Words to find", required=True), LIMIT],
            "`{ok, query, incidents, documents, next}`",
        ),
        "/api/v1/export": {
            "get": {
                "summary": "Download an export (reuses `triangulate export`)",
                "parameters": [
                    _q(
                        "what",
                        "Records",
                        {"type": "string", "enum": ["incidents", "events", "documents", "mentions"]},
                    ),
                    _q("format", "File format", {"type": "string", "enum": ["jsonl", "csv", "geojson"]}),
                    _q(
                        "schema",
                        "Column vocabulary (incidents)",
                        {"type": "string", "enum": ["native", "acled", "gtd"]},
                    ),
                    _q("filename", "Download name (folders and odd characters are removed)"),
                    *INCIDENT_FILTERS,
                ],
                "responses": {
                    "200": {"description": "The file, as an attachment"},
                    "400": ERROR,
                    "401": ERROR,
                },
            }
        },
        "/api/v1/session": {
            "get": {
                "summary": "The current user (or null) and the CSRF token to send with the next POST or DELETE "
                "(before sign-in it is kept in a cookie; no session is stored for anonymous visitors)",
                "responses": {
                    "200": {
                        "description": "`{ok, user, csrf}`",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}},
                    }
                },
            },
            "post": {
                "summary": "Sign in (rotates the session id); needs the X-CSRF-Token from GET",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"name": {"type": "string"}, "password": {"type": "string"}},
                                "required": ["name", "password"],
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "`{ok, user, csrf}` with a new session cookie"},
                    "401": ERROR,
                    "403": ERROR,
                },
            },
            "delete": {
                "summary": "Sign out (needs X-CSRF-Token)",
                "responses": {"200": {"description": "`{ok, user: null}`"}, "403": ERROR},
            },
        },
        "/api/v1/incidents/{incident_id}/merge": _post(
            "Merge another incident into this one",
            [_path("incident_id", "The incident kept")],
            {
                "other": {"type": "integer"},
                "version": version,
                "other_version": {"type": "integer"},
                "reason": reason,
            },
            ["other", "version"],
        ),
        "/api/v1/incidents/{incident_id}/split": _post(
            "Move reports out of this incident into a new one",
            [_path("incident_id", "Incident id")],
            {
                "documents": {"type": "array", "items": {"type": "integer"}},
                "version": version,
                "reason": reason,
            },
            ["documents", "version"],
        ),
        "/api/v1/incidents/{incident_id}/fields/{field}": _post(
            "Correct a field value (kept across pipeline re-runs)",
            [
                _path("incident_id", "Incident id"),
                {
                    "name": "field",
                    "in": "path",
                    "required": True,
                    "description": "Field name",
                    "schema": {"type": "string"},
                },
            ],
            {"value": {"type": "string"}, "version": version, "reason": reason},
            ["value", "version", "reason"],
        ),
        "/api/v1/claims/{claim_id}/verdict": _post(
            "Mark a claim or denial verified or false",
            [_path("claim_id", "Claim id")],
            {
                "verdict": {"type": "string", "enum": ["verified", "false"]},
                "version": version,
                "reason": reason,
            },
            ["verdict", "version"],
        ),
        "/api/v1/audit/{audit_id}/undo": _post(
            "Undo a review action",
            [_path("audit_id", "Audit entry id")],
            {"version": version, "reason": reason},
            ["version"],
        ),
        "/api/v1/openapi.json": {
            "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 JSON"}}}
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "triangulate API",
            "version": __version__,
            "description": "Incidents reconciled from news reports: corroboration, contradictions, claims and denials. "
            "Every error is `{ok: false, error, errors, status}`. Lists use opaque cursors.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                **TYPED,
                "Ok": {
                    "type": "object",
                    "properties": {"ok": {"type": "boolean", "enum": [True]}},
                    "required": ["ok"],
                    "additionalProperties": True,
                },
                "Error": {
                    "type": "object",
                    "required": ["ok", "error", "errors", "status"],
                    "properties": {
                        "ok": {"type": "boolean", "enum": [False]},
                        "error": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "string"}},
                        "status": {"type": "integer"},
                    },
                },
                "ReviewResult": {
                    "type": "object",
                    "properties": {
                        "ok": {"type": "boolean"},
                        "audit_id": {"type": "integer"},
                        "incident": {"type": "integer"},
                        "other_incident": {"type": "integer", "nullable": True},
                        "versions": {"type": "object", "additionalProperties": {"type": "integer"}},
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "Error (400 bad parameter, 401 sign-in needed, 403 forbidden or CSRF, "
                    "404 not found, 405 method, 409 stale version, 500)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "triangulate_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            },
        },
    }
