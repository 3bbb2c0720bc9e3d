"""Field accuracy on the Gun Violence Corpus: per document (our main event) and per incident (after reconciliation),
beside a naive NER baseline of the same run.

Each GVC document carries its incident's Gun Violence Archive record (``gva``: date, state, city_or_county, address,
num_killed, num_injured, participants). ``gvc-fields`` scores every document's main event against its own
incident's record; ``gvc-incidents`` also scores the reconciled incidents: each gold incident is compared with the
predicted incident holding most of its documents (ties: the lower id), and its chosen values are scored. Both
levels report the same fields, so incident-level accuracy can be set against document-level accuracy (issue 6).

Arrival order: the documents are fed to the pipeline in publication-date order (``dct``, ties by ``doc_id``), never
in the file's order (the file is grouped by gold incident, which would hand linking each incident's reports
together). A ``limit`` selects the file's first documents, which are then fed in date order.

Fields (names and addresses follow ``../shared/checks/fields_eval.py``; see :mod:`.field_scores`):

* ``date``: exact day; ``date_within_precision``: the value is right at the precision we state ("2016-07" for a
  July 23 event, an interval holding the day);
* ``city``: place name equal to the GVA city (or the part in brackets: "Chicago (Englewood)"), after folding
  case, accents and "St."/"Saint"; ``state``: admin1 name equal to the GVA state;
* ``killed``/``injured``: the GVA number lies in our count's range; a report without a count reads as 0;
* ``victims_*``/``suspects_*``: precision, recall and F1 of names, micro-averaged over records. Gold names are the
  participants of that type whose surname is a word of the report (document level) or of one of the gold
  incident's member reports (incident level); a predicted name (two capitalised words or more) matches on
  surname and, where both have one, first name; precision counts a predicted name right when it matches any
  participant of that type (stated or not). Predictions: the main event's ``people`` of that role (document
  level), the incident record's ``victims``/``suspects`` (incident level);
* ``ages``: of the participants with an age whom one of our people of the same role matches by name, the share
  whose age we give right (``n`` is how many were matched);
* ``address``: our street location contains the street of the GVA address (house number and "N block of"
  dropped, suffixes such as St/Street normalised), scored only over gold records whose address is non-empty
  and whose street the report (or one of the member reports) names.

The baseline runs the pipeline's spaCy model over each report (title and text): first PERSON = victim, second
PERSON = suspect (distinct names, ordered as the roles baseline and ``../shared/checks/roles_eval.py`` order
them: by each name's last mention), first GPE = city, first GPE that is a US state's name = state, first DATE =
date, resolved to an ISO value against the publication day by the pipeline's time normaliser (the first DATE is
often an age, "17-year-old", and then gives no date). An incident's baseline is that of its earliest member
document (in arrival order). It has no counts, ages or street: those lines show no baseline. Each line gives
ours, the baseline, the lift (ours - baseline) and ``n``; a ``baseline_n`` is added where the baseline's
denominator differs (name precision).

A missing prediction (no main event, no incident) counts as wrong. One store is built per (split, limit) and
shared by both evaluations within a process. Unless a limit is given, results for the whole corpus ("all", each
split's documents linked together) are added under ``all``.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from triangulate.evaluate.field_scores import (
    GoldPerson,
    NameCounts,
    address_matches,
    age_hits,
    arrival_order,
    gold_people,
    naive_fields,
    name_words,
    named,
    street_stated,
)
from triangulate.evaluate.registry import EvalOptions, evaluation, need

FIELDS = ("date", "date_within_precision", "city", "state", "killed", "injured")
BASELINE_FIELDS = ("date", "date_within_precision", "city", "state")
NAME_FIELDS = tuple(f"{role}_{m}" for role in ("victims", "suspects") for m in ("precision", "recall", "f1"))
SCORED = (*FIELDS, *NAME_FIELDS, "ages", "address")
ORDER = "publication date (dct), ties by doc_id"
FIELD_MAP = "text=text,published=dct,title=title,url=url,id=doc_id"
_STORES: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_BASELINES: dict[str, dict[str, Any]] = {}


@dataclass(frozen=True, slots=True)
class GoldIncident:
    """The GVA record of one document's incident, normalised."""

    incident_id: str
    date: str
    city: str
    state: str
    killed: int
    injured: int
    address: str = ""
    victims: tuple[GoldPerson, ...] = ()
    suspects: tuple[GoldPerson, ...] = ()


