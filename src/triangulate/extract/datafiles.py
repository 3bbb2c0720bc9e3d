"""Shipped data files (actors, reference events) that users extend with a file of their own."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from triangulate.errors import ConfigError


def data_texts(name: str, extra: str | Path | None, setting: str, what: str) -> list[tuple[str, str]]:
    """(text, origin) of the shipped ``triangulate/data/NAME``, then of the user's file, if given.

    Args:
        name: the shipped file's name, also the origin its errors name.
        extra: the user's file (the value of ``setting``), or None.
        setting: the setting naming the user's file, for the hint when it cannot be read.
        what: what the file holds, for the message ("actor file").
    """
    out = [(resources.files("triangulate.data").joinpath(name).read_text(encoding="utf-8"), name)]
    if extra:
        path = Path(extra)
        try:
            out.append((path.read_text(encoding="utf-8"), str(path)))
        except OSError as exc:
            raise ConfigError(
                f"cannot read {what} {path}: {exc.strerror}", f"check the {setting} setting"
            ) from exc
    return out
