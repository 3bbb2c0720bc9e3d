"""``triangulate run``: the whole chain on new input, incrementally on an existing store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.engines import Engine, open_engine
from triangulate.extract import EXTRACTOR_VERSION
from triangulate.extract.pipeline import ExtractReport
from triangulate.ingest.pipeline import IngestReport, ingest
from triangulate.ingest.readers.base import FieldMap
from triangulate.link.cluster import LinkReport, forget_links, pending_events
from triangulate.link.consolidate import consolidate
from triangulate.link.dates import propagate_dates, unlink_documents
from triangulate.link.incremental import link_background
from triangulate.reconcile.record import reconcile, stale_incidents
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.store.extraction import clear_extraction, outdated_extractions
from triangulate.store.search import refresh_search_index


@dataclass(slots=True)
class RunReport:
    """Reports of each stage of one run."""

    ingest: IngestReport | None = None
    extract: ExtractReport = field(default_factory=ExtractReport)
    link: LinkReport = field(default_factory=LinkReport)
    incidents: int = 0
    outdated: int = 0  # documents extracted by an older extractor version

    def summary(self) -> str:
        """Lines for the terminal."""
        lines = [self.ingest.summary()] if self.ingest else []
        stale = (
            [
                f"note: {self.outdated} documents were extracted by an older extractor; "
                "`triangulate extract --redo` then `triangulate link --rebuild` brings them up to date"
            ]
            if self.outdated
            else []
        )
        return "\n".join(
            [
                *lines,
                self.extract.summary(),
                self.link.summary(),
                f"reconcile: {self.incidents} incidents",
                *stale,
            ]
        )


def update(
    store: Store,
    settings: Settings,
    engine: Engine | None = None,
    *,
    extract_pending: bool = True,
    rebuild: bool = False,
) -> RunReport:
    """Extract (with ``engine``, default: the one the settings name), link and reconcile everything pending.

    The one path from a store's state to its incidents: ``run``, ``watch`` and ``link`` all come here.
    ``extract_pending=False`` links only what is extracted (reports that linking dates are still extracted
    again); ``rebuild`` first forgets every machine linking decision, so every event is linked again.

    After linking, only the incidents whose members changed (``incidents_stale``, kept by triggers)
    are re-dated, re-linked to their background events and reconciled, so the cost of an update
    follows what it adds, not the size of the store. A run killed part way leaves them listed.
    """
    if engine is None:
        with open_engine(settings) as opened:
            return update(store, settings, opened, extract_pending=extract_pending, rebuild=rebuild)
    report = RunReport()
    if extract_pending:
        report.extract = engine.extract(store)
    if rebuild:
        forget_links(store)
    report.link = engine.link(store, pending_events(store, "main"))
    dated = _redate(store)
    if dated:
        again = engine.extract(store, doc_ids=dated)
        report.extract.events += again.events
        more = engine.link(store, pending_events(store, "main"))
        report.link.joined += more.joined
        report.link.created += more.created
    report.link.consolidated = len(consolidate(store, settings, stale_incidents(store)))
    background = engine.link(store, pending_events(store, "background"))
    report.link.events += background.events
    report.link.joined += background.joined
    report.link.created += background.created
    link_background(store, stale_incidents(store))
    report.incidents = reconcile(store)
    refresh_search_index(store)
    report.outdated = outdated_extractions(store, EXTRACTOR_VERSION)
    return report


def relink(store: Store, settings: Settings, *, rebuild: bool = False) -> RunReport:
    """``triangulate link``: :func:`update` on what is extracted (with ``rebuild``, every event again)."""
    return update(store, settings, extract_pending=False, rebuild=rebuild)


def _redate(store: Store) -> list[int]:
    """Date undated reports from their (changed) incidents and send them back to extraction, all in one transaction.

    A run killed after this commit finds the documents pending extraction, so the rerun extracts them
    with their new date; committed one step at a time, a rerun would find them dated and never
    resolve their relative dates again.
    """
    with store.transaction() as conn:
        dated = propagate_dates(store, stale_incidents(store))
        unlink_documents(store, dated)
        clear_extraction(conn, dated)
    return dated


def run(
    store: Store,
    paths: Iterable[str | Path],
    *,
    fmt: str = "auto",
    field_map: FieldMap | None = None,
    manifest: Path | None = None,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> RunReport:
    """Ingest ``paths`` and bring incidents up to date."""
    settings = settings or Settings()
    ingested = ingest(store, paths, fmt=fmt, field_map=field_map, manifest=manifest, settings=settings)
    report = update(store, settings, engine)
    report.ingest = ingested
    return report
