"""``triangulate watch``: ingest new files or feed items as they appear and update incidents.

State lives in the store (``watch_inputs``: the files already taken, with size and mtime), so a
restarted watcher carries on where it stopped; a file that changes is read again, and ingest skips
what is already stored. Each batch records its latency in ``watch_batches``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from triangulate.engines import Engine
from triangulate.errors import ConfigError
from triangulate.ingest.pipeline import InputFile, expand_inputs, ingest
from triangulate.ingest.sidecar import is_metadata_file
from triangulate.pipeline.run import RunReport, update
from triangulate.settings import Settings
from triangulate.store.db import Store, utcnow

log = logging.getLogger(__name__)

FEED_LIST_SUFFIXES = (".txt", ".urls")


@dataclass(slots=True)
class WatchBatch:
    """One poll that found something to do."""

    number: int
    inputs: int
    added: int
    incidents: int
    seconds: float
    report: RunReport

    def line(self) -> str:
        """One line for the terminal: what came in and how long it took to reach the incidents."""
        per_doc = f", {1000 * self.seconds / self.added:.0f} ms/doc" if self.added else ""
        return (
            f"batch {self.number}: {self.inputs} new inputs, {self.added} documents added, "
            f"{self.incidents} incidents updated in {self.seconds:.2f} s{per_doc}"
        )


def is_feed_list(path: Path) -> bool:
    """A text file whose non-comment lines are all http(s) URLs: a list of feeds to poll."""
    if not path.is_file() or path.suffix.lower() not in FEED_LIST_SUFFIXES:
        return False
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    urls = [ln for ln in lines if ln and not ln.startswith("#")]
    return bool(urls) and all(u.startswith(("http://", "https://")) for u in urls)


class Watcher:
    """Polls one folder (new or changed files) or one feed list (every feed, every poll)."""

    def __init__(
        self,
        store: Store,
        target: str | Path,
        settings: Settings,
        engine: Engine,
        manifest: Path | None = None,
    ) -> None:
        self.store = store
        self.target = Path(target)
        self.manifest = manifest
        self.settings = settings
        self.engine = engine
        if not self.target.exists():
            raise ConfigError(
                f"nothing to watch at {self.target}", "give a folder, or a text file of feed URLs"
            )
        self.feeds = is_feed_list(self.target)
        self.batches = 0
        self._resumed = False

    def new_files(self) -> list[tuple[Path, int, int]]:
        """Files not yet taken (or changed since), with size and mtime; files still being written wait a poll."""
        if self.target.is_file():
            candidates = [self.target]
        else:
            candidates = [
                item.path
                for item in expand_inputs([self.target], "auto", None)
                if isinstance(item, InputFile)
            ]
        settle = time.time_ns() - int(self.settings.watch_settle_seconds * 1e9)
        seen = {r[0]: (r[1], r[2]) for r in self.store.query("SELECT path, size, mtime_ns FROM watch_inputs")}
        out = []
        for path in candidates:
            if is_metadata_file(path):
                continue
            stat = path.stat()
            if seen.get(str(path)) != (stat.st_size, stat.st_mtime_ns) and stat.st_mtime_ns <= settle:
                out.append((path, stat.st_size, stat.st_mtime_ns))
        return out

    def poll(self) -> WatchBatch | None:
        """Take what is new, bring incidents up to date, and return the batch (None when idle)."""
        started = time.perf_counter()
        inputs = self.target_inputs()
        added = 0
        if inputs:
            fmt = "urls" if self.feeds else "auto"
            ingested = ingest(
                self.store, [p for p, _, _ in inputs], fmt=fmt, manifest=self.manifest, settings=self.settings
            )
            added = ingested.added
            for rejection in ingested.rejected:
                log.warning("skipped %s", rejection.line())
            if not self.feeds:
                with self.store.transaction() as conn:
                    conn.executemany(
                        "INSERT OR REPLACE INTO watch_inputs (path, size, mtime_ns, seen_at) VALUES (?, ?, ?, ?)",
                        [(str(p), size, mtime, utcnow()) for p, size, mtime in inputs],
                    )
        # The first poll also finishes whatever a killed watcher left pending.
        if not added and self._resumed:
            return None
        self._resumed = True
        report = update(self.store, self.settings, self.engine)
        if not added and not report.extract.documents and not report.link.events:
            return None
        self.batches += 1
        seconds = time.perf_counter() - started
        batch = WatchBatch(self.batches, len(inputs), added, report.incidents, seconds, report)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO watch_batches (target, started_at, inputs, added, incidents, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (str(self.target), utcnow(), len(inputs), added, report.incidents, round(seconds, 4)),
            )
        return batch

    def target_inputs(self) -> list[tuple[Path, int, int]]:
        """What this poll reads: the feed list itself (every poll), or the new files of the folder."""
        if self.feeds:
            stat = self.target.stat()
            return [(self.target, stat.st_size, stat.st_mtime_ns)]
        return self.new_files()

    def run(
        self,
        interval: float,
        max_batches: int = 0,
        max_polls: int = 0,
        on_batch: Callable[[WatchBatch], None] | None = None,
    ) -> int:
        """Poll every ``interval`` seconds until stopped (Ctrl-C), ``max_batches`` batches or ``max_polls`` polls."""
        polls = 0
        while True:
            batch = self.poll()
            polls += 1
            if batch and on_batch:
                on_batch(batch)
            if (max_batches and self.batches >= max_batches) or (max_polls and polls >= max_polls):
                return self.batches
            time.sleep(interval)
