"""Run the web application under uvicorn (``triangulate serve``)."""

from __future__ import annotations

import logging
from pathlib import Path

from triangulate.errors import StoreError
from triangulate.settings import Settings
from triangulate.store.db import Store

log = logging.getLogger(__name__)


def serve(
    db_path: str, *, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None
) -> None:
    """Open (and migrate) the store once, then serve it until interrupted."""
    import uvicorn

    from triangulate.web.app import create_app

    if not Path(db_path).is_file():
        raise StoreError(
            f"no database at {db_path}", "build one with `triangulate run PATHS --db FILE`, or pass --db"
        )
    Store.open(db_path).close()  # migrate once, and fail early with the store's own message
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning(
            "serving on %s: put TLS in front, and name its address in --setting trusted_proxies "
            "(cookies are marked Secure when a trusted proxy sends X-Forwarded-Proto: https)",
            host,
        )
    uvicorn.run(
        create_app(db_path, settings or Settings()),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,  # forwarded headers are read by the app, from trusted_proxies only (web/auth.py)
        server_header=False,
    )
