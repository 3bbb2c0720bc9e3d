"""Who is asking: the session cookie, sign-in rules, and CSRF checks on every state change.

* Session cookies are HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS (the
  request scheme, or ``X-Forwarded-Proto: https`` from a proxy listed in ``trusted_proxies``; forwarded
  headers from anyone else are ignored).
* Sessions exist only for signed-in users, created at sign-in with a fresh id (no session fixation). An
  anonymous visitor writes nothing: the sign-in form's CSRF token lives in a ``triangulate_csrf`` cookie
  (HttpOnly, SameSite=Strict) and must come back with the form (double submit).
* Every POST/DELETE checks the synchronizer token: the session's for a signed-in user, the cookie's before
  sign-in; sent as the ``csrf_token`` form field or the ``X-CSRF-Token`` header. A cross-site ``Origin`` is
  refused as well.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from triangulate.errors import TriangulateError
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.store.users import Session, User, get_session

COOKIE = "triangulate_session"
CSRF_COOKIE = "triangulate_csrf"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class WebError(TriangulateError):
    """An HTTP error with its status (401, 403, 404, 405, ...)."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.status = status


@dataclass(slots=True)
class Context:
    """The session of one request and the cookie changes its response must carry."""

    session: Session | None
    secure: bool
    new_session: Session | None = None
    clear_cookie: bool = False
    anon_csrf: str = ""  # before sign-in: the token of the triangulate_csrf cookie
    new_csrf: bool = False  # the response sets that cookie

    @property
    def user(self) -> User | None:
        return self.session.user if self.session else None

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else self.anon_csrf

    @property
    def can_review(self) -> bool:
        return bool(self.user and self.user.can_review)


def forwarded(request: Request, name: str) -> str:
    """A proxy's ``X-Forwarded-*`` header, believed only from a client address in ``trusted_proxies``."""
    web = getattr(request.app.state, "web", None)
    trusted = {a.strip() for a in (web.settings.trusted_proxies if web else "").split(",") if a.strip()}
    if not request.client or request.client.host not in trusted:
        return ""
    return request.headers.get(f"x-forwarded-{name}", "").split(",")[0].strip()


def is_secure(request: Request) -> bool:
    """Whether the client reached us over HTTPS (directly or through a trusted proxy that says so)."""
    return request.url.scheme == "https" or forwarded(request, "proto").lower() == "https"


def context(store: Store, request: Request, *, need_session: bool = False) -> Context:
    """Resolve the session cookie; with ``need_session`` an anonymous visitor gets a CSRF token (a cookie, no row)."""
    token = request.cookies.get(COOKIE, "")
    session = get_session(store, token) if token else None
    ctx = Context(session, is_secure(request), clear_cookie=bool(token and session is None))
    if session is None:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        ctx.anon_csrf = cookie if _TOKEN.fullmatch(cookie) else ""
        if need_session and not ctx.anon_csrf:
            ctx.anon_csrf, ctx.new_csrf = secrets.token_urlsafe(32), True
    return ctx


def require_read(ctx: Context, settings: Settings) -> None:
    """Anonymous reading is allowed unless ``require_signin_to_read`` is set."""
    if settings.require_signin_to_read and ctx.user is None:
        raise WebError(401, "sign in to read this database", "this server sets require_signin_to_read")


def require_reviewer(ctx: Context) -> User:
    """401 for anonymous users, 403 for accounts without the analyst role."""
    if ctx.user is None:
        raise WebError(401, "sign in to review incidents", "sign in with an analyst account at /signin")
    if not ctx.user.can_review:
        raise WebError(
            403,
            f"user {ctx.user.name} may not review incidents (role {ctx.user.role})",
            "ask an admin for the analyst role",
        )
    return ctx.user


def check_csrf(ctx: Context, request: Request, token: str) -> None:
    """403 unless the request carries this session's CSRF token and no foreign Origin."""
    origin = request.headers.get("origin")
    hosts = {request.headers.get("host", ""), forwarded(request, "host")} - {""}
    if origin and (origin == "null" or urlsplit(origin).netloc not in hosts):
        raise WebError(403, "cross-site request refused", "submit the form from this site")
    expected = ctx.session.csrf if ctx.session else ctx.anon_csrf
    if not expected or not token or not hmac.compare_digest(str(token), expected):
        raise WebError(403, "CSRF token missing or invalid", "reload the page and try again")


def apply_cookie(response: Response, ctx: Context | None) -> Response:
    """Set or clear the session cookie on a response as the context says."""
    if ctx is None:
        return response
    if ctx.new_session is not None:
        expires = datetime.fromisoformat(ctx.new_session.expires_at)
        max_age = max(60, int((expires - datetime.now(UTC)).total_seconds()))
        response.set_cookie(
            COOKIE,
            ctx.new_session.token,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=ctx.secure,
        )
    elif ctx.clear_cookie:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=ctx.secure)
    if ctx.new_csrf:
        response.set_cookie(
            CSRF_COOKIE,
            ctx.anon_csrf,
            max_age=86_400,
            path="/",
            httponly=True,
            samesite="strict",
            secure=ctx.secure,
        )
    return response
