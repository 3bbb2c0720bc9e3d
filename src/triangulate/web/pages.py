"""HTML pages: explore (filters, map, timeline, list), incident, document, documents, sign-in,
API docs, and the review forms (which redirect back to the incident page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from triangulate.store.db import Store
from triangulate.web import actions, auth
from triangulate.web.queries import (
    SORTS,
    STATUSES,
    IncidentFilter,
    count_incidents,
    countries,
    enrich,
    event_types,
    find_documents,
    find_incidents,
)
from triangulate.web.security import safe_next
from triangulate.web.views import FIELD_LABELS, document_view, incident_view

DONE = {
    "merge": "The incidents were merged.",
    "split": "The chosen reports now form a new incident.",
    "correct": "The field was corrected.",
    "verdict": "The claim was reviewed.",
    "undo": "The change was undone.",
    "signin": "You are signed in.",
    "signout": "You are signed out.",
}
TYPE_CLASSES = (
    "ASSAULT",
    "FIGHT",
    "PROTEST",
    "ARREST",
    "CAPTURE",
    "RELEASE",
    "PROPAGANDA",
    "THREATEN",
    "ACCUSE",
    "OTHER",
)


def _done(request: Request) -> str:
    return DONE.get(request.query_params.get("done", ""), "")


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


def routes(web: Any) -> list[Route]:
    """The page routes bound to one app."""

    def reading(
        fn: Callable[[Store, Request, auth.Context], tuple[str, dict[str, Any]] | Response],
        need_session: bool = False,
    ) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            def work(store: Store) -> tuple[auth.Context, Any]:
                ctx = auth.context(store, request, need_session=need_session)
                auth.require_read(ctx, web.settings)
                return ctx, fn(store, request, ctx)

            ctx, result = await web.call(work)
            if isinstance(result, Response):
                return auth.apply_cookie(result, ctx)
            template, values = result
            return web.render(request, template, ctx, **values)

        return endpoint

    def list_values(store: Store, request: Request) -> dict[str, Any]:
        f = IncidentFilter.parse(dict(request.query_params))
        rows, cursor = find_incidents(store, f)
        return {
            "f": f,
            "rows": enrich(store, rows),
            "next": cursor,
            "total": count_incidents(store, f),
            "first_page": f.after is None,
            "type_classes": TYPE_CLASSES,
        }

    def explore(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]]:
        values = list_values(store, request)
        f = values["f"]
        overview_query = f.to_query(sort="date", limit=50, date_from="", date_to="")
        return "explore.html", {
            **values,
            "statuses": STATUSES,
            "sorts": {k: v[0] for k, v in SORTS.items()},
            "types": event_types(store),
            "countries": countries(store),
            "done": _done(request),
            "overview_url": "/api/v1/overview" + (f"?{overview_query}" if overview_query else ""),
            "tiles_url": web.settings.tiles_url,
        }

    def fragment(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]]:
        return "_incident_list.html", list_values(store, request)

    def incident(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]] | Response:
        incident_id = request.path_params["incident_id"]
        row = store.conn.execute("SELECT merged_into FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is not None and row["merged_into"] is not None:
            return RedirectResponse(
                f"/incidents/{row['merged_into']}?merged_from={incident_id}", status_code=303
            )
        view = incident_view(store, incident_id)
        return "incident.html", {
            "v": view,
            "done": _done(request),
            "new_incident": _int_param(request, "new"),
            "merged_from": _int_param(request, "merged_from"),
            "field_labels": FIELD_LABELS,
        }

    def document(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]]:
        return "document.html", {"v": document_view(store, request.path_params["doc_id"])}

    def documents(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]]:
        params = dict(request.query_params)
        rows, cursor = find_documents(store, params)
        return "documents.html", {
            "rows": rows,
            "next": cursor,
            "q": params.get("q", "")[:200],
            "first_page": not params.get("cursor"),
        }

    def signin_page(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]]:
        return "signin.html", {"next": safe_next(request.query_params.get("next", "/")), "error": ""}

    def api_docs(store: Store, request: Request, ctx: auth.Context) -> tuple[str, dict[str, Any]]:
        from triangulate.web.openapi import spec

        return "api_docs.html", {"spec": spec()}

    async def signin_post(request: Request) -> Response:
        data = await actions.read_input(request)
        target = safe_next(str(data.get("next") or "/"))
        try:
            ctx = await actions.sign_in_slowly(web, request, data)
        except auth.WebError as exc:
            if exc.status != 401:
                raise
            ctx = await web.call(lambda store: auth.context(store, request, need_session=True))
            return web.render(request, "signin.html", ctx, status=401, next=target, error=str(exc))
        sep = "&" if "?" in target else "?"
        return auth.apply_cookie(RedirectResponse(f"{target}{sep}done=signin", status_code=303), ctx)

    async def signout_post(request: Request) -> Response:
        data = await actions.read_input(request)
        ctx = await web.call(actions.run_sign_out, request, data)
        return auth.apply_cookie(RedirectResponse("/?done=signout", status_code=303), ctx)

    def form(make: Callable[..., actions.Action], done: str, *names: str) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            data = await actions.read_input(request)
            action = make(*(request.path_params[n] for n in names))
            result = await web.call(actions.run_review, request, data, action)
            extra = f"&new={result.other_incident}" if done == "split" and result.other_incident else ""
            return RedirectResponse(
                f"/incidents/{result.incident_id}?done={done}{extra}#review", status_code=303
            )

        return endpoint

    return [
        Route("/", reading(explore)),
        Route("/fragments/incidents", reading(fragment)),
        Route("/incidents/{incident_id:int}", reading(incident)),
        Route("/documents", reading(documents)),
        Route("/documents/{doc_id:int}", reading(document)),
        Route("/signin", reading_signin(web, signin_page), methods=["GET"]),
        Route("/signin", signin_post, methods=["POST"]),
        Route("/signout", signout_post, methods=["POST"]),
        Route("/api/docs", reading(api_docs)),
        Route(
            "/incidents/{incident_id:int}/merge",
            form(actions.merge, "merge", "incident_id"),
            methods=["POST"],
        ),
        Route(
            "/incidents/{incident_id:int}/split",
            form(actions.split, "split", "incident_id"),
            methods=["POST"],
        ),
        Route(
            "/incidents/{incident_id:int}/correct",
            form(actions.correct, "correct", "incident_id"),
            methods=["POST"],
        ),
        Route(
            "/claims/{claim_id:int}/verdict", form(actions.verdict, "verdict", "claim_id"), methods=["POST"]
        ),
        Route("/audit/{audit_id:int}/undo", form(actions.undo, "undo", "audit_id"), methods=["POST"]),
    ]


def reading_signin(web: Any, fn: Callable[..., tuple[str, dict[str, Any]]]) -> Callable[[Request], Any]:
    """The sign-in page is readable by everyone (even with require_signin_to_read) and starts a session."""

    async def endpoint(request: Request) -> Response:
        def work(store: Store) -> tuple[auth.Context, tuple[str, dict[str, Any]]]:
            ctx = auth.context(store, request, need_session=True)
            return ctx, fn(store, request, ctx)

        ctx, (template, values) = await web.call(work)
        return web.render(request, template, ctx, **values)

    return endpoint
