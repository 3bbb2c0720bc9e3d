"""The JSON API under /api/v1 (spec: /api/v1/openapi.json, docs page: /api/docs).

Lists use keyset cursors: pass the ``next`` value back as ``cursor``. Every error is
``{"ok": false, "error", "errors", "status"}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from triangulate.errors import NotFoundError
from triangulate.store.db import Store
from triangulate.web import actions, auth
from triangulate.web.queries import (
    IncidentFilter,
    Params,
    count_incidents,
    enrich,
    filter_sql,
    find_claims,
    find_documents,
    find_events,
    find_incidents,
    overview,
)
from triangulate.web.security import safe_filename
from triangulate.web.views import document_view, incident_view

EXPORT_WHAT = ("incidents", "events", "documents", "mentions")
EXPORT_FORMATS = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
EXPORT_SCHEMAS = ("native", "acled", "gtd")


def ok(body: dict[str, Any], ctx: auth.Context | None = None, status: int = 200) -> Response:
    """A success body ``{"ok": true, ...}``."""
    return auth.apply_cookie(JSONResponse({"ok": True, **body}, status_code=status), ctx)


def incident_json(store: Store, incident_id: int) -> dict[str, Any]:
    """One incident in the native export shape, plus its history and review audit."""
    view = incident_view(store, incident_id)
    row, record = view["row"], view["record"]
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "event_type": row["event_type"],
        "mode": row["mode"],
        "status": row["status"],
        "date": row["date_start"] or None,
        "country_code": row["country_code"] or None,
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "place_precision": row["place_precision"],
        "killed": row["killed"],
        "n_documents": row["n_documents"],
        "n_independent": row["n_independent"],
        "version": row["version"],
        "merged_into": row["merged_into"],
        "documents": record.get("documents", []),
        "sources": view["sources"],
        "fields": record.get("fields", {}),
        "claims": view["claims"],
        "verification": view["status"],
        "links": [
            {"incident": x["other"], "kind": x["kind"], "direction": x["direction"], "title": x["title"]}
            for x in view["links"]
        ],
        "history": view["history"],
        "audit": [{k: v for k, v in a.items()} for a in view["audit"]],
    }


def routes(web: Any) -> list[Route]:
    """The API routes bound to one app."""

    def reading(fn: Callable[[Store, Request], dict[str, Any]]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            def work(store: Store) -> dict[str, Any]:
                ctx = auth.context(store, request)
                auth.require_read(ctx, web.settings)
                return fn(store, request)

            return ok(await web.call(work))

        return endpoint

    def list_incidents(store: Store, request: Request) -> dict[str, Any]:
        f = IncidentFilter.parse(dict(request.query_params))
        rows, cursor = find_incidents(store, f)
        return {"incidents": enrich(store, rows), "next": cursor, "total": count_incidents(store, f)}

    def one_incident(store: Store, request: Request) -> dict[str, Any]:
        return {"incident": incident_json(store, request.path_params["incident_id"])}

    def overview_json(store: Store, request: Request) -> dict[str, Any]:
        f = IncidentFilter.parse(dict(request.query_params))
        return overview(store, f)

    def list_documents(store: Store, request: Request) -> dict[str, Any]:
        rows, cursor = find_documents(store, dict(request.query_params))
        return {"documents": rows, "next": cursor}

    def one_document(store: Store, request: Request) -> dict[str, Any]:
        view = document_view(store, request.path_params["doc_id"])
        doc = {k: v for k, v in view["doc"].items() if k not in ("safe_url",)}
        marks = [
            {
                k: m.get(k)
                for k in ("kind", "start", "end", "text", "value", "precision", "source", "event", "incident")
            }
            for m in view["marks"]
        ]
        return {
            "document": doc,
            "mentions": marks,
            "incidents": view["incidents"],
            "events": [
                {"id": e["id"], "role": e["role"], "type": e["type"], "incident": e["incident"]}
                for e in view["events"]
            ],
        }

    def list_events(store: Store, request: Request) -> dict[str, Any]:
        rows, cursor = find_events(store, dict(request.query_params))
        return {"events": rows, "next": cursor}

    def one_event(store: Store, request: Request) -> dict[str, Any]:
        row = store.conn.execute(
            "SELECT e.*, ie.incident_id FROM events e LEFT JOIN incident_events ie ON ie.event_id = e.id "
            "WHERE e.id = ?",
            (request.path_params["event_id"],),
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"no event {request.path_params['event_id']}", "list events at /api/v1/events"
            )
        event = dict(row)
        event["record"] = json.loads(event["record"])
        return {"event": event}

    def list_claims(store: Store, request: Request) -> dict[str, Any]:
        rows, cursor = find_claims(store, dict(request.query_params))
        return {"claims": rows, "next": cursor}

    def search(store: Store, request: Request) -> dict[str, Any]:
        params = dict(request.query_params)
        p = Params(params)
        q = p.text("q")
        limit = p.integer("limit", 20, 1, 200)
        if not q:
            p.errors.append("parameter 'q' is required")
        p.check()
        f = IncidentFilter(q=q, kind="all", limit=limit)
        rows, cursor = find_incidents(store, f)
        docs, _ = find_documents(store, {"q": q, "limit": str(limit)})
        return {"query": q, "incidents": enrich(store, rows), "documents": docs, "next": cursor}

    async def export(request: Request) -> Response:
        params = dict(request.query_params)
        p = Params(params)
        what = p.choice("what", EXPORT_WHAT, "incidents")
        fmt = p.choice("format", list(EXPORT_FORMATS), "jsonl")
        schema = p.choice("schema", EXPORT_SCHEMAS, "native")
        if schema != "native" and what != "incidents":
            p.errors.append("parameter 'schema' acled/gtd applies to what=incidents only")
        filters = {
            k: v
            for k, v in params.items()
            if k not in ("what", "format", "schema", "filename", "limit", "cursor")
        }
        f = IncidentFilter.parse(filters) if what == "incidents" else None
        p.check()
        name = safe_filename(
            params.get("filename", ""),
            fmt,
            f"triangulate-{what}" + (f"-{schema}" if schema != "native" else ""),
        )

        def work(store: Store) -> str:
            ctx = auth.context(store, request)
            auth.require_read(ctx, web.settings)
            return export_text(store, what, fmt, schema, f)

        body = await web.call(work)
        return Response(
            body,
            media_type=EXPORT_FORMATS[fmt],
            headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"},
        )

    async def openapi(request: Request) -> Response:
        from triangulate.web.openapi import spec

        return JSONResponse(spec())

    async def index(request: Request) -> Response:
        return ok(
            {
                "name": "triangulate",
                "openapi": "/api/v1/openapi.json",
                "docs": "/api/docs",
                "endpoints": [
                    "/api/v1/incidents",
                    "/api/v1/documents",
                    "/api/v1/events",
                    "/api/v1/claims",
                    "/api/v1/search",
                    "/api/v1/overview",
                    "/api/v1/export",
                    "/api/v1/session",
                ],
            }
        )

    async def session(request: Request) -> Response:
        if request.method == "GET":
            ctx = await web.call(lambda store: auth.context(store, request, need_session=True))
            user = ctx.user
            return ok(
                {"user": {"name": user.name, "role": user.role} if user else None, "csrf": ctx.csrf}, ctx
            )
        data = await actions.read_input(request)
        if request.method == "POST":
            ctx = await actions.sign_in_slowly(web, request, data)
            assert ctx.user is not None
            return ok({"user": {"name": ctx.user.name, "role": ctx.user.role}, "csrf": ctx.csrf}, ctx)
        ctx = await web.call(actions.run_sign_out, request, data)
        return ok({"user": None}, ctx)

    def reviewing(make: Callable[..., actions.Action], *names: str) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            data = await actions.read_input(request)
            action = make(*(request.path_params[n] for n in names))
            result = await web.call(actions.run_review, request, data, action)
            return ok(
                {
                    "audit_id": result.audit_id,
                    "incident": result.incident_id,
                    "other_incident": result.other_incident,
                    "versions": {str(k): v for k, v in result.versions.items()},
                }
            )

        return endpoint

    return [
        Route("/api/v1", index),
        Route("/api/v1/incidents", reading(list_incidents)),
        Route("/api/v1/incidents/{incident_id:int}", reading(one_incident)),
        Route("/api/v1/overview", reading(overview_json)),
        Route("/api/v1/documents", reading(list_documents)),
        Route("/api/v1/documents/{doc_id:int}", reading(one_document)),
        Route("/api/v1/events", reading(list_events)),
        Route("/api/v1/events/{event_id:int}", reading(one_event)),
        Route("/api/v1/claims", reading(list_claims)),
        Route("/api/v1/search", reading(search)),
        Route("/api/v1/export", export),
        Route("/api/v1/openapi.json", openapi),
        Route("/api/v1/session", session, methods=["GET", "POST", "DELETE"]),
        Route(
            "/api/v1/incidents/{incident_id:int}/merge",
            reviewing(actions.merge, "incident_id"),
            methods=["POST"],
        ),
        Route(
            "/api/v1/incidents/{incident_id:int}/split",
            reviewing(actions.split, "incident_id"),
            methods=["POST"],
        ),
        Route(
            "/api/v1/incidents/{incident_id:int}/fields/{field}",
            reviewing(actions.correct, "incident_id", "field"),
            methods=["POST"],
        ),
        Route(
            "/api/v1/claims/{claim_id:int}/verdict", reviewing(actions.verdict, "claim_id"), methods=["POST"]
        ),
        Route("/api/v1/audit/{audit_id:int}/undo", reviewing(actions.undo, "audit_id"), methods=["POST"]),
    ]


def export_text(store: Store, what: str, fmt: str, schema: str, f: IncidentFilter | None) -> str:
    """Rows of one kind in one text format (reusing triangulate.export), incidents restricted by filters."""
    import triangulate.export.documents  # noqa: F401  (registers the exporters)
    import triangulate.export.incidents  # noqa: F401
    from triangulate.export.core import EXPORTERS
    from triangulate.export.writers import to_text

    rows = EXPORTERS[what](store, schema)
    if what == "incidents" and f is not None and f.active:
        where, args = filter_sql(f)
        keep = {
            r[0] for r in store.conn.execute(f"SELECT id FROM incidents WHERE {' AND '.join(where)}", args)
        }
        rows = (r for r in rows if (r.get("id") if schema == "native" else _native_id(r)) in keep)
    return to_text(rows, fmt)


def _native_id(row: dict[str, Any]) -> int | None:
    if "eventid" in row:
        return int(row["eventid"])
    if str(row.get("event_id_cnty", "")).startswith("TRI"):
        return int(str(row["event_id_cnty"])[3:])
    return None
