"""Execution engines: where extraction runs. ``local`` (this machine) is the default; ``ray`` is optional."""

from __future__ import annotations

from triangulate.engines.base import Engine
from triangulate.engines.local import LocalEngine
from triangulate.errors import ConfigError
from triangulate.settings import Settings

ENGINES: tuple[str, ...] = ("local", "ray")


def open_engine(settings: Settings) -> Engine:
    """The engine named by ``settings.engine``; use it as a context manager so its workers are released."""
    if settings.engine == "local":
        return LocalEngine(settings)
    if settings.engine == "ray":
        from triangulate.engines.ray_engine import (
            RayEngine,  # Ray stays optional: imported only when asked for
        )

        return RayEngine(settings)
    raise ConfigError(f"unknown engine {settings.engine!r}", f"use one of: {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "LocalEngine", "open_engine"]
