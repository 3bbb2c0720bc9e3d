"""The GTT role-filler template scorer (Du et al. 2021, xinyadu/gtt ``eval.py``), reimplemented faithfully.

Protocol, as in the released script:

* strings are normalised: lowercase, punctuation removed, the articles a/an/the removed, whitespace collapsed;
* a template is ``{"incident_type": str, "PerpInd": [entity, ...], ...}``; an entity is a list of mention strings;
  gold entities list every coreferent mention, a predicted entity usually one;
* a predicted entity matches a gold entity when *every* predicted mention is among the gold entity's mentions;
* per document, every injective mapping of predicted templates to gold templates (or to none) is tried, in the
  order of ``itertools.product(gold indices + [-1])``, and the first with the best micro F1 is kept; a mapped
  pair only counts when the predicted incident type is a substring of the gold one ("attack" in
  "attack / bombing"); otherwise both templates count as unmatched;
* within a matched pair, precision counts each predicted entity that matches any gold entity of the role and
  recall each gold entity matched by any predicted entity (no one-to-one constraint); incident type counts one
  correct on both sides;
* counts of all documents are summed per role, and micro P/R/F1 is over the six roles.

Differences from the script are only in speed: injective mappings are generated directly, in the same order,
instead of filtering the full product.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
KEYS = ("incident_type", *ROLES)
Template = dict[str, Any]
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCT = set(string.punctuation)


def normalize_string(s: str) -> str:
    """Lower text and remove punctuation, articles and extra whitespace (GTT's normalisation)."""
    s = "".join(ch for ch in s.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", s).split())


def f1(p_num: int, p_den: int, r_num: int, r_den: int) -> float:
    """F1 from counts; 0 when either side is empty."""
    p = 0 if p_den == 0 else p_num / p_den
    r = 0 if r_den == 0 else r_num / r_den
    return 0 if p + r == 0 else 2 * p * r / (p + r)


def _matching(gold_entity: Sequence[str], pred_entity: Sequence[str]) -> bool:
    return all(m in gold_entity for m in pred_entity)


def _empty() -> dict[str, dict[str, float]]:
    return {k: {"p_num": 0, "p_den": 0, "r_num": 0, "r_den": 0} for k in (*KEYS, "micro_avg")}


def _finish(result: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    micro = result["micro_avg"]
    for c in ("p_num", "p_den", "r_num", "r_den"):
        micro[c] = sum(result[k][c] for k in KEYS)
    for counts in result.values():
        counts["p"] = 0 if counts["p_num"] == 0 else counts["p_num"] / counts["p_den"]
        counts["r"] = 0 if counts["r_num"] == 0 else counts["r_num"] / counts["r_den"]
        counts["f1"] = f1(
            int(counts["p_num"]), int(counts["p_den"]), int(counts["r_num"]), int(counts["r_den"])
        )
    return result


def score_mapping(
    mapping: Mapping[int, int], pred: Sequence[Template], gold: Sequence[Template]
) -> dict[str, dict[str, float]]:
    """Counts for one document under one mapping of predicted to gold template indices (-1: unmapped)."""
    res = _empty()
    mapped_pred: set[int] = set()
    mapped_gold: set[int] = set()
    for p_idx, g_idx in mapping.items():
        p_temp = pred[p_idx]
        p_type = p_temp["incident_type"] if isinstance(p_temp["incident_type"], str) else "attack"
        if g_idx == -1 or p_type not in gold[g_idx]["incident_type"]:
            continue
        mapped_pred.add(p_idx)
        mapped_gold.add(g_idx)
        g_temp = gold[g_idx]
        for role in p_temp:
            if role == "incident_type":
                res[role]["p_den"] += 1
                res[role]["p_num"] += 1
                continue
            for ent in p_temp[role]:
                res[role]["p_den"] += 1
                res[role]["p_num"] += any(_matching(g, ent) for g in g_temp[role])
        for role in g_temp:
            if role == "incident_type":
                res[role]["r_den"] += 1
                res[role]["r_num"] += 1
                continue
            for ent in g_temp[role]:
                res[role]["r_den"] += 1
                res[role]["r_num"] += any(_matching(ent, p) for p in p_temp.get(role, []))
    for p_idx, p_temp in enumerate(pred):
        if p_idx not in mapped_pred:
            for role in p_temp:
                res[role]["p_den"] += 1 if role == "incident_type" else len(p_temp[role])
    for g_idx, g_temp in enumerate(gold):
        if g_idx not in mapped_gold:
            for role in g_temp:
                res[role]["r_den"] += 1 if role == "incident_type" else len(g_temp[role])
    return _finish(res)


def injective_mappings(n_pred: int, n_gold: int) -> Iterator[dict[int, int]]:
    """Mappings pred -> gold-or--1 with no gold used twice, in ``itertools.product`` order."""
    values = [*range(n_gold), -1]
    chosen: list[int] = []

    def walk(k: int) -> Iterator[dict[int, int]]:
        if k == n_pred:
            yield dict(enumerate(chosen))
            return
        for v in values:
            if v != -1 and v in chosen:
                continue
            chosen.append(v)
            yield from walk(k + 1)
            chosen.pop()

    yield from walk(0)


def best_mapping(
    pred: Sequence[Template], gold: Sequence[Template]
) -> tuple[dict[int, int], dict[str, dict[str, float]]]:
    """The first mapping with the highest micro F1, and its counts."""
    best: tuple[dict[int, int], dict[str, dict[str, float]]] | None = None
    for mapping in injective_mappings(len(pred), len(gold)):
        result = score_mapping(mapping, pred, gold)
        if best is None or result["micro_avg"]["f1"] > best[1]["micro_avg"]["f1"]:
            best = (mapping, result)
    assert best is not None  # there is always at least the empty or all-unmapped mapping
    return best


def normalize_templates(templates: Sequence[Template]) -> list[Template]:
    """Normalised mention strings; entities left empty by normalisation are kept (as the script does)."""
    return [
        {
            k: (
                t[k] if k == "incident_type" else [[normalize_string(m) for m in ent] for ent in t.get(k, [])]
            )
            for k in t
        }
        for t in templates
    ]


def gold_templates(raw: Sequence[dict[str, Any]]) -> list[Template]:
    """GTT ``processed/*.json`` templates -> scorer templates: mention strings only, empty entities dropped,
    duplicate templates dropped (compared before normalisation, as in the script)."""
    out: list[Template] = []
    for t in raw:
        template: Template = {}
        for role, value in t.items():
            if role == "incident_type":
                template[role] = value
            else:
                template[role] = [[m[0] for m in ent] for ent in value if ent]
        if template not in out:
            out.append(template)
    return out


def score(
    preds: Mapping[str, Sequence[Template]],
    golds: Mapping[str, Sequence[Template]],
    docids: Sequence[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Per-role and micro P/R/F1 over ``docids`` (default: every gold document); missing predictions are empty."""
    total = _empty()
    for docid in docids if docids is not None else list(golds):
        pred = normalize_templates(preds.get(docid, []))
        gold = normalize_templates(golds[docid])
        _, best = best_mapping(pred, gold)
        for key in KEYS:
            for c in ("p_num", "p_den", "r_num", "r_den"):
                total[key][c] += best[key][c]
    return _finish(total)
