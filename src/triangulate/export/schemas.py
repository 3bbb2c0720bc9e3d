"""ACLED-like and GTD-like views of a native incident row (codebook: docs/codebook.md)."""

from __future__ import annotations

from typing import Any

from triangulate.extract.actors import ACTOR_TYPES
from triangulate.extract.events.ontology import GTD_CODES, lookup

GEO_PRECISION = {"city": 1, "point": 1, "admin1": 2, "country": 3}
TIME_PRECISION = {"day": 1, "week": 2, "month": 2, "season": 3, "year": 3}


def _chosen(row: dict[str, Any], name: str) -> str:
    return str((row.get("fields", {}).get(name) or {}).get("chosen") or "")


COLUMNS: dict[str, dict[str, str]] = {
    "acled": {
        "event_id_cnty": "TRI + the incident id",
        "event_date": "the chosen date (ISO; empty when unknown)",
        "event_type": "ACLED event type of the reconciled type and mode (docs/ontology.md)",
        "sub_event_type": "ACLED sub-event type of the reconciled type and mode",
        "actor1": "the chosen perpetrator",
        "actor2": "the victims' actor: a group or institution by name, people as `Civilians (country)`, "
        "empty for a target that is a thing (a market, a bridge)",
        "country": "the chosen country",
        "location": "the chosen place (city or region)",
        "latitude": "of the chosen place",
        "longitude": "of the chosen place",
        "geo_precision": "1 city or finer, 2 admin1, 3 country or unknown",
        "time_precision": "1 day, 2 week or month, 3 coarser",
        "fatalities": "the chosen killed count (the low end of a range); empty when no report gives one",
        "source": "the distinct outlets of the incident's documents, each once",
        "notes": "the generated title and the verification status",
        "triangulate_status": "corroborated, single-source, claimed-only, denied or contested",
        "n_independent_sources": "independent sources among the incident's reports (mentions not counted)",
    },
    "gtd": {
        "eventid": "the incident id",
        "iyear": "year of the chosen date",
        "imonth": "month of the chosen date (empty when unknown)",
        "iday": "day of the chosen date (empty when unknown)",
        "country_txt": "the chosen country",
        "city": "the chosen place",
        "latitude": "of the chosen place",
        "longitude": "of the chosen place",
        "attacktype1": "GTD attack type code of the reconciled type and mode",
        "attacktype1_txt": "GTD attack type name",
        "gname": "the chosen perpetrator, or Unknown",
        "claimed": "1 when a group claims the incident, else 0",
        "claimmode": "how the claim was made, where known",
        "nkill": "the chosen killed count; empty when unknown",
        "nhostkid": "the chosen captured count; empty when unknown",
        "target1": "the chosen victims or target",
        "summary": "the generated title",
        "scite1": "first source: outlet, date, headline",
        "scite2": "second source",
        "scite3": "third source",
        "triangulate_status": "the verification status",
    },
}

# Participant kinds that are actors in ACLED's sense (an organised group or institution); a person is a civilian
# unless an actor dictionary says otherwise; a place or an object ("market") is no actor at all.
ACTOR_KINDS = (set(ACTOR_TYPES) - {"person", "news_outlet", "civilian_group"}) | {"actor"}


def _actor2(row: dict[str, Any]) -> str:
    """ACLED's actor2: the victims' actor, "Civilians (country)" for people, empty for a target that is a thing."""
    field = row.get("fields", {}).get("victims") or {}
    chosen = str(field.get("chosen") or "")
    kind = next(
        (c.get("detail", {}).get("kind") for c in field.get("candidates", []) if c.get("value") == chosen), ""
    )
    if not chosen:
        return ""
    if kind in ACTOR_KINDS:
        return chosen
    if kind == "person":
        country = _chosen(row, "country")
        return f"Civilians ({country})" if country else "Civilians"
    return ""


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
            "actor2": _actor2(row),
            "country": _chosen(row, "country"),
            "location": _chosen(row, "place"),
            "latitude": row.get("latitude"),
            "longitude": row.get("longitude"),
            "geo_precision": GEO_PRECISION.get(row.get("place_precision") or "", 3),
            "time_precision": TIME_PRECISION.get(precision, 3),
            "fatalities": int(killed) if killed.isdigit() else "",  # unknown stays empty, never 0
            "source": "; ".join(dict.fromkeys(s.get("outlet") or "unknown" for s in row.get("sources", []))),
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
