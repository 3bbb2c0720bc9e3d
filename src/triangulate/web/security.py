"""Security headers on every response, the one JSON error shape, and small input guards.

The Content-Security-Policy allows scripts, styles and connections from the app itself only (no
inline script or style anywhere), images from the app, ``data:`` URIs and, when ``tiles_url`` is
set, the tile server's origin.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import JSONResponse

from triangulate.errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def tiles_origin(tiles_url: str) -> str:
    """The scheme://host[:port] of a tile URL template, or '' when it is not an http(s) URL."""
    if not tiles_url:
        return ""
    parts = urlsplit(
        tiles_url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0")
    )
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or not re.fullmatch(r"[A-Za-z0-9.:\-\[\]]+", parts.netloc)
    ):
        return ""
    host = parts.netloc
    if "{s}" in tiles_url:  # subdomain placeholders: allow the sibling hosts a, b, c
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


def content_security_policy(tiles_url: str = "") -> str:
    """The strict CSP of every response."""
    img = " ".join(x for x in ("'self'", "data:", tiles_origin(tiles_url)) if x)
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def security_headers(tiles_url: str = "") -> list[tuple[bytes, bytes]]:
    """Header pairs added to every response."""
    return [
        (b"content-security-policy", content_security_policy(tiles_url).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]


class SecurityHeaders:
    """Pure ASGI middleware (no buffering) that adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, tiles_url: str = "") -> None:
        self.app = app
        self.headers = security_headers(tiles_url)

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


MAX_BODY = 64 * 1024


class BodyLimit:
    """Pure ASGI middleware: a request body over ``limit`` bytes gets 413 before any handler reads it, whether
    its length is declared or it arrives chunked (multipart included). Bodies under the limit are passed on."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Callable[[Message], Awaitable[None]]) -> None:
        message = f"request body too large (over {self.limit} bytes)"
        response = error_response(413, message, [message], headers={"connection": "close"})
        await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


def error_response(
    status: int, message: str, errors: list[str] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The error body as a JSON response."""
    return JSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, extension: str, default: str) -> str:
    """A download name without folders, traversal or odd characters, ending in ``.extension``.

    Examples:
        >>> safe_filename("../../etc/passwd", "csv", "x")
        'passwd.csv'
        >>> safe_filename("..%2f..%2fetc%2fpasswd", "csv", "x")
        '2f._2fetc_2fpasswd.csv'
        >>> safe_filename("", "jsonl", "triangulate-incidents")
        'triangulate-incidents.jsonl'
    """
    base = re.split(r"[\\/]", name or "")[-1]
    # Runs of dots collapse too, so no '..' survives (e.g. from '..%2f..%2fetc' once '%' is replaced).
    base = re.sub(r"\.{2,}", ".", SAFE_NAME.sub("_", base)).strip("._-")[:80].rstrip("._-")
    if base.lower().endswith("." + extension):
        base = base[: -len(extension) - 1].rstrip("._-")
    return f"{base or default}.{extension}"


def safe_next(target: str) -> str:
    """A local path to return to after sign-in ('/' for anything that could leave the site)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


def safe_url(url: str) -> str:
    """The URL if it is http(s), else '' (never a javascript: or data: link)."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""
