"""Score the time resolver on TempEval-3 TBAQ-cleaned (TimeBank 1.2 + AQUAINT, TimeML gold).

Two measurements, per sub-corpus and overall:

- **Gold-span value accuracy**: for every gold ``TIMEX3`` of type DATE (the creation time itself
  excluded), ``resolve_expression(gold_text, anchor=DCT) == gold value``. TIME timexes are reported
  separately, compared by day. A variant passes the clause's tense (``direction="future"`` after
  "will", "scheduled"...), which is what :func:`~triangulate.extract.times.find_times` does in text.
- **End to end**: :func:`~triangulate.extract.times.find_times` over the TEXT element (tags
  stripped, offsets kept), spans matched to gold DATE and TIME timexes by overlap; precision, recall
  and F1 of spans and of (span, value) pairs. Predictions overlapping a DURATION or SET timex count
  as false positives and are also counted apart.

Value comparison is exact after two normalisations of the gold: ISO week numbers are zero-padded
(TimeBank writes ``2000-W7``), and a time of day is folded into its day (``2000-01-05TEV`` and
``1998-08-07T10:35`` compare as ``2000-01-05``, since :class:`~triangulate.records.TimeValue` has no
time of day). A coarser value that is consistent with the gold ("1998-W32" for "1998-08-07") is wrong.
Gold values that no resolver can reproduce from the words alone are counted: TimeML references
(``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``, which the resolver does produce) and underspecified
values containing ``X`` (``1989-WXX``, ``XXXX-10``).

TimeML conventions the resolver follows: "Friday" -> ``1998-08-07``; seasons ``1998-SU``; quarters
``1989-Q3``; halves ``1990-H1``; decades ``199``; weekends ``1989-W43-WE``; "now" -> ``PRESENT_REF``.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triangulate.extract.times import Anchor, find_times, parse_anchor, resolve_expression
from triangulate.extract.times.finder import clause_tense

CORPORA = ("TimeBank", "AQUAINT")
_WEEK = re.compile(r"^(\d{4})-W(\d)(?=$|-)")
_REFS = frozenset({"PAST_REF", "PRESENT_REF", "FUTURE_REF"})


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One gold TIMEX3 inside the TEXT element, with offsets into the stripped text."""

    tid: str
    type: str
    value: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class TimeMLDocument:
    """A TimeML file: its creation time (the anchor), the stripped TEXT and its gold timexes."""

    name: str
    corpus: str
    dct: str
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)

    @property
    def anchor(self) -> Anchor:
        return parse_anchor(self.dct, "day", "metadata")


