"""Sign-in throttling: per account and per client address, failures lock further attempts for a while, and
password hashing (argon2, deliberately slow) runs at most a few at a time."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque

from triangulate.web.auth import WebError

MAX_FAILURES = 5  # failed sign-ins per account, or per address, before a lockout
WINDOW_SECONDS = 900.0  # ... counted over this window, which is also how long the lockout lasts
CONCURRENT_HASHES = 2  # password checks running at once; others wait their turn


class SignInGuard:
    """Counts failed sign-ins per key (``user:NAME``, ``addr:HOST``) in a sliding window."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        concurrent: int = CONCURRENT_HASHES,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.concurrent = concurrent
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._hashing: asyncio.Semaphore | None = None

    @property
    def hashing(self) -> asyncio.Semaphore:
        """The semaphore that caps concurrent password checks (made in the serving event loop)."""
        if self._hashing is None:
            self._hashing = asyncio.Semaphore(self.concurrent)
        return self._hashing

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def check(self, keys: list[str]) -> None:
        """429 while any key has reached the failure limit within the window."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = int(self.window - (now - times[0])) + 1
                    what = "this account" if key.startswith("user:") else "this address"
                    raise WebError(
                        429,
                        f"too many failed sign-ins for {what}",
                        f"wait {max(1, wait // 60)} minute(s) and try again, or ask an admin to reset the password",
                    )

    def failed(self, keys: list[str]) -> None:
        """Record one failed attempt for each key."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, account_key: str) -> None:
        """A successful sign-in clears the account's failures (the address keeps its count)."""
        with self._lock:
            self._failures.pop(account_key, None)


def keys_for(name: str, client_host: str) -> list[str]:
    """The throttling keys of one attempt."""
    return [f"user:{name.strip().casefold()[:64]}", f"addr:{client_host}"]
