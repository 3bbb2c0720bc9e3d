"""Find date expressions in a report and resolve them against the report's own publication date.

Public API (re-exported here; the modules behind it are internal):

- :class:`Anchor`, :func:`parse_anchor`: the report's date, built from the documents table.
- :func:`find_times`: every date expression in a text, with character spans and resolved values.
- :func:`resolve_expression`: one expression given alone (used to score gold spans).
- :class:`TimeMention`: a span of text with its :class:`~triangulate.records.TimeValue`.
"""

from __future__ import annotations

from triangulate.extract.times.anchor import Anchor, parse_anchor
from triangulate.extract.times.finder import TimeMention, find_times, resolve_expression

__all__ = ["Anchor", "TimeMention", "find_times", "parse_anchor", "resolve_expression"]
