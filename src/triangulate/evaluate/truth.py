"""Corroboration that can be trusted, measured against a hand-made answer key (issue 23).

For each gold incident, the predicted incident holding most of its reports is scored on:

* **reports** and **mentions**: precision and recall of its report documents (``main_documents``) and of the
  documents that only mention it (``mention_documents``), pooled over incidents (the gold's ``mentioned_in``
  less its reports; a mention in page furniture, ``boilerplate_mentions``, is scored neither way);
* **independent sources**: whether its count equals the gold's (the gold's reports, exact and near copies counted
  once);
* **claims**: speaker and stance (claims, denies) of every claim and denial, against the gold's ``claimed_by`` and
  ``denied_by``;
* **foreign contradictions**: a killed or wounded count flagged as contradicted while one of the values that
  make the contradiction (stated by a report, or by two sources) is another gold incident's count and not this
  one's (a toll restated from another incident).

``triangulate eval examples`` runs the pipeline on the example corpus, fed by publication date.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from triangulate.evaluate.registry import EvalOptions, evaluation
from triangulate.reconcile.status import acronym
from triangulate.store.db import Store

ROOT = Path(__file__).resolve().parents[3]
STANCES = (("claimed_by", "claims"), ("denied_by", "denies"))


def _speaker(text: str) -> str:
    """The speaker of a gold ``claimed_by`` or ``denied_by`` entry: the words before its comment."""
    return re.split(r"\s*[(:]", text, maxsplit=1)[0].strip()


def same_speaker(gold: str, predicted: str) -> bool:
    """One speaker, however written: 'Northern Liberation Front', 'the NLF', 'Russian defence ministry'."""
    a = re.sub(r"^the\s+", "", gold.casefold()).strip()
    b = re.sub(r"^the\s+", "", predicted.casefold()).strip()
    if not a or not b:
        return False
    return (
        a == b or a in b or b in a or predicted.strip() == acronym(gold) or gold.strip() == acronym(predicted)
    )


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / gold if gold else 1.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
    }


def _groups(docs: set[str], copies: list[list[str]]) -> int:
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in copies:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    return len({find(d) for d in docs})


def score_truth(rows: list[dict[str, Any]], names: dict[int, str], gold: dict[str, Any]) -> dict[str, Any]:
    """Score exported incident rows (``export.incidents.incident_rows``) against a gold answer key."""
    copies = [pair for kind in ("exact", "near") for pair in (gold.get("duplicates") or {}).get(kind, [])]
    counts = {g["id"]: {k: g.get(k) for k in ("killed", "wounded")} for g in gold["incidents"]}
    tallies = {k: [0, 0, 0] for k in ("reports", "mentions", "claims")}  # true positives, predicted, gold
    exact_sources, foreign, details = 0, 0, []
    for g in gold["incidents"]:
        reports = set(g["documents"])
        # A report that also mentions its incident is a report; a mention in page furniture is scored neither way.
        boilerplate = set(g.get("boilerplate_mentions") or [])
        mentions = set(g.get("mentioned_in") or []) - reports - boilerplate
        row = max(rows, key=lambda r: len({names[d] for d in r["main_documents"]} & reports), default=None)
        got_reports = {names[d] for d in row["main_documents"]} if row else set()
        if not got_reports & reports:
            row, got_reports = None, set()
        got_mentions = {names[d] for d in (row or {}).get("mention_documents", [])} - boilerplate
        for key, want, got in (("reports", reports, got_reports), ("mentions", mentions, got_mentions)):
            tallies[key][0] += len(want & got)
            tallies[key][1] += len(got)
            tallies[key][2] += len(want)
        want_sources = _groups(reports, copies)
        got_sources = int(row["n_independent"]) if row else 0
        exact_sources += want_sources == got_sources
        status = (row or {}).get("verification") or {}
        gold_claims = [(_speaker(s), stance) for key, stance in STANCES for s in g["status"].get(key, [])]
        got_claims = [(s, stance) for key, stance in STANCES for s in status.get(key, [])]
        matched = sum(
            1 for s, st in gold_claims if any(st == t and same_speaker(s, p) for p, t in got_claims)
        )
        tallies["claims"][0] += matched
        tallies["claims"][1] += len(got_claims)
        tallies["claims"][2] += len(gold_claims)
        others = {str(v) for gid, c in counts.items() if gid != g["id"] for v in c.values() if v is not None}
        for name in ("killed", "wounded"):
            field = ((row or {}).get("fields") or {}).get(name) or {}
            values = {  # the values that make the contradiction: a report states them, or two sources do
                str(c.get("value"))
                for c in field.get("candidates", [])
                if int(c.get("independent") or 0) >= 2
                or any(e.get("role") == "main" for e in c.get("evidence", []))
            }
            if field.get("contradiction") and values & (others - {str(g.get(name))}):
                foreign += 1
        details.append(
            {
                "gold": g["id"],
                "predicted": row["id"] if row else None,
                "missing_reports": sorted(reports - got_reports),
                "extra_reports": sorted(got_reports - reports),
                "missing_mentions": sorted(mentions - got_mentions),
                "extra_mentions": sorted(got_mentions - mentions),
                "independent_sources": [want_sources, got_sources],
                "claims": [gold_claims, got_claims],
            }
        )
    n = len(gold["incidents"])
    return {
        "incidents": n,
        "reports": _prf(*tallies["reports"]),
        "mentions": _prf(*tallies["mentions"]),
        "independent_sources_exact": round(exact_sources / n, 3) if n else 1.0,
        "claims": _prf(*tallies["claims"]),
        "foreign_contradictions": foreign,
        "incidents_detail": details,
    }


def examples_by_date(corpus: Path, manifest: Path) -> list[Path]:
    """The example reports in the order news arrives: by the manifest's publication date, then file name."""
    published = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            published[entry["file"]] = entry.get("published") or ""
    return sorted(corpus.glob("*.txt"), key=lambda f: (published.get(f.name, ""), f.name))


@evaluation(
    "examples",
    "The example corpus against examples/gold.json, fed by publication date: reports and mentions "
    "(P/R/F1), exact independent-source counts, claims and denials (speaker + stance), foreign "
    "contradictions.",
    splits=(),
)
def examples(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    from triangulate.export.incidents import incident_rows
    from triangulate.pipeline.run import run

    folder = ROOT / "examples"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "examples.db") as store:
        manifest = folder / "corpus_manifest.jsonl"
        run(store, examples_by_date(folder / "corpus", manifest), manifest=manifest)
        names = {r[0]: Path(r[1]).name for r in store.query("SELECT id, source FROM documents")}
        return score_truth(list(incident_rows(store)), names, gold)
