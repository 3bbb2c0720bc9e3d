"""A short cited account of one incident, generated from its reconciled record (never copied)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from triangulate.errors import ConfigError, NotFoundError
from triangulate.extract.events.ontology import lookup
from triangulate.store.db import Store

LABELS = {"killed": "killed", "wounded": "wounded", "captured": "captured or taken hostage"}
STATUS_TEXT = {
    "corroborated": "corroborated by {n} independent sources",
    "single-source": "reported by a single source",
    "claimed-only": "claimed by the perpetrator and not otherwise confirmed",
    "denied": "denied by {deniers}",
    "contested": "contested: sources disagree on {fields}",
}


@dataclass(slots=True)
class Citation:
    """One numbered source passage."""

    number: int
    doc_id: int
    outlet: str
    published: str
    quote: str


@dataclass(slots=True)
class Brief:
    """Sentences, each with the citation numbers it rests on."""

    incident_id: int
    sentences: list[tuple[str, list[int]]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def cite(self, docs: dict[int, dict[str, Any]], evidence: dict[str, Any]) -> int:
        """The number of a passage, adding it on first use."""
        doc_id, quote = int(evidence["doc_id"]), str(evidence.get("quote") or "").strip()
        for c in self.citations:
            if c.doc_id == doc_id and c.quote == quote:
                return c.number
        source = docs.get(doc_id, {})
        citation = Citation(
            len(self.citations) + 1,
            doc_id,
            source.get("outlet") or "unknown outlet",
            source.get("published") or "undated",
            quote,
        )
        self.citations.append(citation)
        return citation.number


def _sources(record: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(s["id"]): s for s in record.get("sources", [])}


def _cites(
    brief: Brief, docs: dict[int, dict[str, Any]], candidate: dict[str, Any], limit: int = 2
) -> list[int]:
    seen: set[int] = set()
    out = []
    for ev in candidate.get("evidence", []):
        if ev.get("quote") and int(ev["doc_id"]) not in seen:
            seen.add(int(ev["doc_id"]))
            out.append(brief.cite(docs, ev))
        if len(out) >= limit:
            break
    return out


def build_brief(record: dict[str, Any]) -> Brief:
    """Turn a reconciled incident record into cited sentences."""
    brief = Brief(int(record["id"]))
    docs = _sources(record)
    f = record["fields"]

    def top(name: str) -> dict[str, Any] | None:
        cands = f.get(name, {}).get("candidates") or []
        return cands[0] if cands else None

    what = top("event_type")
    if what:
        kind, _, mode = what["value"].partition("/")
        label = lookup(kind, mode).help.rstrip(".").lower()
        who = top("perpetrator")
        whom = top("victims")
        subject = f"{who['value']} is reported to have carried out" if who else "Sources report"
        sentence = f"{subject} an event of type {what['value']} ({label})"
        if whom:
            sentence += f" against {whom['value']}"
        cites = (
            _cites(brief, docs, what)
            + (_cites(brief, docs, who, 1) if who else [])
            + (_cites(brief, docs, whom, 1) if whom else [])
        )
        brief.sentences.append((sentence + ".", sorted(set(cites))))
    when = top("date")
    if when:
        qualifier = (when.get("detail") or {}).get("qualifier")
        prefix = "on or before" if qualifier == "on-or-before" else "on" if len(when["value"]) == 10 else "in"
        brief.sentences.append((f"It took place {prefix} {when['value']}.", _cites(brief, docs, when)))
    else:
        brief.sentences.append(("No source states when it took place.", []))
    where = top("place") or top("country")
    if where:
        place = where["value"]
        country = top("country")
        if top("place") and country and country["value"] not in place:
            place = f"{place}, {country['value']}"
        brief.sentences.append((f"It took place in {place}.", _cites(brief, docs, where)))
    else:
        brief.sentences.append(("No source states where it took place.", []))
    for name, label in LABELS.items():
        cands = f.get(name, {}).get("candidates") or []
        if not cands:
            continue
        if len(cands) == 1:
            brief.sentences.append((f"{_people(cands[0]['value'])} {label}.", _cites(brief, docs, cands[0])))
        else:
            parts = []
            cites: list[int] = []
            for cand in cands:
                numbers = _cites(brief, docs, cand)
                cites += numbers
                outlets = ", ".join(
                    sorted({docs.get(int(d), {}).get("outlet") or f"document {d}" for d in cand["documents"]})
                )
                parts.append(f"{outlets} says {cand['value']}")
            brief.sentences.append(
                (f"Sources disagree on the number {label}: " + "; ".join(parts) + ".", cites)
            )
    for name in ("victim_rank", "perpetrator", "date", "country"):
        cands = f.get(name, {}).get("candidates") or []
        if len(cands) > 1 and f[name].get("contradiction"):
            cites = [n for c in cands for n in _cites(brief, docs, c, 1)]
            values = " versus ".join(c["value"] for c in cands)
            brief.sentences.append(
                (f"Sources contradict each other on the {name.replace('_', ' ')}: {values}.", cites)
            )
    brief.sentences.append((_status_sentence(record), []))
    return brief


def _people(value: str) -> str:
    return f"{value} people were" if value != "1" else "1 person was"


def _status_sentence(record: dict[str, Any]) -> str:
    status = record.get("status") or {}
    label = status.get("label", "single-source")
    text = STATUS_TEXT.get(label, label).format(
        n=record.get("n_independent", 1),
        deniers=", ".join(status.get("denied_by") or []) or "a party",
        fields=", ".join(status.get("contradictions") or []) or "key facts",
    )
    extra = []
    if status.get("claimed_by"):
        extra.append("claimed by " + ", ".join(status["claimed_by"]))
    if status.get("denied_by") and label != "denied":
        extra.append("denied by " + ", ".join(status["denied_by"]))
    if status.get("could_not_verify"):
        named = [s for s in status["could_not_verify"] if s != "unnamed"]
        extra.append("not independently verified" + (f" by {', '.join(named)}" if named else ""))
    if status.get("no_comment"):
        extra.append("no comment from " + ", ".join(status["no_comment"]))
    return f"Status: {text}" + ("; " + "; ".join(extra) if extra else "") + "."


def render(brief: Brief, fmt: str = "md") -> str:
    """Markdown or HTML (every source string escaped)."""
    if fmt == "md":
        lines = [f"## Incident {brief.incident_id}", ""]
        lines.append(" ".join(s + "".join(f" [{n}]" for n in cites) for s, cites in brief.sentences))
        lines += ["", "### Sources", ""]
        lines += [f"[{c.number}] {c.outlet}, {c.published}: \u201c{c.quote}\u201d" for c in brief.citations]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        body = " ".join(
            html.escape(s)
            + "".join(f'<sup><a href="#cite-{brief.incident_id}-{n}">[{n}]</a></sup>' for n in cites)
            for s, cites in brief.sentences
        )
        items = "".join(
            f'<li id="cite-{brief.incident_id}-{c.number}">{html.escape(c.outlet)}, {html.escape(c.published)}: '
            f"<q>{html.escape(c.quote)}</q></li>"
            for c in brief.citations
        )
        return f'<section class="brief"><p>{body}</p><ol class="citations">{items}</ol></section>'
    raise ConfigError(f"unknown brief format {fmt!r}", "use md or html")


def brief(store: Store, incident_id: int, fmt: str = "md") -> str:
    """The rendered brief of one incident."""
    row = store.conn.execute("SELECT record FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None or not row["record"] or row["record"] == "{}":
        raise NotFoundError(f"no incident {incident_id}", "list incidents with `triangulate incidents`")
    return render(build_brief(json.loads(row["record"])), fmt)
