"""One exception hierarchy. Every error carries a message and a hint saying how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def error_body(status: int, message: str, errors: list[str] | None = None) -> dict[str, Any]:
    """``{"ok": false, "error", "errors", "status"}``: the one JSON error shape of the HTTP API."""
    return {"ok": False, "error": message, "errors": errors or [message], "status": status}


class TriangulateError(Exception):
    """Root of every error triangulate raises on purpose.

    ``str(err)`` is a single line: what went wrong, then what to do about it.
    """

    status = 500

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def as_json(self) -> dict[str, Any]:
        """The one wire shape used by the HTTP API."""
        return error_body(self.status, str(self))


class InputError(TriangulateError):
    """An input file or record cannot be read. Recorded per record; the batch goes on."""

    status = 400


class ConfigError(TriangulateError):
    """A setting, option or mapping is invalid."""

    status = 400


class StoreError(TriangulateError):
    """The SQLite store cannot be opened or written."""


class ModelMissingError(TriangulateError):
    """A required model or optional extra is not installed."""


class FetchError(InputError):
    """A URL could not be fetched safely."""


class NotFoundError(TriangulateError):
    """A record asked for by id does not exist."""

    status = 404


class ConflictError(TriangulateError):
    """An edit was based on an outdated version of a record."""

    status = 409


class StageError(TriangulateError):
    """A pipeline stage failed on one document; recorded, and the batch goes on."""


class EngineError(TriangulateError):
    """An execution engine (its worker processes or its cluster) failed; stored work is kept."""


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """A recorded failure: which record, which stage, why, and what to do."""

    source: str
    stage: str
    reason: str
    hint: str = ""

    def line(self) -> str:
        """One line for terminals and logs."""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{self.source}: {self.reason}{tail}"


def yaml_problem(exc: Exception) -> str:
    """A PyYAML error in one line ("line 2: expected ',' or ']'"); its own text spans several."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)
