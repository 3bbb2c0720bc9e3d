"""triangulate: turn news reports into a trustworthy incident database.

The public surface is small: open a :class:`Store`, :func:`run` the chain on news reports, and read
records back. Heavy optional engines (Ray) are imported lazily. (The stages are the subpackages ``ingest``,
``extract``, ``link`` and ``reconcile``; docs/architecture.md shows how they fit.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Document",
    "RayEngine",
    "Rejection",
    "Settings",
    "Store",
    "TriangulateError",
    "run",
]

if TYPE_CHECKING:  # pragma: no cover
    from triangulate.engines.ray_engine import RayEngine
    from triangulate.errors import TriangulateError
    from triangulate.pipeline.run import run
    from triangulate.records import Document, Rejection
    from triangulate.settings import Settings
    from triangulate.store.db import Store

_LAZY = {
    "Document": "triangulate.records",
    "Rejection": "triangulate.records",
    "Settings": "triangulate.settings",
    "Store": "triangulate.store.db",
    "TriangulateError": "triangulate.errors",
    "run": "triangulate.pipeline.run",
    "RayEngine": "triangulate.engines.ray_engine",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'triangulate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
