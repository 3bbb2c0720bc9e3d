"""Who is asking: the session cookie, sign-in rules, and CSRF checks on every state change.

* Session cookies are HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS (the
  request scheme, or ``X-Forwarded-Proto: https`` from a proxy in front).
* The session id changes at sign-in (the anonymous session that carried the sign-in form's CSRF
  token ends), so a planted id is worthless (no session fixation).
* Every POST/DELETE checks the synchronizer token kept in the session: the ``csrf_token`` form
  field or the ``X-CSRF-Token`` header. A cross-site ``Origin`` is refused as well.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from triangulate.errors import TriangulateError
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.store.users import Session, User, create_session, get_session

COOKIE = "triangulate_session"


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

    @property
    def user(self) -> User | None:
        return self.session.user if self.session else None

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""

    @property
    def can_review(self) -> bool:
        return bool(self.user and self.user.can_review)


def is_secure(request: Request) -> bool:
    """Whether the client reached us over HTTPS (directly or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def context(store: Store, request: Request, *, need_session: bool = False) -> Context:
    """Resolve the session cookie; with ``need_session`` start an anonymous session (for a form's CSRF token)."""
    token = request.cookies.get(COOKIE, "")
    session = get_session(store, token) if token else None
    ctx = Context(session, is_secure(request), clear_cookie=bool(token and session is None))
    if need_session and session is None:
        ctx.session = ctx.new_session = create_session(store, None)
        ctx.clear_cookie = False
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
    hosts = {
        request.headers.get("host", ""),
        request.headers.get("x-forwarded-host", "").split(",")[0].strip(),
    } - {""}
    if origin and (origin == "null" or urlsplit(origin).netloc not in hosts):
        raise WebError(403, "cross-site request refused", "submit the form from this site")
    if ctx.session is None or not token or not hmac.compare_digest(str(token), ctx.session.csrf):
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
    return response
