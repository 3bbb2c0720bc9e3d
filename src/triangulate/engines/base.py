"""The engine interface. The base class owns the driver loop (reading inputs, saving results in
transactions, progress, logging and errors); an engine fills in :meth:`Engine.map_extract` and,
if it links elsewhere than next to the store, :meth:`Engine.map_link`.

Linking writes to the one SQLite store in the driver. An engine that sets ``links_in_groups`` gets
large batches as groups of events that share no blocking key (``link.groups``), links each where it
runs, and the driver replays the decisions in order: the same incidents as linking in the driver.
Reconciliation runs in the driver.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, TypeVar

from triangulate.errors import EngineError, TriangulateError
from triangulate.extract.pipeline import ExtractReport
from triangulate.link.cluster import Linker, LinkReport
from triangulate.link.groups import LinkJob, LinkStep, gather, group_events, replay
from triangulate.records import DocumentInput, Extraction
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.store.extraction import document_inputs, pending_documents, save_extractions

log = logging.getLogger(__name__)

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Engine(ABC):
    """Runs extraction somewhere. Use as a context manager: :meth:`close` releases workers."""

    name: ClassVar[str] = ""
    links_in_groups: ClassVar[bool] = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 - engines without workers have nothing to release
        """Release worker processes or cluster connections."""

    def map_link(self, jobs: list[LinkJob]) -> Iterator[list[LinkStep]]:
        """Link each group (``link.groups.link_job``), yielding the steps of each **in job order**."""
        raise NotImplementedError(f"the {self.name} engine links next to the store")

    def link(self, store: Store, event_ids: list[int]) -> LinkReport:
        """Link ``event_ids`` in order: next to the store, or in groups through :meth:`map_link` for
        engines that link elsewhere, from ``group_link_min_events`` events and two groups on."""
        if not self.links_in_groups or len(event_ids) < self.settings.group_link_min_events:
            return Linker(store, self.settings).link(event_ids)
        started = time.perf_counter()
        linker = Linker(store, self.settings)
        groups = group_events(linker, event_ids)
        if len(groups) < 2:  # nothing to spread: linking here saves moving the rows
            return linker.link(event_ids)
        jobs = [gather(store, group) for group in groups]
        log.info(
            "%s engine: linking %d events in %d groups (largest %d)",
            self.name,
            len(event_ids),
            len(jobs),
            max(len(j.events) for j in jobs),
        )
        try:
            outcomes = list(self.map_link(jobs))
        except TriangulateError:
            raise
        except Exception as exc:
            raise EngineError(
                f"the {self.name} engine failed while linking: {type(exc).__name__}: {exc}",
                "nothing was linked by this step; run again, or use --setting engine local",
            ) from exc
        report = replay(store, event_ids, outcomes)
        log.info(
            "%s engine: linked %d events in %.1f s", self.name, report.events, time.perf_counter() - started
        )
        return report

    @abstractmethod
    def map_extract(self, items: Iterator[DocumentInput], count: int) -> Iterator[Extraction]:
        """Extract ``count`` documents, yielding one extraction per input **in input order**."""

    def extract(
        self,
        store: Store,
        doc_ids: list[int] | None = None,
        redo: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ExtractReport:
        """Extract pending documents (or ``doc_ids``) and store the results, one transaction per batch.

        A killed or failing run keeps every batch saved before it; the next run resumes with the rest.
        """
        ids = pending_documents(store, doc_ids, redo)
        report = ExtractReport()
        if not ids:
            return report
        started = time.perf_counter()
        log.info("%s engine: extracting %d documents", self.name, len(ids))
        try:
            for batch in batched(
                self.map_extract(document_inputs(store, ids), len(ids)), self.settings.batch_size
            ):
                report.errors.extend(save_extractions(store, batch))
                report.add(batch)
                if progress:
                    progress(len(batch))
        except TriangulateError:
            raise
        except Exception as exc:
            raise EngineError(
                f"the {self.name} engine failed after {report.documents} of {len(ids)} documents: "
                f"{type(exc).__name__}: {exc}",
                "the documents extracted so far are stored; run again to continue, "
                "or use --setting engine local --setting workers 1",
            ) from exc
        seconds = time.perf_counter() - started
        log.info(
            "%s engine: %d documents in %.1f s (%.1f docs/s)",
            self.name,
            report.documents,
            seconds,
            report.documents / seconds if seconds else 0.0,
        )
        return report
