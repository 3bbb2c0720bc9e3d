"""One way from a store's state to its incidents: `run`, the steps `ingest`, `extract`, `link`, and a batch
`link --rebuild` all go through `pipeline.run.update`, so their exports agree decision for decision.

To compare two revisions of the code on the example corpus, the seeds and GVC, see `scripts/decisions.sh`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, SHARED
from triangulate.export.incidents import event_rows, incident_rows
from triangulate.ingest.pipeline import ingest
from triangulate.pipeline.extract import extract
from triangulate.pipeline.run import relink, run
from triangulate.settings import Settings
from triangulate.store.db import Store

pytestmark = pytest.mark.slow


def decisions(store: Store) -> list[tuple[Any, ...]]:
    """Every incident as the exports show it, keyed by its documents' sources, without store-local ids."""
    names = {r[0]: r[1] for r in store.query("SELECT id, source FROM documents")}
    out = []
    for row in incident_rows(store):
        fields = {name: f.get("chosen") for name, f in (row.get("fields") or {}).items()}
        out.append(
            (
                sorted(names[d] for d in row["main_documents"]),
                sorted(names[d] for d in row["documents"]),
                row["kind"],
                row["title"],
                row["status"],
                row["date"],
                row["killed"],
                row["n_independent"],
                sorted(fields.items()),
                str(row["victims"]),
                str(row["claims"]),
            )
        )
    return sorted(out, key=repr)


def events(store: Store) -> list[str]:
    """Every extracted event record, without store-local ids."""
    return sorted(
        json.dumps({k: v for k, v in r.items() if k not in ("id", "document", "incident")}, sort_keys=True)
        for r in event_rows(store)
    )


def _corpora() -> list[tuple[str, Path, Path | None]]:
    out: list[tuple[str, Path, Path | None]] = [
        ("examples", EXAMPLES / "corpus", EXAMPLES / "corpus_manifest.jsonl")
    ]
    if (SHARED / "seeds").is_dir():
        out.append(("seeds", SHARED / "seeds", None))
    return out


@pytest.mark.parametrize(
    ("name", "folder", "manifest"), _corpora(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_run_steps_and_rebuild_give_the_same_incidents(tmp_path, name, folder, manifest):
    settings = Settings()
    with Store.open(tmp_path / "run.db") as whole:
        run(whole, [folder], manifest=manifest, settings=settings)
        by_run, events_by_run = decisions(whole), events(whole)
        relink(whole, settings, rebuild=True)  # `triangulate link --rebuild` on the same store
        by_rebuild = decisions(whole)
    with Store.open(tmp_path / "steps.db") as steps:
        ingest(steps, [folder], manifest=manifest, settings=settings)  # `triangulate ingest`
        extract(steps, settings)  # `triangulate extract`
        relink(steps, settings)  # `triangulate link`
        by_steps, events_by_steps = decisions(steps), events(steps)
    assert len(by_run) >= 5, f"{name}: too few incidents to compare"
    assert events_by_steps == events_by_run
    assert by_steps == by_run
    assert by_rebuild == by_run
