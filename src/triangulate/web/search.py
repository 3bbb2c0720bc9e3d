"""Free-text search over incidents: the safe query builder for the FTS5 index ``incident_search``
(kept by :mod:`triangulate.store.search`)."""

from __future__ import annotations

import re

MAX_TOKENS = 16
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_expression(text: str, column: str | None = None) -> str | None:
    """An FTS5 MATCH expression for user text: every word must occur (as a prefix).

    Each word is quoted, so FTS operators and punctuation in the input are plain words; None when the
    text holds no word at all.

    Examples:
        >>> fts_expression('kill* "OR" 1=1')
        '"kill"* AND "OR"* AND "1"* AND "1"*'
        >>> fts_expression("Peshawar", "places")
        'places : ("Peshawar"*)'
    """
    tokens = _TOKEN.findall(text or "")[:MAX_TOKENS]
    if not tokens:
        return None
    expr = " AND ".join('"' + t.replace('"', '""') + '"*' for t in tokens)
    return f"{column} : ({expr})" if column else expr
