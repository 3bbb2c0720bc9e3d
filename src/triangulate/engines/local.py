"""The local engine: this process for small batches, one worker process per core for large ones."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from triangulate.engines.base import Engine, batched
from triangulate.extract.pipeline import build_pipeline, extract_batch
from triangulate.records import DocumentInput, Extraction
from triangulate.settings import Settings


def _extract_in_worker(settings: Settings, items: list[DocumentInput]) -> list[Extraction]:
    # build_pipeline is cached per process, so each worker loads the model once.
    return extract_batch(build_pipeline(settings), items, settings.nlp_batch_size)


def _context() -> multiprocessing.context.BaseContext:
    # fork where there is one: workers start at once, share an already loaded model copy-on-write and
    # need no `if __name__ == "__main__"` guard in user scripts. They never touch the driver's SQLite handle.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class LocalEngine(Engine):
    """Extraction on this machine. Worker processes start only where they pay for their start-up."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._pool: ProcessPoolExecutor | None = None
        self._pool_size = 0

    def processes(self, count: int) -> int:
        """Worker processes to use for ``count`` documents (1 means: in this process)."""
        workers = self.settings.workers or os.cpu_count() or 1
        return 1 if count < self.settings.parallel_min_documents else max(1, workers)

    def map_extract(self, items: Iterator[DocumentInput], count: int) -> Iterator[Extraction]:
        """Extract in order, in this process or in a pool with a bounded window of batches in flight."""
        n = self.processes(count)
        size = self.settings.nlp_batch_size
        if n == 1:
            nlp = build_pipeline(self.settings)
            for chunk in batched(items, size * 8):
                yield from extract_batch(nlp, chunk, size)
            return
        pool = self._workers(n)
        window: deque[Future[list[Extraction]]] = deque()
        for chunk in batched(items, size):
            window.append(pool.submit(_extract_in_worker, self.settings, chunk))
            if len(window) >= 3 * n:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()

    def _workers(self, n: int) -> ProcessPoolExecutor:
        if self._pool is None or self._pool_size != n:
            self.close()
            self._pool = ProcessPoolExecutor(
                n, mp_context=_context(), initializer=build_pipeline, initargs=(self.settings,)
            )
            self._pool_size = n
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