def load_document(path: Path, corpus: str) -> TimeMLDocument:
    """Parse one ``.tml`` file; the DCT is the TIMEX3 with ``functionInDocument="CREATION_TIME"``."""
    root = ET.parse(path).getroot()
    dct = next(
        (t.get("value", "") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"),
        "",
    )
    text_element = root.find("TEXT")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    if text_element is not None:
        _flatten(text_element, parts, timexes, [0])
    text = "".join(parts)
    return TimeMLDocument(path.stem, corpus, dct, text, timexes)


def _flatten(element: ET.Element, parts: list[str], timexes: list[GoldTimex], length: list[int]) -> None:
    """Append the element's text to ``parts`` and record TIMEX3 offsets; ``length`` is a running total."""
    if element.text:
        parts.append(element.text)
        length[0] += len(element.text)
    for child in element:
        start = length[0]
        _flatten(child, parts, timexes, length)
        if child.tag == "TIMEX3" and child.get("functionInDocument") != "CREATION_TIME":
            end = length[0]
            text = "".join(parts)[start:end] if end > start else ""
            timexes.append(
                GoldTimex(
                    child.get("tid", ""), child.get("type", ""), child.get("value", ""), start, end, text
                )
            )
        if child.tail:
            parts.append(child.tail)
            length[0] += len(child.tail)


def load_corpus(data_dir: Path) -> Iterator[TimeMLDocument]:
    """Every document of the sub-corpora found under ``data_dir``, in a stable order."""
    for corpus in CORPORA:
        for path in sorted((data_dir / corpus).glob("*.tml")):
            yield load_document(path, corpus)


def normalise_gold(value: str) -> str:
    """The gold value as :class:`TimeValue` would spell it: padded weeks, time of day dropped."""
    value = _WEEK.sub(lambda m: f"{m.group(1)}-W0{m.group(2)}", value)
    if re.match(r"^\d{4}-\d\d-\d\dT", value):
        return value[:10]
    return value


def _kind_of_gold(value: str) -> str:
    if value in _REFS:
        return "ref"
    if "X" in value:
        return "underspecified"
    if value.startswith("P"):
        return "duration_value"
    return "calendar"


@dataclass(slots=True)
class _SpanTally:
    n: int = 0
    correct: int = 0
    unresolved: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [n, correct]

    def add(self, gold: str, predicted: str | None) -> None:
        kind = _kind_of_gold(gold)
        ok = predicted is not None and predicted == normalise_gold(gold)
        self.n += 1
        self.correct += ok
        self.unresolved += predicted is None
        counts = self.by_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        counts[1] += ok

    def report(self) -> dict[str, Any]:
        calendar = self.by_kind.get("calendar", [0, 0])
        return {
            "n": self.n,
            "correct": self.correct,
            "accuracy": _ratio(self.correct, self.n),
            "unresolved": self.unresolved,
            "refs": self.by_kind.get("ref", [0, 0])[0],
            "refs_correct": self.by_kind.get("ref", [0, 0])[1],
            "underspecified": self.by_kind.get("underspecified", [0, 0])[0],
            "duration_values": self.by_kind.get("duration_value", [0, 0])[0],
            "calendar": calendar[0],
            "calendar_accuracy": _ratio(calendar[1], calendar[0]),
        }


@dataclass(slots=True)
class _EndToEndTally:
    gold: int = 0
    predicted: int = 0
    span_tp_predicted: int = 0
    span_tp_gold: int = 0
    value_tp_predicted: int = 0
    value_tp_gold: int = 0
    false_positives_on_duration_or_set: int = 0

    def report(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "span": _prf(self.span_tp_predicted, self.predicted, self.span_tp_gold, self.gold),
            "value": _prf(self.value_tp_predicted, self.predicted, self.value_tp_gold, self.gold),
            "false_positives_on_duration_or_set": self.false_positives_on_duration_or_set,
        }


@dataclass(slots=True)
class _CorpusTally:
    documents: int = 0
    words: int = 0
    date: _SpanTally = field(default_factory=_SpanTally)
    date_with_tense: _SpanTally = field(default_factory=_SpanTally)
    time: _SpanTally = field(default_factory=_SpanTally)
    end_to_end: _EndToEndTally = field(default_factory=_EndToEndTally)

    def report(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "words": self.words,
            "gold_span": {
                "date": self.date.report(),
                "date_with_tense": self.date_with_tense.report(),
                "time_by_day": self.time.report(),
            },
            "end_to_end": self.end_to_end.report(),
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _prf(tp_predicted: int, predicted: int, tp_gold: int, gold: int) -> dict[str, float]:
    precision = tp_predicted / predicted if predicted else 0.0
    recall = tp_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _score_document(document: TimeMLDocument, tallies: Iterable[_CorpusTally]) -> float:
    """Add one document to every tally; returns the seconds find_times took on it."""
    tallies = list(tallies)
    anchor = document.anchor
    for tally in tallies:
        tally.documents += 1
        tally.words += len(document.text.split())
    for gold in document.timexes:
        if gold.type not in ("DATE", "TIME"):
            continue
        found = resolve_expression(gold.text, anchor)
        predicted = found.value if found is not None else None
        with_tense = resolve_expression(
            gold.text, anchor, direction=clause_tense(document.text, gold.start, gold.end)
        )
        for tally in tallies:
            if gold.type == "DATE":
                tally.date.add(gold.value, predicted)
                tally.date_with_tense.add(gold.value, with_tense.value if with_tense is not None else None)
            else:
                tally.time.add(gold.value, predicted)

    began = time.perf_counter()
    mentions = find_times(document.text, anchor)
    took = time.perf_counter() - began
    targets = [g for g in document.timexes if g.type in ("DATE", "TIME")]
    others = [g for g in document.timexes if g.type in ("DURATION", "SET")]
    gold_hit = [False] * len(targets)
    gold_value_hit = [False] * len(targets)
    for tally in tallies:
        tally.end_to_end.gold += len(targets)
        tally.end_to_end.predicted += len(mentions)
    for mention in mentions:
        overlapping = [i for i, g in enumerate(targets) if mention.start < g.end and g.start < mention.end]
        value_ok = [i for i in overlapping if mention.value.value == normalise_gold(targets[i].value)]
        for i in overlapping:
            gold_hit[i] = True
        for i in value_ok:
            gold_value_hit[i] = True
        on_other = not overlapping and any(mention.start < g.end and g.start < mention.end for g in others)
        for tally in tallies:
            tally.end_to_end.span_tp_predicted += bool(overlapping)
            tally.end_to_end.value_tp_predicted += bool(value_ok)
            tally.end_to_end.false_positives_on_duration_or_set += on_other
    for tally in tallies:
        tally.end_to_end.span_tp_gold += sum(gold_hit)
        tally.end_to_end.value_tp_gold += sum(gold_value_hit)
    return took


def evaluate(data_dir: Path) -> dict[str, Any]:
    """Score the resolver on the TBAQ corpus under ``data_dir`` (the ``tempeval3_tbaq`` folder).

    Args:
        data_dir: folder holding ``TimeBank/`` and ``AQUAINT/`` with ``.tml`` files.

    Returns:
        ``{"corpora": {"TimeBank": ..., "AQUAINT": ..., "overall": ...}, "seconds": ...,
        "find_times_ms_per_1000_words": ...}``; each corpus entry holds ``gold_span`` accuracies
        (``date``, ``date_with_tense``, ``time_by_day``) and ``end_to_end`` precision/recall/F1.

    Raises:
        FileNotFoundError: when ``data_dir`` holds no ``.tml`` file.
    """
    began = time.perf_counter()
    tallies = {name: _CorpusTally() for name in (*CORPORA, "overall")}
    find_seconds = 0.0
    for document in load_corpus(Path(data_dir)):
        find_seconds += _score_document(document, (tallies[document.corpus], tallies["overall"]))
    overall = tallies["overall"]
    if overall.documents == 0:
        raise FileNotFoundError(f"no TimeML (.tml) files under {data_dir}/{{{','.join(CORPORA)}}}")
    return {
        "data_dir": str(data_dir),
        "corpora": {name: tally.report() for name, tally in tallies.items()},
        "seconds": round(time.perf_counter() - began, 3),
        "find_times_ms_per_1000_words": round(1000 * find_seconds / overall.words * 1000, 4),
    }
