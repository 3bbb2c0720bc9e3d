"""The web application: explore page (filters, map, timeline, list), incident and document pages,
analyst review, and the JSON API under /api/v1.

Build it with :func:`create_app`; nothing touches the database until the first request. Each
request borrows a connection from a small pool (SQLite in WAL mode, one connection per thread at a
time) and runs its database work in Starlette's thread pool.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from triangulate import __version__
from triangulate.errors import TriangulateError
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.store.search import refresh_search_index
from triangulate.web.auth import Context, WebError, apply_cookie
from triangulate.web.queries import ParamError
from triangulate.web.security import BodyLimit, SecurityHeaders, error_response, security_headers
from triangulate.web.throttle import SignInGuard

HERE = Path(__file__).parent
POOL_SIZE = 8
log = logging.getLogger(__name__)
T = TypeVar("T")


class Web:
    """Shared state of one app: settings, templates and a pool of store connections."""

    def __init__(self, db_path: str, settings: Settings) -> None:
        self.db_path = str(db_path)
        self.settings = settings
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals.update(
            version=__version__,
            static=lambda path: f"/static/{path}?v={__version__}",
            require_signin_to_read=settings.require_signin_to_read,
        )
        self._pool: queue.LifoQueue[Store] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._ready = False
        self.signin_guard = SignInGuard()

    def _open(self) -> Store:
        with self._lock:
            store = Store.open(self.db_path)  # migrates on first open, under the lock
            if not self._ready:
                refresh_search_index(store)
                self._ready = True
        return store

    @contextmanager
    def store(self) -> Iterator[Store]:
        """Borrow a connection for one unit of work."""
        try:
            store = self._pool.get_nowait()
        except queue.Empty:
            store = self._open()
        try:
            yield store
        finally:
            if store.conn.in_transaction:
                store.conn.execute("ROLLBACK")
            if self._pool.qsize() < POOL_SIZE:
                self._pool.put(store)
            else:
                store.close()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(store, *args)`` in the thread pool with a borrowed connection."""

        def work() -> T:
            with self.store() as store:
                return fn(store, *args)

        return await run_in_threadpool(work)

    def close(self) -> None:
        """Close every pooled connection."""
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return

    def render(
        self, request: Request, name: str, ctx: Context | None, status: int = 200, **values: Any
    ) -> HTMLResponse:
        """Render a template (autoescaped) with the user and CSRF token, and carry cookie changes."""
        html = self.templates.get_template(name).render(
            request=request,
            user=ctx.user if ctx else None,
            csrf=ctx.csrf if ctx else "",
            can_review=bool(ctx and ctx.can_review),
            path=request.url.path,
            **values,
        )
        return apply_cookie(HTMLResponse(html, status_code=status), ctx)  # type: ignore[return-value]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/v1") or request.url.path == "/api/v1"


def _status_and_errors(exc: Exception) -> tuple[int, str, list[str]]:
    if isinstance(exc, ParamError):
        return 400, exc.message, exc.errors
    if isinstance(exc, HTTPException):
        messages = {404: "not found", 405: "method not allowed"}
        detail = (
            str(exc.detail) if exc.detail and exc.detail not in ("Not Found", "Method Not Allowed") else ""
        )
        message = detail or messages.get(exc.status_code, "request failed")
        return exc.status_code, message, [message]
    if isinstance(exc, TriangulateError) and exc.status < 500:
        return exc.status, str(exc), [str(exc)]
    if isinstance(exc, OverflowError):  # an id or number beyond SQLite's 64-bit integers
        message = "a number in the request is out of range (at most 9223372036854775807)"
        return 400, message, [message]
    if isinstance(exc, RecursionError):
        return 400, "the request body is nested too deeply", ["the request body is nested too deeply"]
    return (
        500,
        "internal error (the server log has the details)",
        ["internal error (the server log has the details)"],
    )


def create_app(db_path: str, settings: Settings | None = None) -> Starlette:
    """The ASGI application serving one store.

    Args:
        db_path: the SQLite store (created and migrated on the first request if needed).
        settings: runtime settings (``require_signin_to_read``, ``tiles_url``); defaults otherwise.
    """
    from triangulate.web import api, pages

    settings = settings or Settings()
    web = Web(db_path, settings)

    async def on_error(request: Request, exc: Exception) -> Response:
        status, message, errors = _status_and_errors(exc)
        if status >= 500:
            log.error("error serving %s %s", request.method, request.url.path, exc_info=exc)
        headers = dict((k.decode(), v.decode()) for k, v in security_headers(settings.tiles_url))
        if isinstance(exc, HTTPException) and exc.headers:
            headers.update(exc.headers)
        if _is_api(request):
            return error_response(status, message, errors, headers=headers)
        if status == 401 and request.method == "GET":
            from urllib.parse import quote

            return RedirectResponse(
                f"/signin?next={quote(request.url.path)}", status_code=303, headers=headers
            )
        html = web.templates.get_template("error.html").render(
            status=status, message=message, errors=errors, user=None, csrf="", path=request.url.path
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        # Under a real server: open the pool and bring the search index up to date before the first request.
        await web.call(lambda store: None)
        yield
        web.close()

    routes = [
        *pages.routes(web),
        *api.routes(web),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(SecurityHeaders, tiles_url=settings.tiles_url),
            Middleware(BodyLimit),
            Middleware(GZipMiddleware, minimum_size=2048),
        ],
        exception_handlers={
            HTTPException: on_error,
            TriangulateError: on_error,
            WebError: on_error,
            OverflowError: on_error,
            RecursionError: on_error,
            Exception: on_error,
        },
    )
    app.state.web = web
    return app