def gold_of(record: dict[str, Any]) -> GoldIncident:
    """A GVC document's incident record: ISO date, city, state, killed, injured, address, victims, suspects."""
    gva = record["gva"]
    date = datetime.strptime(gva["date"].strip(), "%B %d, %Y").date().isoformat()
    return GoldIncident(
        str(record["incident_id"]),
        date,
        gva.get("city_or_county", "").strip(),
        gva.get("state", "").strip(),
        int(gva.get("num_killed") or 0),
        int(gva.get("num_injured") or 0),
        str(gva.get("address") or "").strip(),
        gold_people(gva, "Victim"),
        gold_people(gva, "Subject-Suspect"),
    )


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
    return {
        "date": exact,
        "date_within_precision": within,
        "city": bool(pred.get("city")) and fold(pred["city"]) in city_names(gold.city),
        "state": bool(pred.get("state")) and fold(pred["state"]) == fold(gold.state),
        "killed": count_matches(*pred.get("killed", (None, None)), gold.killed),
        "injured": count_matches(*pred.get("injured", (None, None)), gold.injured),
    }


@dataclass(frozen=True, slots=True)
class Scored:
    """One record to score: our prediction, the baseline's, the gold incident, and the reports that state it."""

    ours: dict[str, Any] | None
    baseline: dict[str, Any] | None
    gold: GoldIncident
    texts: tuple[str, ...]


def _line(ours: float, base: float | None, n: int, base_n: int | None = None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "ours": round(ours, 4),
        "baseline": None if base is None else round(base, 4),
        "lift": None if base is None else round(ours - base, 4),
        "n": n,
    }
    if base_n is not None and base_n != n:
        line["baseline_n"] = base_n
    return line


def score_level(items: list[Scored]) -> dict[str, dict[str, Any]]:
    """Every field of :data:`SCORED` over ``items``: ours, the baseline (None where it has none), lift and n."""
    n = len(items)
    ours = [compare(i.ours, i.gold) for i in items]
    base = [compare(i.baseline, i.gold) for i in items]
    out: dict[str, dict[str, Any]] = {}
    for f in FIELDS:
        share = sum(r[f] for r in ours) / n if n else 0.0
        out[f] = _line(
            share, (sum(r[f] for r in base) / n if n else 0.0) if f in BASELINE_FIELDS else None, n
        )
    words = [set(name_words(" ".join(i.texts))) for i in items]
    ages_n = ages_right = 0
    for role in ("victims", "suspects"):
        counts = {"ours": NameCounts(), "baseline": NameCounts()}
        for item, text_words in zip(items, words, strict=True):
            gold = getattr(item.gold, role)
            for who, pred in (("ours", item.ours), ("baseline", item.baseline)):
                people = named((pred or {}).get(role) or [])
                counts[who].add([str(p["name"]).strip() for p in people], gold, text_words)
                if who == "ours":
                    matched, right = age_hits(people, gold)
                    ages_n, ages_right = ages_n + matched, ages_right + right
        o, b = counts["ours"], counts["baseline"]
        out[f"{role}_precision"] = _line(o.precision, b.precision, o.predicted, b.predicted)
        out[f"{role}_recall"] = _line(o.recall, b.recall, o.gold)
        out[f"{role}_f1"] = _line(o.f1, b.f1, o.gold)
    out["ages"] = _line(ages_right / ages_n if ages_n else 0.0, None, ages_n)
    scored = [i for i in items if i.gold.address and street_stated(i.gold.address, i.texts)]
    hits = sum(address_matches((i.ours or {}).get("address"), i.gold.address) for i in scored)
    out["address"] = _line(hits / len(scored) if scored else 0.0, None, len(scored))
    return out


def load_records(data_dir: Path, split: str, limit: int = 0) -> list[dict[str, Any]]:
    """GVC records of a Bugert et al. (2021) split ('train', 'dev', 'test' or 'all'), in the file's order."""
    path = need(Path(data_dir) / "data" / "gvc" / "gvc_docs_fulltext.jsonl", "GVC documents")
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if split != "all":
        records = [r for r in records if r.get("split_bugert2021") == split]
    return records[:limit] if limit > 0 else records


