"""``triangulate run``: the whole chain on new input, incrementally on an existing store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.extract.pipeline import ExtractReport, extract
from triangulate.ingest.pipeline import IngestReport, ingest
from triangulate.ingest.readers.base import FieldMap
from triangulate.link.cluster import Linker, LinkReport, pending_events
from triangulate.link.dates import propagate_dates, unlink_documents
from triangulate.reconcile.record import reconcile
from triangulate.settings import Settings
from triangulate.store.db import Store


@dataclass(slots=True)
class RunReport:
    """Reports of each stage of one run."""

    ingest: IngestReport | None = None
    extract: ExtractReport = field(default_factory=ExtractReport)
    link: LinkReport = field(default_factory=LinkReport)
    incidents: int = 0

    def summary(self) -> str:
        """Lines for the terminal."""
        lines = [self.ingest.summary()] if self.ingest else []
        return "\n".join([*lines, self.extract.summary(), self.link.summary(), f"reconcile: {self.incidents} incidents"])


def update(store: Store, settings: Settings) -> RunReport:
    """Extract, link and reconcile everything pending in the store."""
    report = RunReport()
    report.extract = extract(store, settings)
    linker = Linker(store, settings)
    report.link = linker.link(pending_events(store, "main"))
    dated = propagate_dates(store)
    if dated:
        unlink_documents(store, dated)
        again = extract(store, settings, doc_ids=dated)
        report.extract.events += again.events
        linker = Linker(store, settings)
        more = linker.link(pending_events(store, "main"))
        report.link.joined += more.joined
        report.link.created += more.created
    background = Linker(store, settings).link(pending_events(store, "background"))
    report.link.events += background.events
    report.link.joined += background.joined
    report.link.created += background.created
    _link_background(store)
    report.incidents = reconcile(store)
    return report


def _link_background(store: Store) -> None:
    """'background-of' links: a document's background incidents point to its main incident."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM incident_links WHERE kind = 'background-of'")
        conn.execute(
            """INSERT OR IGNORE INTO incident_links (from_incident, to_incident, kind, doc_id)
               SELECT DISTINCT b.incident_id, m.incident_id, 'background-of', b.doc_id
               FROM incident_events b JOIN events eb ON eb.id = b.event_id AND eb.role = 'background'
               JOIN incident_events m ON m.doc_id = b.doc_id JOIN events em ON em.id = m.event_id AND em.role = 'main'
               WHERE b.incident_id != m.incident_id""")


def run(store: Store, paths: Iterable[str | Path], *, fmt: str = "auto", field_map: FieldMap | None = None,
        manifest: Path | None = None, settings: Settings | None = None) -> RunReport:
    """Ingest ``paths`` and bring incidents up to date."""
    settings = settings or Settings()
    ingested = ingest(store, paths, fmt=fmt, field_map=field_map, manifest=manifest, settings=settings)
    report = update(store, settings)
    report.ingest = ingested
    return report
