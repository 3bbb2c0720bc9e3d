"""Security headers on every response, and the one JSON error shape."""

from __future__ import annotations

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders(BaseHTTPMiddleware):
    """Strict CSP (no inline script or style), no sniffing, no framing, no referrer leaks."""

    async def dispatch(self, request: Request, call_next) -> Response:  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


def error_response(status: int, message: str, errors: list[str] | None = None) -> JSONResponse:
    """``{"ok": false, "error", "errors", "status"}``, the only error body the API sends."""
    return JSONResponse({"ok": False, "error": message, "errors": errors or [message], "status": status}, status_code=status)
