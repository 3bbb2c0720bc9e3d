"""Local accounts and sign-in sessions for the web application.

Passwords are stored as argon2id hashes (argon2-cffi). Session tokens are random and only their
SHA-256 digest is stored, so a copy of the database cannot be used to take over a live session.
Each session carries its own CSRF token (synchronizer token pattern).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from triangulate.errors import ConfigError, NotFoundError
from triangulate.store.db import Store, utcnow

ROLES = ("reader", "analyst", "admin")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 8
SIGNED_IN_TTL = timedelta(hours=12)
ANONYMOUS_TTL = timedelta(hours=2)

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True, slots=True)
class User:
    """An account (never carries the password hash)."""

    id: int
    name: str
    role: str
    disabled: bool
    created_at: str

    @property
    def can_review(self) -> bool:
        """Analysts and admins may change incidents; readers may only read."""
        return self.role in ("analyst", "admin") and not self.disabled


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session: anonymous (user None) or signed in."""

    token: str
    csrf: str
    user: User | None
    expires_at: str


def _user(row) -> User:  # type: ignore[no-untyped-def]
    return User(row["id"], row["name"], row["role"], bool(row["disabled"]), row["created_at"])


def check_name(name: str) -> str:
    """Validate a user name; raises ConfigError with the allowed pattern."""
    if not NAME_RE.match(name or ""):
        raise ConfigError(
            f"invalid user name {name!r}",
            "use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
        )
    return name


def check_password(password: str) -> str:
    """Refuse passwords that are too short."""
    if len(password or "") < MIN_PASSWORD:
        raise ConfigError(
            f"password too short ({len(password or '')} characters)",
            f"use at least {MIN_PASSWORD} characters",
        )
    return password


def add_user(store: Store, name: str, password: str, role: str = "analyst") -> User:
    """Create an account. Raises ConfigError for a bad name, password or role, or a taken name."""
    check_name(name)
    check_password(password)
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}", f"use one of {', '.join(ROLES)}")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise ConfigError(
                f"user {name!r} already exists", "choose another name or use `triangulate user passwd`"
            )
        user_id = conn.execute(
            "INSERT INTO users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
            (name, _hasher.hash(password), role, utcnow()),
        ).lastrowid
    return get_user(store, int(user_id or 0))


def set_password(store: Store, name: str, password: str) -> None:
    """Change a password and end that user's sessions."""
    check_password(password)
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no user {name!r}", "list users with `triangulate user list`")
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"]))
        conn.execute("DELETE FROM sessions WHERE user_id = ?", (row["id"],))


def get_user(store: Store, user_id: int) -> User:
    """One account by id."""
    row = store.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no user {user_id}", "list users with `triangulate user list`")
    return _user(row)


def list_users(store: Store) -> list[User]:
    """Every account, by name."""
    return [_user(r) for r in store.query("SELECT * FROM users ORDER BY name COLLATE NOCASE")]


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user if name and password match an enabled account, else None (in about constant time)."""
    row = store.conn.execute("SELECT * FROM users WHERE name = ?", (name or "",)).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        with store.transaction() as conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"])
            )
    return _user(row)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry(ttl: timedelta) -> str:
    return (datetime.now(UTC) + ttl).replace(microsecond=0).isoformat()


def create_session(store: Store, user: User | None) -> Session:
    """A new session with a fresh token and CSRF token; expired sessions are swept at the same time."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = _expiry(SIGNED_IN_TTL if user else ANONYMOUS_TTL)
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE expires_at < ?", (utcnow(),))
        conn.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (_digest(token), user.id if user else None, csrf, utcnow(), expires),
        )
    return Session(token, csrf, user, expires)


def get_session(store: Store, token: str) -> Session | None:
    """The live session for a cookie value, or None when unknown or expired."""
    if not token or len(token) > 200:
        return None
    row = store.conn.execute(
        "SELECT s.csrf, s.expires_at, u.id, u.name, u.role, u.disabled, u.created_at FROM sessions s "
        "LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at >= ?",
        (_digest(token), utcnow()),
    ).fetchone()
    if row is None:
        return None
    user = _user(row) if row["id"] is not None else None
    if user is not None and user.disabled:
        return None
    return Session(token, row["csrf"], user, row["expires_at"])


def end_session(store: Store, token: str) -> None:
    """Forget a session (sign-out, or the old id at sign-in)."""
    if token:
        with store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))


def sign_in(store: Store, old_token: str, user: User) -> Session:
    """Rotate the session id at sign-in: the old (anonymous) session ends and a new one starts."""
    end_session(store, old_token)
    return create_session(store, user)