def report_text(record: dict[str, Any]) -> str:
    """A GVC document's title and text, as the names scorer and the baseline read it."""
    return (record.get("title") or "") + "\n" + record["text"]


def build_store(data_dir: Path, split: str, limit: int = 0) -> tuple[Any, list[dict[str, Any]]]:
    """A store holding the split's documents after a full run (ingest, extract, link, reconcile), fed in arrival
    order (:func:`~.field_scores.arrival_order`); cached. Returns the records in that order."""
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    key = (str(Path(data_dir).resolve()), split, limit)
    records = arrival_order(load_records(data_dir, split, limit))
    if key in _STORES:
        return _STORES[key][0], records
    tmp = tempfile.TemporaryDirectory(prefix="gvc-fields-")
    source = Path(tmp.name) / "gvc.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: r[k] for k in ("doc_id", "title", "dct", "url", "text")}) + "\n")
    store = Store.open(Path(tmp.name) / "gvc.db")
    run(store, [source], field_map=FieldMap.parse(FIELD_MAP))
    _STORES[key] = (store, tmp)  # the temporary folder lives as long as the cached store
    return store, records


def baselines(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The naive NER baseline of each document (:func:`~.field_scores.naive_fields`), by doc_id; cached."""
    from triangulate.evaluate.roles import ner_entities

    todo = [r for r in records if r["doc_id"] not in _BASELINES]
    for r, ents in zip(todo, ner_entities(report_text(r) for r in todo), strict=True):
        _BASELINES[r["doc_id"]] = naive_fields(ents, str(r.get("dct") or ""))
    return {r["doc_id"]: _BASELINES[r["doc_id"]] for r in records}


def _place_fields(place: dict[str, Any]) -> dict[str, Any]:
    precision = place.get("precision")
    return {
        "city": place.get("name") if precision in ("city", "point") else "",
        "state": place.get("admin1") or (place.get("name") if precision == "admin1" else ""),
    }


def document_predictions(store: Any) -> dict[str, dict[str, Any]]:
    """Each document's main event as comparable fields, by external id."""
    out: dict[str, dict[str, Any]] = {}
    for row in store.query(
        "SELECT e.record, d.external_id FROM events e JOIN documents d ON d.id = e.doc_id "
        "WHERE e.role = 'main'"
    ):
        rec = json.loads(row["record"])
        pred: dict[str, Any] = {
            "date": (rec.get("date") or {}).get("value"),
            **_place_fields(rec.get("place") or {}),
        }
        # The report's own city and state (its dateline, else its first city), where the entity layer found them.
        pred["city"] = (rec.get("city") or {}).get("value") or pred["city"]
        pred["state"] = (rec.get("state") or {}).get("value") or pred["state"]
        for name, field in (("killed", "killed"), ("injured", "wounded")):
            counts = [c for c in rec.get("counts", []) if c["field"] == field]
            best = max(counts, key=lambda c: (not c.get("vague"), c["low"]), default=None)
            pred[name] = (best["low"], best["high"]) if best else (None, None)
        people = rec.get("people") or []
        pred["victims"] = [p for p in people if p.get("role") == "victim"]
        pred["suspects"] = [p for p in people if p.get("role") == "suspect"]
        pred["address"] = (rec.get("address") or {}).get("value")
        out[row["external_id"]] = pred
    return out


def incident_predictions(store: Any) -> tuple[dict[str, int], dict[int, dict[str, Any]]]:
    """Which incident holds each document (as main document), and each incident's chosen values
    (with its victims, suspects and street location)."""
    from triangulate.export.incidents import incident_rows_native

    ext = {r["id"]: r["external_id"] for r in store.query("SELECT id, external_id FROM documents")}
    member: dict[str, int] = {}
    chosen: dict[int, dict[str, Any]] = {}
    for row in incident_rows_native(store):
        for doc in row["main_documents"]:
            member.setdefault(ext[doc], int(row["id"]))
        fields = row["fields"]
        place_field = fields.get("place") or {}
        detail = next(
            (
                c.get("detail") or {}
                for c in place_field.get("candidates", [])
                if c.get("value") == place_field.get("chosen")
            ),
            {},
        )
        chosen[int(row["id"])] = {
            "date": (fields.get("date") or {}).get("chosen") or None,
            "city": row.get("city")
            or (place_field.get("chosen") if detail.get("precision") in ("city", "point") else ""),
            "state": row.get("state")
            or detail.get("admin1")
            or (place_field.get("chosen") if detail.get("precision") == "admin1" else ""),
            "killed": parse_range((fields.get("killed") or {}).get("chosen")),
            "injured": parse_range((fields.get("wounded") or {}).get("chosen")),
            "victims": row.get("victims") or [],
            "suspects": row.get("suspects") or [],
            "address": row.get("address"),
        }
    return member, chosen


def evaluate(data_dir: Path, split: str = "test", limit: int = 0, incidents: bool = True) -> dict[str, Any]:
    """Field scores on ``split``: document level, and (``incidents``) incident level and the earliest document of
    each gold incident, each field beside the naive NER baseline."""
    store, records = build_store(data_dir, split, limit)
    base = baselines(records)
    doc_preds = document_predictions(store)
    by_incident: dict[str, list[dict[str, Any]]] = {}
    for r in records:  # in arrival order: each incident's first document is its earliest
        by_incident.setdefault(str(r["incident_id"]), []).append(r)

    def of_document(r: dict[str, Any]) -> Scored:
        return Scored(doc_preds.get(r["doc_id"]), base[r["doc_id"]], gold_of(r), (report_text(r),))

    result: dict[str, Any] = {
        "split": split,
        "order": ORDER,
        "documents": len(records),
        "with_main_event": sum(r["doc_id"] in doc_preds for r in records),
    }
    if incidents:
        member, chosen = incident_predictions(store)
        items = []
        for docs in by_incident.values():
            votes = Counter(member[d["doc_id"]] for d in docs if d["doc_id"] in member)
            best = min(votes, key=lambda i: (-votes[i], i)) if votes else None
            items.append(
                Scored(
                    chosen.get(best) if best is not None else None,
                    base[docs[0]["doc_id"]],
                    gold_of(docs[0]),
                    tuple(report_text(d) for d in docs),
                )
            )
        result.update(
            {
                "gold_incidents": len(by_incident),
                "predicted_incidents": len(set(member.values())),
                "incident_level": score_level(items),
            }
        )
    result["document_level"] = score_level([of_document(r) for r in records])
    if incidents:
        result["first_document_per_incident"] = score_level(
            [of_document(docs[0]) for docs in by_incident.values()]
        )
    return result


def evaluate_documents(data_dir: Path, split: str = "test", limit: int = 0) -> dict[str, Any]:
    """Document-level field scores on ``split`` beside the baseline."""
    return evaluate(data_dir, split, limit, incidents=False)


def evaluate_incidents(data_dir: Path, split: str = "test", limit: int = 0) -> dict[str, Any]:
    """Incident-level scores (each gold incident vs the predicted incident holding most of its documents), next to
    document-level scores over the same documents, each beside the baseline."""
    return evaluate(data_dir, split, limit, incidents=True)


LEVELS = ("document_level", "incident_level", "first_document_per_incident")


def table(result: dict[str, Any]) -> str:
    """The result as a Markdown table: one line per split, level and field with ours, baseline, lift and n."""

    def cell(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    lines = ["| split | level | field | ours | baseline | lift | n |", "|---|---|---|---|---|---|---|"]
    for part in (result, result.get("all")):
        if not part:
            continue
        for level in LEVELS:
            for field, v in (part.get(level) or {}).items():
                n = f"{v['n']}" + (f" (baseline {v['baseline_n']})" if "baseline_n" in v else "")
                lines.append(
                    f"| {part['split']} | {level.removesuffix('_level')} | {field} | {cell(v['ours'])} | "
                    f"{cell(v['baseline'])} | {cell(v['lift'])} | {n} |"
                )
    return "\n".join(lines)


def _with_all(fn: Any, data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    result = fn(data_dir, options.split, options.limit)
    if options.split != "all" and not options.limit:
        result["all"] = fn(data_dir, "all", 0)
    result["table"] = table(result)
    return result


@evaluation(
    "gvc-fields",
    "GVC: each document's main event (date, place, counts, names, ages, street) vs its GVA "
    "record, beside a naive NER baseline.",
)
def gvc_fields(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return _with_all(evaluate_documents, data_dir, options)


@evaluation(
    "gvc-incidents",
    "GVC: reconciled incident fields vs the GVA record, with document-level scores and a naive NER baseline.",
)
def gvc_incidents(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return _with_all(evaluate_incidents, data_dir, options)
