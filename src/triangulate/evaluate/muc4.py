"""MUC-4 event templates (GTT protocol): our pipeline's event records mapped to incident templates and scored.

The documents of a split (``data/muc4/processed/{split}.json``: GTT's 1300/200/200 split, lowercased text) are
true-cased (:mod:`triangulate.evaluate.truecase`, acronyms learned from the TRAIN split only), ingested into a
fresh store and extracted with the ordinary pipeline (``extract``). Each document's event records then become
templates:

* incident type: ASSAULT/explosives -> bombing, ASSAULT/abduction|hostage-taking -> kidnapping, ASSAULT/arson ->
  arson, ASSAULT/robbery -> robbery, PROTEST/armed-strike -> forced work stoppage, other ASSAULT -> attack; FIGHT
  (clashes between armed forces), ARREST, CAPTURE and the rest are not MUC incidents; only asserted events count;
* one template per incident type in the document (events of one type merged), the main event's first;
* PerpInd / PerpOrg from the perpetrators (an organisation by actor type, NER label, acronym or head noun),
  Victim / Target from the victims (physical heads become targets, :mod:`triangulate.extract.events.targets`),
  Weapon from :mod:`triangulate.extract.events.weapons`.

Two settings are reported: ``pipeline`` (the above) and ``rules`` (the above plus a lexicon of perpetrator
organisations learned from TRAIN gold templates, :func:`perp_org_lexicon`: the document's most named one fills
PerpOrg). Scores use the faithful GTT scorer in :mod:`triangulate.evaluate.gtt_score`.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triangulate.evaluate.gtt_score import ROLES, Template, gold_templates, normalize_string, score
from triangulate.evaluate.registry import EvalOptions, evaluation, need

log = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")
MUC_TYPES = ("attack", "bombing", "kidnapping", "arson", "robbery", "forced work stoppage")
_ORG_HEADS = {
    "front",
    "army",
    "party",
    "movement",
    "organization",
    "organisation",
    "group",
    "command",
    "cartel",
    "forces",
    "union",
    "council",
    "battalion",
    "brigade",
    "directorate",
    "government",
    "police",
    "guard",
    "squad",
    "squads",
    "alliance",
    "federation",
    "committee",
    "commandos",
    "mafia",
    "ministry",
    "junta",
    "path",
    "fmln",
    "fsln",
    "eln",
    "farc",
    "urng",
    "mrta",
    "epl",
    "guardia",
    "navy",
    "institute",
}
_PERP_IND_HEADS = {
    "guerrilla",
    "guerrillas",
    "terrorist",
    "terrorists",
    "man",
    "men",
    "individual",
    "individuals",
    "gunman",
    "gunmen",
    "member",
    "members",
    "commando",
    "subversive",
    "subversives",
    "assassin",
    "assassins",
    "soldier",
    "soldiers",
    "rebel",
    "rebels",
    "criminal",
    "criminals",
    "attacker",
    "attackers",
    "kidnapper",
    "kidnappers",
    "hitman",
    "hitmen",
    "unit",
    "column",
    "detachment",
    "youth",
    "youths",
    "woman",
    "women",
    "people",
    "persons",
    "person",
    "militia",
    "extremists",
    "extremist",
    "insurgents",
    "insurgent",
    "narcoterrorists",
    "trafficker",
    "traffickers",
    "sicarios",
    "policemen",
    "troops",
    "patrol",
    "agents",
    "thugs",
    "killer",
    "killers",
    "bandits",
    "band",
    "paramilitary",
}
_COMBATANTS = {
    "soldier",
    "subversive",
    "guerrilla",
    "terrorist",
    "extremist",
    "troop",
    "rebel",
    "position",
    "insurgent",
    "combatant",
    "army",
    "member",
    "casualty",
    "unit",
    "patrol",
    "criminal",
    "attacker",
}
_PARTITIVE = {
    "member",
    "members",
    "group",
    "unit",
    "column",
    "squad",
    "commando",
    "band",
    "cell",
    "detachment",
    "militant",
    "militants",
    "faction",
    "leader",
    "leaders",
}
_SKIP_FILLERS = {
    "",
    "who",
    "which",
    "that",
    "they",
    "them",
    "he",
    "she",
    "it",
    "one",
    "some",
    "others",
    "anyone",
    "someone",
    "somebody",
    "everyone",
    "people",
    "those",
    "this",
    "these",
    "all",
}


@dataclass(slots=True)
class MucDoc:
    """One MUC-4 document with its gold templates (scorer format)."""

    docid: str
    text: str
    templates: list[Template] = field(default_factory=list)


def load_split(data_dir: Path, split: str, limit: int = 0) -> list[MucDoc]:
    """The documents of ``split`` from ``data_dir/data/muc4/processed`` (``limit`` > 0 keeps the first n)."""
    folder = need(Path(data_dir) / "data" / "muc4" / "processed", "MUC-4 data")
    docs: list[MucDoc] = []
    for name in SPLITS if split == "all" else (split,):
        path = need(folder / f"{name}.json", f"MUC-4 {name} split")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    raw = json.loads(line)
                    docs.append(MucDoc(raw["docid"], raw["doctext"], gold_templates(raw["templates"])))
    return docs[:limit] if limit > 0 else docs


def train_texts(data_dir: Path) -> Iterator[str]:
    """TRAIN texts (for the truecaser's acronyms; never dev or test)."""
    for doc in load_split(data_dir, "train"):
        yield doc.text


def muc_type(event_type: str, mode: str) -> str | None:
    """The MUC incident type of one of our (type, mode) pairs, or None when it is not a MUC incident."""
    if event_type == "ASSAULT":
        return {
            "explosives": "bombing",
            "suicide-attack": "bombing",
            "abduction": "kidnapping",
            "hostage-taking": "kidnapping",
            "arson": "arson",
            "robbery": "robbery",
        }.get(mode, "attack")
    if event_type == "PROTEST" and mode == "armed-strike":
        return "forced work stoppage"
    return None


@dataclass(slots=True)
class DocRun:
    """One document after the pipeline: stored text, its parse and our event rows."""

    docid: str
    text: str
    parsed: Any
    events: list[dict[str, Any]]


def run_pipeline(docs: Sequence[MucDoc], truecase: Any, workdir: Path) -> list[DocRun]:
    """Ingest the true-cased documents into a fresh store, extract, and return each document's events and parse."""
    from triangulate.export.incidents import event_rows
    from triangulate.extract.nlp import load_base_model
    from triangulate.ingest.pipeline import ingest
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.extract import extract
    from triangulate.settings import Settings
    from triangulate.store.db import Store

    source = workdir / "muc4.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps({"id": doc.docid, "text": truecase(doc.text)}) + "\n")
    settings = Settings(min_text_chars=1)
    store = Store.open(workdir / "muc4.db")
    try:
        ingest(store, [source], field_map=FieldMap({"id": "id", "text": "text"}), settings=settings)
        extract(store, settings)
        texts = {
            r["external_id"]: (r["id"], r["text"])
            for r in store.query("SELECT id, external_id, text FROM documents")
        }
        events: dict[int, list[dict[str, Any]]] = {}
        for row in event_rows(store):
            events.setdefault(row["document"], []).append(row)
    finally:
        store.close()
    nlp = load_base_model(settings.spacy_model)
    order = [d.docid for d in docs if d.docid in texts]
    parsed = nlp.pipe((texts[d][1] for d in order), batch_size=32)
    return [
        DocRun(d, texts[d][1], p, events.get(texts[d][0], [])) for d, p in zip(order, parsed, strict=True)
    ]


# --- rules: events -> templates -------------------------------------------------------------------------------


def _span_root(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def filler_text(doc: Any, start: int, end: int, name: str = "") -> str:
    """The minimal phrase of a participant: left modifiers and head, plus an 'of' phrase after a partitive."""
    from triangulate.extract.events.weapons import phrase

    root = _span_root(doc, start, end)
    if root is None:
        return name
    if root.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC") and root.ent_iob_ != "O":
        ent = next((e for e in doc.ents if e.start <= root.i < e.end), None)
        if ent is not None:
            if (
                ent.label_ == "PERSON"
            ):  # the fullest form of the name in the document ("Oqueli" -> "Hector Oqueli Colindres")
                words = set(ent.text.lower().split())
                longer = [
                    e.text for e in doc.ents if e.label_ == "PERSON" and words <= set(e.text.lower().split())
                ]
                return max(longer, key=len)
            return ent.text
    s, e = phrase(root, with_of=root.lower_ in _PARTITIVE)
    return doc.text[s:e]


def _is_org(p: dict[str, Any], root: Any) -> bool:
    if p.get("kind") in (
        "armed_group",
        "state_force",
        "government_body",
        "media_outlet_of_group",
        "political_party",
    ):
        return True
    if root is None:
        return False
    if root.ent_type_ == "ORG" or (root.text.isupper() and len(root.text) >= 2):
        return True
    return root.lower_ in _ORG_HEADS and root.lower_ not in _PERP_IND_HEADS


def event_fillers(run: DocRun, event: dict[str, Any]) -> dict[str, list[str]]:
    """Role-filler strings for one event record (rules setting)."""
    from triangulate.extract.events.targets import is_physical, targets_for
    from triangulate.extract.events.weapons import instruments_for

    doc = run.parsed
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for p in event.get("participants", []):
        if p.get("start", -1) < 0:
            continue
        root = _span_root(doc, p["start"], p["end"])
        text = filler_text(doc, p["start"], p["end"], p.get("name", ""))
        if p["role"] == "perpetrator":
            out["PerpOrg" if _is_org(p, root) else "PerpInd"].append(text)
        elif p["role"] == "victim":
            if root is not None and root.lemma_.lower() in _COMBATANTS:
                continue  # soldiers and guerrillas killed in combat are not MUC victims
            out["Target" if root is not None and is_physical(root) else "Victim"].append(text)
        elif p["role"] == "target":
            out["Target"].append(text)
        elif p["role"] == "instrument":
            out["Weapon"].append(text)
    trigger = _span_root(doc, event["trigger_start"], event["trigger_end"])
    if trigger is not None and not any(
        p["role"] in ("target", "instrument") for p in event.get("participants", [])
    ):
        # the targets/weapons hook is not in detector.py yet: apply it here on the same parse
        out["Target"] += [p.name for p in targets_for(trigger)]
        out["Weapon"] += [p.name for p in instruments_for(trigger)]
    return out


def _extra_events(run: DocRun) -> list[dict[str, Any]]:
    """Arson, robbery and armed-strike triggers (extra_triggers.py) as event-like rows, until the hook lands."""
    from triangulate.extract.events.extra_triggers import extra_triggers
    from triangulate.extract.events.roles import roles_for
    from triangulate.extract.events.triggers import modality

    rows = []
    have = {(e["trigger_start"], e.get("mode")) for e in run.events}
    for index, sent in enumerate(run.parsed.sents):
        for tok, ty, mode in extra_triggers(sent):
            if (tok.idx, mode) in have or modality(tok) != "asserted":
                continue
            parts = [
                {"role": p.role, "name": p.name, "kind": p.kind, "start": p.start, "end": p.end}
                for p in roles_for(tok, [])
                if p.kind != "pronoun"
            ]
            rows.append(
                {
                    "role": "background",
                    "event_type": ty,
                    "mode": mode,
                    "modality": "asserted",
                    "sentence": index,
                    "trigger_start": tok.idx,
                    "trigger_end": tok.idx + len(tok),
                    "participants": parts,
                }
            )
    return rows


def _clean(values: list[str]) -> list[list[str]]:
    seen: set[str] = set()
    out: list[list[str]] = []
    for v in values:
        key = normalize_string(v)
        if key in _SKIP_FILLERS or key in seen or len(key) > 60:
            continue
        seen.add(key)
        out.append([v])
    return out


def perp_org_lexicon(
    docs: Sequence[MucDoc], min_count: int = 2, min_precision: float = 0.2
) -> dict[str, int]:
    """A lexicon of perpetrator organisations learned from TRAIN gold templates: normalised PerpOrg mention strings
    seen at least ``min_count`` times, kept when at least ``min_precision`` of the training documents naming them
    have them as a perpetrator organisation ("fmln" stays; "army" and "government" go)."""
    from collections import Counter

    gold: Counter[str] = Counter()
    for doc in docs:
        gold.update({normalize_string(m) for t in doc.templates for ent in t["PerpOrg"] for m in ent})
    keep = {k for k, v in gold.items() if v >= min_count and len(k) > 1}
    named: Counter[str] = Counter()
    for doc in docs:
        norm = " " + normalize_string(doc.text) + " "
        named.update(k for k in keep if f" {k} " in norm)
    return {k: gold[k] for k in keep if gold[k] >= min_precision * named[k]}


def _document_orgs(text: str, lexicon: dict[str, int]) -> list[str]:
    """The lexicon organisation mentioned most in the document, with its other names found there."""
    import re

    norm = " " + normalize_string(text) + " "
    found = {k: norm.count(f" {k} ") for k in lexicon if f" {k} " in norm}
    if not found:
        return []
    best = max(found, key=lambda k: (found[k], len(k)))
    names = [best]
    for m in re.finditer(r"([a-z][a-z .'-]{3,80}?) \(([a-z0-9-]{2,8})\)", text.lower()):
        full, short = normalize_string(m.group(1)), normalize_string(m.group(2))
        if short == best or full.endswith(best):
            other = short if full.endswith(best) else next((k for k in found if full.endswith(k)), "")
            if other and other != best:
                names.append(other)
    return names


def rules_templates(run: DocRun, extra: bool = True, orgs: dict[str, int] | None = None) -> list[Template]:
    """One template per MUC incident type among the document's asserted events (main event's type first)."""
    events = [
        e for e in run.events + (_extra_events(run) if extra else []) if e.get("modality") == "asserted"
    ]
    events.sort(key=lambda e: (e.get("role") != "main", e.get("sentence", 0)))
    templates: dict[str, dict[str, list[str]]] = {}
    for event in events:
        kind = muc_type(event["event_type"], event.get("mode") or "")
        if kind is None:
            continue
        slots = templates.setdefault(kind, {r: [] for r in ROLES})
        for role, values in event_fillers(run, event).items():
            slots[role] += values
    if orgs and templates:
        for name in _document_orgs(run.text, orgs):
            for slots in templates.values():
                if not any(normalize_string(v) == name for v in slots["PerpOrg"]):
                    slots["PerpOrg"].append(name)
    out = [
        {"incident_type": kind, **{r: _clean(v) for r, v in slots.items()}}
        for kind, slots in templates.items()
    ]
    # an empty template is a guess at a type alone: keep only the first (the main event's)
    return [t for i, t in enumerate(out) if i == 0 or any(t[r] for r in ROLES)]


# --- the evaluation ------------------------------------------------------------------------------------------


def _rounded(result: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {
        k: {
            "p": round(100 * v["p"], 2),
            "r": round(100 * v["r"], 2),
            "f1": round(100 * v["f1"], 2),
            "p_num": int(v["p_num"]),
            "p_den": int(v["p_den"]),
            "r_num": int(v["r_num"]),
            "r_den": int(v["r_den"]),
        }
        for k, v in result.items()
    }


def evaluate(data_dir: Path, split: str = "test", limit: int = 0) -> dict[str, Any]:
    """Run the pipeline on a split and score the pipeline and rules templates."""
    from triangulate.evaluate.truecase import build_truecaser

    started = time.perf_counter()
    docs = load_split(data_dir, split, limit)
    truecase = build_truecaser(train_texts(data_dir))
    with tempfile.TemporaryDirectory() as tmp:
        runs = run_pipeline(docs, truecase, Path(tmp))
    golds = {d.docid: d.templates for d in docs}
    orgs = perp_org_lexicon(load_split(data_dir, "train"))
    settings: dict[str, dict[str, list[Template]]] = {
        "pipeline": {r.docid: rules_templates(r) for r in runs},
        "rules": {r.docid: rules_templates(r, orgs=orgs) for r in runs},
    }
    report: dict[str, Any] = {
        "split": split,
        "documents": len(docs),
        "gold_templates": sum(len(t) for t in golds.values()),
        "anchor": {"system": "GTT (Du et al. 2021), test", "p": 61.69, "r": 42.36, "f1": 50.23},
    }
    for name, preds in settings.items():
        report[name] = {
            "predicted_templates": sum(len(t) for t in preds.values()),
            **_rounded(score(preds, golds)),
        }
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


@evaluation(
    "muc4",
    "MUC-4 event templates (GTT split and scorer): incident type, PerpInd, PerpOrg, Target, Victim, Weapon.",
)
def muc4(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return evaluate(data_dir, options.split, options.limit)
