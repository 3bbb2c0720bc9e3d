"""Who, where, when and with what, per report: victims' and suspects' names, city, street location, time of day and
weapon, scored on span-annotated shooting reports (``data/gvdb_dev``), beside a naive NER baseline of the same run.

Each report is scored twice: on the incident record that holds it as a main document (what an analyst sees) and
on its own main event (what extraction found before linking). Matching follows ``../shared/checks/roles_eval.py``:
"exact" compares normalised strings (case, punctuation, 'a.m.' -> 'am', a leading article dropped); a victim or
suspect counts only when it is a name of two capitalised words or more. The baseline takes the first PERSON as the
victim, the second as the suspect, the first GPE as the city, the first FAC or LOC as the street location and the
first TIME (else DATE) as the time. The corpus is split by date: ``train`` is the earlier half (tuned on),
``dev`` the later half (not tuned on).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triangulate.evaluate.field_scores import is_name
from triangulate.evaluate.registry import EvalOptions, evaluation, need

ROLES: dict[str, tuple[str, ...]] = {
    "victim": ("VIC-NAME",),
    "suspect": ("SHO-NAME",),
    "city": ("DAT-CITY",),
    "address": ("DAT-LOC",),
    "time": ("DAT-CLOCK", "DAT-TIME"),
    "weapon": ("CIR-WEAPON",),
    "victim_age": ("VIC-AGE",),
    "suspect_age": ("SHO-AGE",),
}
MICRO = ("victim", "suspect", "city", "address", "time", "weapon")
FIELD_MAP = "text=text,published=published,title=title,url=url,id=id"
SPLITS = ("train", "dev", "all")


def norm(text: object) -> str:
    """Lower case, 'a.m.' -> 'am', possessive and punctuation dropped, a leading article dropped."""
    s = str(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", s)
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^0-9a-z\u00c0-\u024f]+", " ", s).strip()
    return re.sub(r"^(a|an|the) ", "", s)


def _age(text: object) -> str | None:
    m = re.search(r"\d+", str(text))
    return m.group(0) if m else None


@dataclass(slots=True)
class Counts:
    """Precision and recall counts of one role."""

    predicted: int = 0
    gold: int = 0
    right_predicted: int = 0
    right_gold: int = 0

    def add(self, preds: list[str], golds: list[dict[str, Any]], role: str) -> None:
        def match(p: str, g: dict[str, Any]) -> bool:
            if role.endswith("_age"):
                return _age(p) is not None and _age(p) in (_age(g["span_text"]), _age(g["value"]))
            return norm(p) != "" and norm(p) in (norm(g["span_text"]), norm(g["value"]))

        self.predicted += len(preds)
        self.gold += len(golds)
        self.right_predicted += sum(1 for p in preds if any(match(p, g) for g in golds))
        self.right_gold += sum(1 for g in golds if any(match(p, g) for p in preds))

    def f1(self) -> float:
        p = self.right_predicted / self.predicted if self.predicted else 0.0
        r = self.right_gold / self.gold if self.gold else 0.0
        return round(100 * 2 * p * r / (p + r), 1) if p + r else 0.0


def score(golds: list[dict[str, Any]], predictions: dict[str, dict[str, list[str]]]) -> dict[str, float]:
    """Exact-match F1 per role and the micro average over :data:`MICRO`."""
    out: dict[str, float] = {}
    micro = Counts()
    for role, gold_roles in ROLES.items():
        counts = Counts()
        for g in golds:
            spans = [s for s in g["spans"] if s["role"] in gold_roles]
            preds = list(dict.fromkeys(p for p in predictions.get(g["id"], {}).get(role, []) if norm(p)))
            counts.add(preds, spans, role)
        out[role] = counts.f1()
        if role in MICRO:
            for k in ("predicted", "gold", "right_predicted", "right_gold"):
                setattr(micro, k, getattr(micro, k) + getattr(counts, k))
    out["micro"] = micro.f1()
    return out


def roles_of(
    victims: Iterable[dict[str, Any]],
    suspects: Iterable[dict[str, Any]],
    city: str | None,
    address: str | None,
    times: Iterable[str],
    weapons: Iterable[str],
) -> dict[str, list[str]]:
    """A record's values in the scorer's roles (victims and suspects as people with name and age)."""
    vs = [p for p in victims if is_name(str(p.get("name") or ""))]
    ss = [p for p in suspects if is_name(str(p.get("name") or ""))]
    return {
        "victim": [str(p["name"]) for p in vs],
        "suspect": [str(p["name"]) for p in ss],
        "city": [city] if city else [],
        "address": [address] if address else [],
        "time": [t for t in times if t],
        "weapon": [w for w in weapons if w],
        "victim_age": [str(p["age"]) for p in vs if p.get("age") is not None],
        "suspect_age": [str(p["age"]) for p in ss if p.get("age") is not None],
    }


def ner_entities(texts: Iterable[str]) -> Iterator[list[tuple[str, str]]]:
    """Each text's named entities as (label, text) in text order, by the pipeline's spaCy model (the naive
    baselines' only input; also used by ``gvc-fields``)."""
    from triangulate.extract.nlp import load_base_model

    for doc in load_base_model().pipe(texts, batch_size=32):
        yield [(e.label_, e.text) for e in doc.ents]


def distinct_persons(ents: list[tuple[str, str]]) -> list[str]:
    """The PERSON entities, each name once (case-insensitively, first spelling), ordered as
    ``../shared/checks/roles_eval.py`` orders them: by where each name is mentioned last."""
    return list({t.lower(): t for lab, t in reversed(ents) if lab == "PERSON"}.values())[::-1]


def baseline(golds: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """The naive NER filler on the same texts, with the same spaCy model as the pipeline."""
    out: dict[str, dict[str, list[str]]] = {}
    for g, ents in zip(golds, ner_entities(g["full_text"] for g in golds), strict=True):

        def of(*labels: str, ents: list[tuple[str, str]] = ents) -> list[str]:
            return [t for (lab, t) in ents if lab in labels]

        persons = distinct_persons(ents)
        out[g["id"]] = {
            "victim": persons[:1],
            "suspect": persons[1:2],
            "city": of("GPE")[:1],
            "address": of("FAC", "LOC")[:1],
            "time": (of("TIME") or of("DATE"))[:1],
            "weapon": [],
        }
    return out


def load(data_dir: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The corpus' documents file and its gold reports, sorted by date (then id)."""
    folder = need(Path(data_dir) / "data" / "gvdb_dev", "gvdb_dev (span-annotated shooting reports)")
    docs = need(folder / "documents.jsonl", "gvdb_dev documents")
    with need(folder / "gold.jsonl", "gvdb_dev gold").open(encoding="utf-8") as fh:
        golds = [json.loads(line) for line in fh if line.strip()]
    return docs, sorted(golds, key=lambda g: (g["incident_date"], g["id"]))


def predictions(store: Any) -> tuple[dict[str, dict[str, list[str]]], dict[str, dict[str, list[str]]]]:
    """(by incident record, by the report's own main event), keyed by the reports' external ids."""
    from triangulate.export.incidents import incident_rows_native

    ext = {r["id"]: r["external_id"] for r in store.query("SELECT id, external_id FROM documents")}
    incident: dict[str, dict[str, list[str]]] = {}
    for row in incident_rows_native(store):
        values = roles_of(
            row["victims"], row["suspects"], row["city"], row["address"], row["time"], row["weapons"]
        )
        for doc in row["main_documents"]:
            incident.setdefault(ext[doc], values)
    document: dict[str, dict[str, list[str]]] = {}
    for r in store.query(
        "SELECT e.record, d.external_id FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.role = 'main'"
    ):
        rec = json.loads(r["record"])
        people = rec.get("people") or []
        document[r["external_id"]] = roles_of(
            [p for p in people if p["role"] == "victim"],
            [p for p in people if p["role"] == "suspect"],
            (rec.get("city") or {}).get("value"),
            (rec.get("address") or {}).get("value"),
            [t["value"] for t in rec.get("times_of_day") or []],
            [w["value"] for w in rec.get("weapons") or []],
        )
    return incident, document


def evaluate_roles(data_dir: Path) -> dict[str, Any]:
    """Run the whole pipeline on the corpus in date order; score each half and the whole, beside the baseline."""
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    docs, golds = load(data_dir)
    with tempfile.TemporaryDirectory(prefix="roles-") as tmp:
        store = Store.open(Path(tmp) / "roles.db")
        run(store, [docs], field_map=FieldMap.parse(FIELD_MAP))
        by_incident, by_document = predictions(store)
        store.close()
    base = baseline(golds)
    half = len(golds) // 2
    parts = {"train": golds[:half], "dev": golds[half:], "all": golds}
    return {
        "reports": len(golds),
        "found": sum(g["id"] in by_incident for g in golds),
        "split": "train = earlier half by date (tuned on), dev = later half (not tuned on)",
        **{
            name: {
                "incident": score(part, by_incident),
                "document": score(part, by_document),
                "baseline": score(part, base),
            }
            for name, part in parts.items()
        },
    }


def table(result: dict[str, Any]) -> str:
    """The result as a Markdown table: each role's F1 for ours (incident, document) and the baseline, per split."""
    lines = ["| split | role | incident record | main event | naive NER baseline |", "|---|---|---|---|---|"]
    for split in SPLITS:
        r = result[split]
        for role in (*MICRO, "victim_age", "suspect_age", "micro"):
            lines.append(
                f"| {split} | {role} | {r['incident'][role]} | {r['document'][role]} | {r['baseline'][role]} |"
            )
    return "\n".join(lines)


@evaluation(
    "roles",
    "gvdb_dev: victim, suspect, city, street, time and weapon per report, beside a naive NER baseline.",
    splits=(),
)
def roles(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    result = evaluate_roles(data_dir)
    result["table"] = table(result)
    return result
