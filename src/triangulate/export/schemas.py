"""ACLED-like and GTD-like views of a native incident row (codebook: docs/codebook.md)."""

from __future__ import annotations

from typing import Any

from triangulate.extract.events.ontology import GTD_CODES, lookup

GEO_PRECISION = {"city": 1, "point": 1, "admin1": 2, "country": 3}
TIME_PRECISION = {"day": 1, "week": 2, "month": 2, "season": 3, "year": 3}


def _chosen(row: dict[str, Any], name: str) -> str:
    return str((row.get("fields", {}).get(name) or {}).get("chosen") or "")


def _citations(row: dict[str, Any]) -> list[str]:
    return [
        f"{s.get('outlet') or 'unknown outlet'}, {s.get('published') or 'undated'}: {s.get('title')}"
        for s in row.get("sources", [])
    ]


def to_schema(row: dict[str, Any], schema: str) -> dict[str, Any]:
    """Map a native incident row to ACLED or GTD column names and codes."""
    etype = lookup(row["event_type"], row.get("mode") or "")
    date_field = row.get("fields", {}).get("date") or {}
    precision = next(
        (c["detail"].get("precision") for c in date_field.get("candidates", []) if c.get("detail")), "unknown"
    )
    status = row.get("verification", {})
    killed = _chosen(row, "killed").split("-")[0]
    if schema == "acled":
        return {
            "event_id_cnty": f"TRI{row['id']}",
            "event_date": row.get("date") or "",
            "event_type": etype.acled_event_type,
            "sub_event_type": etype.acled_sub_event_type,
            "actor1": _chosen(row, "perpetrator"),
            "actor2": _chosen(row, "victims"),
            "country": _chosen(row, "country"),
            "location": _chosen(row, "place"),
            "latitude": row.get("latitude"),
            "longitude": row.get("longitude"),
            "geo_precision": GEO_PRECISION.get(row.get("place_precision") or "", 3),
            "time_precision": TIME_PRECISION.get(precision, 3),
            "fatalities": int(killed) if killed.isdigit() else 0,
            "source": "; ".join(s.get("outlet") or "unknown" for s in row.get("sources", [])),
            "notes": row.get("title", "") + f" Status: {status.get('label', '')}.",
            "triangulate_status": status.get("label", ""),
            "n_independent_sources": row.get("n_independent"),
        }
    cites = _citations(row) + ["", "", ""]
    captured = _chosen(row, "captured").split("-")[0]
    return {
        "eventid": row["id"],
        "iyear": (row.get("date") or "")[:4],
        "imonth": (row.get("date") or "")[5:7],
        "iday": (row.get("date") or "")[8:10],
        "country_txt": _chosen(row, "country"),
        "city": _chosen(row, "place"),
        "latitude": row.get("latitude"),
        "longitude": row.get("longitude"),
        "attacktype1": GTD_CODES.get(etype.gtd_attacktype, 9),
        "attacktype1_txt": etype.gtd_attacktype,
        "gname": _chosen(row, "perpetrator") or "Unknown",
        "claimed": 1 if status.get("claimed_by") else 0,
        "claimmode": status.get("claimmode", ""),
        "nkill": int(killed) if killed.isdigit() else "",
        "nhostkid": int(captured) if captured.isdigit() else "",
        "target1": _chosen(row, "victims"),
        "summary": row.get("title", ""),
        "scite1": cites[0],
        "scite2": cites[1],
        "scite3": cites[2],
        "triangulate_status": status.get("label", ""),
    }
