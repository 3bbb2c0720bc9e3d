"""Field accuracy on the Gun Violence Corpus: per document (our main event) and per incident (after reconciliation).

Each GVC document carries its incident's Gun Violence Archive record (``gva``: date, state, city_or_county,
num_killed, num_injured). ``gvc-fields`` scores every document's main event against its own incident's record;
``gvc-incidents`` scores the reconciled incidents: each gold incident is compared with the predicted incident
holding most of its documents (ties: the lower id), and its chosen values are scored. Both report the same
fields, so incident-level accuracy can be set against document-level accuracy (issue 6).

Fields:

* ``date``: exact day; ``date_within_precision``: the value is right at the precision we state ("2016-07" for a
  July 23 event, an interval holding the day);
* ``city``: place name equal to the GVA city (or the part in brackets: "Chicago (Englewood)"), after folding
  case, accents and "St."/"Saint"; ``state``: admin1 name equal to the GVA state;
* ``killed``/``injured``: the GVA number lies in our count's range; a report without a count reads as 0.

A missing prediction (no main event, no incident) counts as wrong. One store is built per (split, limit) and
shared by both evaluations within a process. Unless a limit is given, results for the whole corpus ("all", each
split's documents linked together) are added under ``all``.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from triangulate.evaluate.registry import EvalOptions, evaluation, need

FIELDS = ("date", "date_within_precision", "city", "state", "killed", "injured")
FIELD_MAP = "text=text,published=dct,title=title,url=url,id=doc_id"
_STORES: dict[tuple[str, str, int], tuple[Any, Any]] = {}


@dataclass(frozen=True, slots=True)
class GoldIncident:
    """The GVA record of one document's incident, normalised."""

    incident_id: str
    date: str
    city: str
    state: str
    killed: int
    injured: int


def gold_of(record: dict[str, Any]) -> GoldIncident:
    """A GVC document's incident record: ISO date, city, state, killed, injured."""
    gva = record["gva"]
    date = datetime.strptime(gva["date"].strip(), "%B %d, %Y").date().isoformat()
    return GoldIncident(str(record["incident_id"]), date, gva.get("city_or_county", ""), gva.get("state", ""),
                        int(gva.get("num_killed") or 0), int(gva.get("num_injured") or 0))


def fold(name: str) -> str:
    """Lowercase, accents off, 'St.'/'Ste.' spelled out, punctuation and 'city of' removed."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bst\.?(?=\s)", "saint", text)
    text = re.sub(r"\bste\.?(?=\s)", "sainte", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = re.sub(r"^(city|town|village) of ", "", " ".join(text.split()))
    return text


def city_names(gold_city: str) -> set[str]:
    """Acceptable names for a GVA city_or_county: 'Chicago (Englewood)' -> {chicago, englewood};
    'Henry (county)' -> {henry county, henry}."""
    main, _, inner = gold_city.partition("(")
    inner = inner.rstrip(") ").strip()
    names = {fold(main)}
    if inner.lower() == "county":
        names.add(fold(f"{main} county"))
    elif inner:
        names.add(fold(inner))
    return {n for n in names if n}


def date_matches(value: str | None, gold: str) -> tuple[bool, bool]:
    """(exact day, right within the stated precision) for a predicted ISO value or ``start/end`` interval."""
    if not value or "X" in value.split("/")[0][:4]:
        return False, False
    if "/" in value:
        start, _, end = value.partition("/")
        return start == end == gold, bool(start) and bool(end) and start <= gold <= end
    return value == gold, bool(value) and gold.startswith(value)


def count_matches(low: int | None, high: int | None, gold: int) -> bool:
    """The gold number lies in the predicted range; no count at all reads as 0."""
    if low is None:
        return gold == 0
    return low <= gold <= (high if high is not None else low)


def parse_range(value: str | None) -> tuple[int | None, int | None]:
    """'3' -> (3, 3); '2-4' -> (2, 4); '' -> (None, None)."""
    if not value:
        return None, None
    low, _, high = str(value).partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        return None, None


def compare(pred: dict[str, Any] | None, gold: GoldIncident) -> dict[str, bool]:
    """Field-by-field comparison of one prediction (date, city, state, killed and injured ranges) with gold."""
    if pred is None:
        return dict.fromkeys(FIELDS, False)
    exact, within = date_matches(pred.get("date"), gold.date)
    return {"date": exact, "date_within_precision": within,
            "city": bool(pred.get("city")) and fold(pred["city"]) in city_names(gold.city),
            "state": bool(pred.get("state")) and fold(pred["state"]) == fold(gold.state),
            "killed": count_matches(*pred.get("killed", (None, None)), gold.killed),
            "injured": count_matches(*pred.get("injured", (None, None)), gold.injured)}


def _accuracy(rows: list[dict[str, bool]]) -> dict[str, Any]:
    n = len(rows)
    return {"n": n, **{f: round(sum(r[f] for r in rows) / n, 4) if n else 0.0 for f in FIELDS}}


def load_records(data_dir: Path, split: str, limit: int = 0) -> list[dict[str, Any]]:
    """GVC records of a Bugert et al. (2021) split ('train', 'dev', 'test' or 'all')."""
    path = need(Path(data_dir) / "data" / "gvc" / "gvc_docs_fulltext.jsonl", "GVC documents")
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if split != "all":
        records = [r for r in records if r.get("split_bugert2021") == split]
    return records[:limit] if limit > 0 else records


def build_store(data_dir: Path, split: str, limit: int = 0) -> tuple[Any, list[dict[str, Any]]]:
    """A store holding the split's documents after a full run (ingest, extract, link, reconcile); cached."""
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    key = (str(Path(data_dir).resolve()), split, limit)
    if key in _STORES:
        return _STORES[key][0], load_records(data_dir, split, limit)
    records = load_records(data_dir, split, limit)
    tmp = tempfile.TemporaryDirectory(prefix="gvc-fields-")
    source = Path(tmp.name) / "gvc.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: r[k] for k in ("doc_id", "title", "dct", "url", "text")}) + "\n")
    store = Store.open(Path(tmp.name) / "gvc.db")
    run(store, [source], field_map=FieldMap.parse(FIELD_MAP))
    _STORES[key] = (store, tmp)  # the temporary folder lives as long as the cached store
    return store, records


