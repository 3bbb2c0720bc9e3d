"""The web application: incident list, incident and document pages, and the JSON API under /api/v1.

Read-only in this version; every page escapes article text (Jinja2 autoescape) and sends a strict
Content-Security-Policy. Build with :func:`create_app`; the store is opened per request.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from triangulate import __version__
from triangulate.errors import TriangulateError
from triangulate.export.incidents import incident_rows_native
from triangulate.store.db import Store
from triangulate.web.queries import IncidentFilter, find_incidents
from triangulate.web.security import SecurityHeaders, error_response

HERE = Path(__file__).parent


class WebApp:
    """Route handlers bound to one database path."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

    def store(self) -> Store:
        """A read-only connection for one request."""
        return Store.open(self.db_path, readonly=True)

    def render(self, name: str, **context: Any) -> HTMLResponse:
        """Render a template (autoescaped)."""
        return HTMLResponse(self.templates.get_template(name).render(version=__version__, **context))

    def _incident(self, store: Store, incident_id: int) -> dict[str, Any]:
        row = next((r for r in incident_rows_native(store) if r["id"] == incident_id), None)
        if row is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return row

    async def index(self, request: Request) -> Response:
        f = IncidentFilter.parse(dict(request.query_params))
        with self.store() as store:
            rows, cursor = find_incidents(store, f)
        return self.render("list.html", rows=rows, f=f, cursor=cursor, query=dict(request.query_params))

    async def incident_page(self, request: Request) -> Response:
        incident_id = int(request.path_params["incident_id"])
        with self.store() as store:
            row = self._incident(store, incident_id)
            from triangulate.reconcile.brief import build_brief

            record = json.loads(store.query("SELECT record FROM incidents WHERE id = ?", (incident_id,))[0][0])
            brief = build_brief(record)
            history = [dict(r) for r in store.query("SELECT version, at, cause, change FROM incident_history "
                                                    "WHERE incident_id = ? ORDER BY id DESC LIMIT 50", (incident_id,))]
        return self.render("incident.html", inc=row, brief=brief, history=history)

    async def document_page(self, request: Request) -> Response:
        doc_id = int(request.path_params["doc_id"])
        with self.store() as store:
            rows = store.query("SELECT * FROM documents WHERE id = ?", (doc_id,))
            if not rows:
                raise HTTPException(404, f"no document {doc_id}")
            doc = dict(rows[0])
            mentions = [dict(m) for m in store.query("SELECT kind, start, end, value, precision FROM mentions WHERE doc_id = ? "
                                                     "ORDER BY start", (doc_id,))]
        return self.render("document.html", doc=doc, segments=_segments(doc["text"], mentions))

    async def api_incidents(self, request: Request) -> Response:
        f = IncidentFilter.parse(dict(request.query_params))
        with self.store() as store:
            rows, cursor = find_incidents(store, f)
            full = {r["id"]: r for r in incident_rows_native(store) if r["id"] in {x["id"] for x in rows}}
        items = [{**r, "fields": {k: v["chosen"] for k, v in full[r["id"]]["fields"].items()},
                  "verification": full[r["id"]]["verification"],
                  "documents": [{"id": s["id"], "title": s["title"], "outlet": s["outlet"]} for s in full[r["id"]]["sources"]]}
                 for r in rows]
        return JSONResponse({"ok": True, "incidents": items, "next": cursor})

    async def api_incident(self, request: Request) -> Response:
        with self.store() as store:
            return JSONResponse({"ok": True, "incident": self._incident(store, int(request.path_params["incident_id"]))})

    async def api_document(self, request: Request) -> Response:
        doc_id = int(request.path_params["doc_id"])
        with self.store() as store:
            rows = store.query("SELECT id, source, title, outlet, url, published, published_precision, published_source, text "
                               "FROM documents WHERE id = ?", (doc_id,))
            if not rows:
                raise HTTPException(404, f"no document {doc_id}")
            mentions = [dict(m) for m in store.query("SELECT kind, start, end, text, value, precision, attrs FROM mentions "
                                                     "WHERE doc_id = ? ORDER BY start", (doc_id,))]
        for m in mentions:
            m["attrs"] = json.loads(m["attrs"])
        return JSONResponse({"ok": True, "document": dict(rows[0]), "mentions": mentions})


def _segments(text: str, mentions: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """Split text into plain and mention segments (no overlaps) for escaped highlighting."""
    out: list[tuple[str, dict[str, Any] | None]] = []
    pos = 0
    for m in mentions:
        if m["start"] < pos or m["end"] > len(text):
            continue
        out.append((text[pos:m["start"]], None))
        out.append((text[m["start"]:m["end"]], m))
        pos = m["end"]
    out.append((text[pos:], None))
    return out


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(db_path: str) -> Starlette:
    """The ASGI application for one store."""
    web = WebApp(db_path)

    async def on_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            status, message = exc.status_code, str(exc.detail)
        elif isinstance(exc, TriangulateError):
            status, message = exc.status, str(exc)
        else:
            status, message = 500, "internal error"
        if _is_api(request):
            return error_response(status, message)
        return HTMLResponse(web.templates.get_template("error.html").render(status=status, message=message, version=__version__),
                            status_code=status)

    routes = [
        Route("/", web.index),
        Route("/incidents/{incident_id:int}", web.incident_page),
        Route("/documents/{doc_id:int}", web.document_page),
        Route("/api/v1/incidents", web.api_incidents),
        Route("/api/v1/incidents/{incident_id:int}", web.api_incident),
        Route("/api/v1/documents/{doc_id:int}", web.api_document),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                     exception_handlers={HTTPException: on_error, TriangulateError: on_error, Exception: on_error})
