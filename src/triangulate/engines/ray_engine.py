"""The Ray engine: extraction in a Ray Data actor pool, each actor loading the spaCy model once, and
large batches linked in groups of events that share no blocking key, one Ray Data task per group.

Install with ``pip install 'triangulate[ray]'``. ``ray_address`` joins a running cluster
(``ray://head:10001`` or ``auto``); empty starts a private local instance for this run.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from dataclasses import asdict, fields
from typing import Any

from triangulate.engines.base import Engine, batched
from triangulate.errors import ModelMissingError
from triangulate.extract.pipeline import build_pipeline, extract_batch
from triangulate.link.groups import LinkJob, LinkStep, link_job
from triangulate.records import DocumentInput, Extraction
from triangulate.settings import Settings

# Documents sent to the cluster per dataset: bounds the driver's memory on long back-fills.
CHUNK = 10_000


class RayExtractor:
    """A Ray Data callable class: one per actor; the pipeline loads on the first batch and stays."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._nlp: Any = None

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        if self._nlp is None:
            self._nlp = build_pipeline(self.settings)
        columns = [f.name for f in fields(DocumentInput)]
        items = [
            DocumentInput(*(v.item() if hasattr(v, "item") else v for v in row))
            for row in zip(*(batch[c] for c in columns), strict=True)
        ]
        contexts = extract_batch(self._nlp, items, self.settings.nlp_batch_size)
        return {
            "doc_id": np.array([c.doc_id for c in contexts], dtype=np.int64),
            "context": np.array([pickle.dumps(c) for c in contexts], dtype=object),
        }


class RayEngine(Engine):
    """Extraction on a Ray cluster (or a local Ray instance started for the run)."""

    name = "ray"
    links_in_groups = True

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._started_here = False

    def _ray(self) -> Any:
        try:
            import ray
        except ImportError as exc:
            raise ModelMissingError(
                "the ray engine needs Ray, which is not installed",
                "pip install 'triangulate[ray]', or use --setting engine local",
            ) from exc
        if not ray.is_initialized():
            ray.init(
                address=self.settings.ray_address or None,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
                configure_logging=False,
            )
            self._started_here = True
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        return ray

    def actors(self, ray: Any) -> int:
        """Size of the actor pool: the setting, else one actor per CPU of the cluster."""
        return self.settings.ray_actors or max(1, int(ray.cluster_resources().get("CPU", 1)))

    def map_extract(self, items: Iterator[DocumentInput], count: int) -> Iterator[Extraction]:
        """Stream chunks of documents through the actor pool, results in input order."""
        ray = self._ray()
        size = self.actors(ray)
        for chunk in batched(items, CHUNK):
            dataset = ray.data.from_items([asdict(item) for item in chunk])
            out = dataset.map_batches(
                RayExtractor,
                fn_constructor_kwargs={"settings": self.settings},
                batch_size=self.settings.nlp_batch_size,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=min(size, len(chunk))),
            )
            for row in out.iter_rows():
                yield pickle.loads(row["context"])

    def map_link(self, jobs: list[LinkJob]) -> Iterator[list[LinkStep]]:
        """One task per group; each builds the group's store in memory and links it."""
        ray = self._ray()
        settings = self.settings

        def link_row(row: dict[str, Any]) -> dict[str, Any]:
            return {"steps": pickle.dumps(link_job(pickle.loads(row["job"]), settings))}

        dataset = ray.data.from_items(
            [{"job": pickle.dumps(job)} for job in jobs], override_num_blocks=len(jobs)
        )
        for row in dataset.map(link_row, num_cpus=1).iter_rows():
            yield pickle.loads(row["steps"])

    def close(self) -> None:
        """Shut down the local Ray instance if this engine started it (a cluster is left running)."""
        if self._started_here:
            import ray

            ray.shutdown()
            self._started_here = False
