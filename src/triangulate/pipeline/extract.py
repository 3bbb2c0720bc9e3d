"""``triangulate extract``: the extraction stage over pending documents, on the engine the settings name."""

from __future__ import annotations

from collections.abc import Callable

from triangulate.engines import open_engine
from triangulate.extract.pipeline import ExtractReport
from triangulate.settings import Settings
from triangulate.store.db import Store


def extract(
    store: Store,
    settings: Settings | None = None,
    doc_ids: list[int] | None = None,
    redo: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ExtractReport:
    """Extract mentions, events and claims for pending documents with the engine the settings name.

    One failing document is recorded and skipped.
    """
    with open_engine(settings or Settings()) as engine:
        return engine.extract(store, doc_ids=doc_ids, redo=redo, progress=progress)
