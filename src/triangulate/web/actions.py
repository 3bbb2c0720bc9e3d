"""State-changing requests shared by the HTML forms and the JSON API: sign-in and analyst review.

Each action reads its input (form or JSON), checks who asks (401 anonymous, 403 without the
analyst role), checks the CSRF token (403), then calls :mod:`triangulate.review`, whose
stale-version check gives 409.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from triangulate import review
from triangulate.store.db import Store
from triangulate.store.search import refresh_search_index
from triangulate.store.users import authenticate, end_session, sign_in
from triangulate.web import auth
from triangulate.web.queries import ParamError
from triangulate.web.throttle import SignInGuard, keys_for

SIGNIN_DELAY = 0.5


async def read_input(request: Request) -> dict[str, Any]:
    """The request's fields from a JSON object or a form (a repeated field becomes a list). Bodies over the
    limit never get here: ``web.security.BodyLimit`` answers 413 first."""
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        try:
            data = await request.json()
        except ValueError as exc:
            raise ParamError(["request body is not valid JSON"]) from exc
        if not isinstance(data, dict):
            raise ParamError(["request body must be a JSON object"])
        return data
    form = await request.form()
    out: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 or key == "documents" else (values[0] if values else "")
    return out


def csrf_token(request: Request, data: dict[str, Any]) -> str:
    """The token from the header (API clients) or the form field (pages)."""
    return request.headers.get("x-csrf-token") or str(data.get("csrf_token") or "")


def integer(data: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    """An integer input; ParamError (400) when missing or malformed."""
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise ParamError([f"'{name}' is required"])
        return None
    if isinstance(raw, bool):
        raise ParamError([f"'{name}' must be an integer"])
    try:
        return int(str(raw).strip())
    except ValueError as exc:
        raise ParamError([f"'{name}' must be an integer, got {str(raw)[:40]!r}"]) from exc


def integers(data: dict[str, Any], name: str) -> list[int]:
    """A list of integers from a JSON list, repeated form fields or a comma-separated string."""
    raw = data.get(name) or []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    try:
        return [int(str(x).strip()) for x in items if str(x).strip()]
    except ValueError as exc:
        raise ParamError([f"'{name}' must be a list of document ids"]) from exc


Action = Callable[[Store, review.Reviewer, dict[str, Any]], review.ReviewResult]


def merge(incident_id: int) -> Action:
    return lambda store, who, data: review.merge_incidents(
        store,
        incident_id,
        integer(data, "other") or 0,
        version=integer(data, "version"),
        other_version=integer(data, "other_version", required=False),
        who=who,
        reason=str(data.get("reason") or ""),
    )


def split(incident_id: int) -> Action:
    return lambda store, who, data: review.split_incident(
        store,
        incident_id,
        integers(data, "documents"),
        version=integer(data, "version"),
        who=who,
        reason=str(data.get("reason") or ""),
    )


def correct(incident_id: int, field: str | None = None) -> Action:
    return lambda store, who, data: review.correct_field(
        store,
        incident_id,
        field or str(data.get("field") or ""),
        str(data.get("value") or ""),
        version=integer(data, "version"),
        who=who,
        reason=str(data.get("reason") or ""),
    )


def verdict(claim_id: int) -> Action:
    return lambda store, who, data: review.set_claim_verdict(
        store,
        claim_id,
        str(data.get("verdict") or ""),
        version=integer(data, "version"),
        who=who,
        reason=str(data.get("reason") or ""),
    )


def undo(audit_id: int) -> Action:
    return lambda store, who, data: review.undo(
        store, audit_id, version=integer(data, "version"), who=who, reason=str(data.get("reason") or "")
    )


def run_review(store: Store, request: Request, data: dict[str, Any], action: Action) -> review.ReviewResult:
    """Check the reviewer and the token, act, and refresh the search index."""
    ctx = auth.context(store, request)
    user = auth.require_reviewer(ctx)
    auth.check_csrf(ctx, request, csrf_token(request, data))
    result = action(store, review.Reviewer(user.name, user.id), data)
    refresh_search_index(store)
    return result


def run_sign_in(store: Store, request: Request, data: dict[str, Any]) -> auth.Context:
    """Check the sign-in form's token, the password, then rotate the session id."""
    ctx = auth.context(store, request)
    auth.check_csrf(ctx, request, csrf_token(request, data))
    user = authenticate(store, str(data.get("name") or "")[:64], str(data.get("password") or "")[:1024])
    if user is None:
        raise auth.WebError(401, "wrong user name or password", "check both and try again")
    new = sign_in(store, ctx.session.token if ctx.session else "", user)
    return auth.Context(new, ctx.secure, new_session=new)


async def sign_in_slowly(web: Any, request: Request, data: dict[str, Any]) -> auth.Context:
    """Sign in, throttled: a failed attempt answers after a short pause; repeated failures lock the account and
    the address for a while (429); password checks run a few at a time."""
    keys = keys_for(str(data.get("name") or ""), request.client.host if request.client else "")
    guard: SignInGuard = web.signin_guard
    guard.check(keys)
    async with guard.hashing:
        try:
            ctx = await web.call(run_sign_in, request, data)
        except auth.WebError as exc:
            if exc.status == 401:
                guard.failed(keys)
                await asyncio.sleep(SIGNIN_DELAY)
            raise
    guard.succeeded(keys[0])
    return ctx


def run_sign_out(store: Store, request: Request, data: dict[str, Any]) -> auth.Context:
    """End the session (CSRF-checked, so no one can sign a user out from another site)."""
    ctx = auth.context(store, request)
    auth.check_csrf(ctx, request, csrf_token(request, data))
    end_session(store, ctx.session.token if ctx.session else "")
    return auth.Context(None, ctx.secure, clear_cookie=True)
