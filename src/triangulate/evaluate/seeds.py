"""Scoring a store built from the seed reports (or the example corpus) against an incident-gold/1 file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from triangulate.evaluate.clusters import score_clusters
from triangulate.export.incidents import incident_rows_native
from triangulate.store.db import Store


def _doc_names(store: Store) -> dict[int, str]:
    return {r[0]: Path(r[1]).name for r in store.query("SELECT id, source FROM documents")}


def score_seeds(store: Store, gold: dict[str, Any]) -> dict[str, Any]:
    """Clustering (B-cubed, pairwise) of main documents, and per-incident field agreement."""
    names = _doc_names(store)
    rows = list(incident_rows_native(store))
    predicted: dict[str, str] = {}
    for row in rows:
        for doc in row["main_documents"]:
            predicted.setdefault(names[doc], str(row["id"]))
    gold_map = {d: inc["id"] for inc in gold["incidents"] for d in inc["documents"]}
    result: dict[str, Any] = {"clustering": score_clusters(gold_map, predicted)}
    fields: dict[str, dict[str, Any]] = {}
    for inc in gold["incidents"]:
        row = next((r for r in rows if set(inc["documents"]) & {names[d] for d in r["main_documents"]}), None)
        if row is None:
            fields[inc["id"]] = {"found": False}
            continue
        chosen = {k: v["chosen"] for k, v in row["fields"].items()}
        checks = {
            "perpetrator": (inc.get("perpetrator") or {}).get("name", "") == chosen["perpetrator"],
            "victim": any(v.get("name") and v["name"] == chosen["victims"] for v in inc.get("victims", []))
            or not any(v.get("name") for v in inc.get("victims", [])),
            "date": bool(inc.get("date")) and str(chosen["date"]).startswith(str(inc["date"])),
            "country": (inc.get("location") or {}).get("country") in (chosen["country"] or None, None)
            and ((inc.get("location") or {}).get("country") is None) == (not chosen["country"]),
            "killed": str(inc.get("killed", ""))
            in (chosen["killed"], "0" if not chosen["killed"] else chosen["killed"]),
        }
        if "captured" in inc:
            checks["captured"] = str(inc["captured"]) == chosen["captured"]
        claimed = set((inc.get("status") or {}).get("claimed_by") or [])
        checks["claimed"] = bool(claimed) == bool(row["verification"].get("claimed_by"))
        denied = (inc.get("status") or {}).get("denied_by") or []
        checks["denied"] = bool(denied) == bool(row["verification"].get("denied_by"))
        fields[inc["id"]] = {
            "found": True,
            "checks": checks,
            "correct": sum(checks.values()),
            "total": len(checks),
        }
    result["incidents"] = fields
    result["background"] = _background(store, gold, names)
    correct = sum(f.get("correct", 0) for f in fields.values())
    total = sum(f.get("total", 0) for f in fields.values())
    result["field_accuracy"] = round(correct / total, 4) if total else 0.0
    return result


def _background(store: Store, gold: dict[str, Any], names: dict[int, str]) -> dict[str, Any]:
    """Gold background events found in their documents with a compatible date and count."""
    from triangulate.export.incidents import event_rows

    events = [e for e in event_rows(store) if e["role"] == "background"]
    found: dict[str, bool] = {}
    for item in gold.get("background_events", []):
        want_date = str(item.get("date") or item.get("true_date") or "")
        docs = {d[:3] for d in item.get("documents", [])}
        ok = False
        for e in events:
            if names[e["document"]][:3] not in docs or not e.get("date"):
                continue
            value = str(e["date"]["value"])
            year_free = value.startswith("XXXX") and want_date[4:].startswith(value[4:])
            if not (
                value.startswith(want_date[: len(value)])
                and len(value) >= 4
                or want_date.startswith(value)
                or year_free
                or (value.startswith(want_date[:7]) and e["date"]["precision"] in ("week", "month"))
            ):
                continue
            if "killed" in item and not any(
                c["field"] == "killed" and c["low"] == item["killed"] for c in e["counts"]
            ):
                continue
            ok = True
            break
        found[item["id"]] = ok
    return {"found": sum(found.values()), "total": len(found), "events": found}