def _place_fields(place: dict[str, Any]) -> dict[str, Any]:
    precision = place.get("precision")
    return {"city": place.get("name") if precision in ("city", "point") else "", "state": place.get("admin1") or (
        place.get("name") if precision == "admin1" else "")}


def document_predictions(store: Any) -> dict[str, dict[str, Any]]:
    """Each document's main event as comparable fields, by external id."""
    out: dict[str, dict[str, Any]] = {}
    for row in store.query("SELECT e.record, d.external_id FROM events e JOIN documents d ON d.id = e.doc_id "
                           "WHERE e.role = 'main'"):
        rec = json.loads(row["record"])
        pred: dict[str, Any] = {"date": (rec.get("date") or {}).get("value"), **_place_fields(rec.get("place") or {})}
        # The report's own city and state (its dateline, else its first city), where the entity layer found them.
        pred["city"] = (rec.get("city") or {}).get("value") or pred["city"]
        pred["state"] = (rec.get("state") or {}).get("value") or pred["state"]
        for name, field in (("killed", "killed"), ("injured", "wounded")):
            counts = [c for c in rec.get("counts", []) if c["field"] == field]
            best = max(counts, key=lambda c: (not c.get("vague"), c["low"]), default=None)
            pred[name] = (best["low"], best["high"]) if best else (None, None)
        out[row["external_id"]] = pred
    return out


def incident_predictions(store: Any) -> tuple[dict[str, int], dict[int, dict[str, Any]]]:
    """Which incident holds each document (as main document), and each incident's chosen values."""
    from triangulate.export.incidents import incident_rows_native

    ext = {r["id"]: r["external_id"] for r in store.query("SELECT id, external_id FROM documents")}
    member: dict[str, int] = {}
    chosen: dict[int, dict[str, Any]] = {}
    for row in incident_rows_native(store):
        for doc in row["main_documents"]:
            member.setdefault(ext[doc], int(row["id"]))
        fields = row["fields"]
        place_field = fields.get("place") or {}
        detail = next((c.get("detail") or {} for c in place_field.get("candidates", [])
                       if c.get("value") == place_field.get("chosen")), {})
        chosen[int(row["id"])] = {
            "date": (fields.get("date") or {}).get("chosen") or None,
            "city": row.get("city") or (place_field.get("chosen") if detail.get("precision") in ("city", "point") else ""),
            "state": row.get("state") or detail.get("admin1") or (
                place_field.get("chosen") if detail.get("precision") == "admin1" else ""),
            "killed": parse_range((fields.get("killed") or {}).get("chosen")),
            "injured": parse_range((fields.get("wounded") or {}).get("chosen"))}
    return member, chosen


def evaluate_documents(data_dir: Path, split: str = "test", limit: int = 0) -> dict[str, Any]:
    """Document-level field accuracy on ``split``, plus 'all' when the split is a part."""
    store, records = build_store(data_dir, split, limit)
    preds = document_predictions(store)
    rows = [compare(preds.get(r["doc_id"]), gold_of(r)) for r in records]
    return {"split": split, "documents": len(records), "with_main_event": sum(r["doc_id"] in preds for r in records),
            "document_level": _accuracy(rows)}


def evaluate_incidents(data_dir: Path, split: str = "test", limit: int = 0) -> dict[str, Any]:
    """Incident-level accuracy (each gold incident vs the predicted incident holding most of its documents), next
    to document-level accuracy over the same documents."""
    from collections import Counter

    store, records = build_store(data_dir, split, limit)
    member, chosen = incident_predictions(store)
    by_incident: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_incident.setdefault(str(r["incident_id"]), []).append(r)
    rows = []
    for docs in by_incident.values():
        votes = Counter(member[d["doc_id"]] for d in docs if d["doc_id"] in member)
        best = min(votes, key=lambda i: (-votes[i], i)) if votes else None
        rows.append(compare(chosen.get(best) if best is not None else None, gold_of(docs[0])))
    doc_preds = document_predictions(store)
    doc_rows = [compare(doc_preds.get(r["doc_id"]), gold_of(r)) for r in records]
    per_incident_docs = [compare(doc_preds.get(d["doc_id"]), gold_of(d)) for docs in by_incident.values() for d in docs[:1]]
    return {"split": split, "documents": len(records), "gold_incidents": len(by_incident),
            "predicted_incidents": len(set(member.values())),
            "incident_level": _accuracy(rows), "document_level": _accuracy(doc_rows),
            "first_document_per_incident": _accuracy(per_incident_docs)}


def _with_all(fn: Any, data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    result = fn(data_dir, options.split, options.limit)
    if options.split != "all" and not options.limit:
        result["all"] = fn(data_dir, "all", 0)
    return result


@evaluation("gvc-fields", "GVC: the main event's date, city, state, killed and injured per document vs its GVA record.")
def gvc_fields(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return _with_all(evaluate_documents, data_dir, options)


@evaluation("gvc-incidents", "GVC: reconciled incident fields (date, city, state, killed, injured) vs document-level.")
def gvc_incidents(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return _with_all(evaluate_incidents, data_dir, options)
