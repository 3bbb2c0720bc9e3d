"""Domain records passed between stages. Records, not nested dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Precision = Literal["day", "week", "month", "season", "year", "decade", "unknown"]
DateSource = Literal["metadata", "byline", "inferred", "unknown"]
PlacePrecision = Literal["point", "city", "admin1", "country", "region", "unknown"]


@dataclass(slots=True)
class SourceMeta:
    """Metadata a reader found next to a document (sidecar, manifest, HTML head, feed item, mapping)."""

    title: str = ""
    outlet: str = ""
    url: str = ""
    published: str = ""
    external_id: str = ""
    language: str = ""


@dataclass(slots=True)
class RawDocument:
    """What every reader yields: one document's text (or HTML) plus what is known about it."""

    source: str
    text: str
    raw_hash: str
    meta: SourceMeta = field(default_factory=SourceMeta)
    html: str = ""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record a reader could not turn into a document, with the reason and what to do."""

    source: str
    reason: str
    hint: str = ""

    def line(self) -> str:
        """One line for terminals and logs."""
        return f"{self.source}: {self.reason}" + (f" ({self.hint})" if self.hint else "")


@dataclass(slots=True)
class Document:
    """A cleaned, dated document as stored."""

    source: str
    text: str
    raw_hash: str
    content_hash: str
    title: str = ""
    outlet: str = ""
    outlet_source: str = ""
    cited_sources: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    url: str = ""
    published: str = ""
    published_precision: Precision = "unknown"
    published_source: DateSource = "unknown"
    dateline: str = ""
    language: str = "en"
    external_id: str = ""
    removed_lines: int = 0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: where in which document a value was read."""

    doc_id: int
    start: int
    end: int
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A normalised time: ISO value (date, month, year, or ``start/end`` interval) with precision.

    ``qualifier`` is one of ``on``, ``before``, ``after``, ``on-or-before``, ``since``, ``about``.
    """

    value: str
    precision: Precision
    rule: str
    start: str = ""
    end: str = ""
    qualifier: str = "on"
    anchor: str = ""
    anchor_source: DateSource = "unknown"


@dataclass(slots=True)
class Mention:
    """One extracted mention: an actor, person, time, place, count or claim, with its evidence."""

    doc_id: int
    kind: Literal["actor", "person", "time", "place", "count", "claim", "trigger"]
    start: int
    end: int
    sentence: int
    text: str
    value: str
    precision: str = ""
    attrs: dict[str, object] = field(default_factory=dict)
    extractor: str = ""
    extractor_version: str = ""
    confidence: float = 1.0
    id: int | None = None


@dataclass(slots=True)
class Participant:
    """A perpetrator, victim, target or instrument of an event."""

    role: Literal["perpetrator", "victim", "target", "instrument"]
    name: str
    canonical: str = ""
    kind: str = ""
    start: int = -1
    end: int = -1
    attrs: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Count:
    """How many were killed, wounded or taken: a range, with flags for vague and for implied quantities."""

    field: Literal["killed", "wounded", "captured", "kidnapped", "missing", "arrested", "affected"]
    low: int
    high: int
    vague: bool = False
    text: str = ""
    start: int = -1
    end: int = -1
    implied: bool = False  # no number written: "a man died", or the named victims the report says were killed


@dataclass(slots=True)
class Claim:
    """A stance a speaker takes on an event or one of its fields."""

    doc_id: int
    speaker: str
    stance: Literal["claims", "denies", "confirms", "could-not-verify", "no-comment", "attributes-to-source"]
    content: str
    start: int
    end: int
    sentence: int
    text: str
    speaker_kind: str = ""
    field: str = ""
    value: str = ""
    via: str = ""
    event_id: int | None = None
    id: int | None = None


PersonRole = Literal["victim", "suspect", "other"]
PersonStatus = Literal["killed", "injured", "arrested", "sought", "charged", "unharmed", ""]


@dataclass(slots=True)
class Person:
    """One participant of a report as a single entity: every mention of it, and what the report says of it.

    ``role`` is the part it plays in the report's main event; a speaker, a witness or an official is ``other``.
    ``mentions`` holds the (start, end) of each name mention; ``evidence`` the span that decided the role.
    """

    name: str
    role: PersonRole = "other"
    age: int | None = None
    gender: str = ""
    residence: str = ""
    status: PersonStatus = ""
    descriptions: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    evidence: tuple[int, int] = (-1, -1)


@dataclass(frozen=True, slots=True)
class Detail:
    """A value read from a report with its evidence span: a city, a street address, a time of day, a weapon.

    ``value`` is the text as the report writes it; ``precision`` says what kind of value it is
    (``block``, ``address``, ``intersection``, ``street``, ``facility``; ``clock``, ``part-of-day``; ``city``).
    """

    value: str
    start: int
    end: int
    precision: str = ""
    normalized: str = ""


@dataclass(slots=True)
class Event:
    """One event record extracted from one document."""

    doc_id: int
    role: Literal["main", "background"]
    event_type: str
    mode: str = ""
    modality: Literal["asserted", "negated", "hypothetical", "future", "threatened", "reported"] = "asserted"
    trigger: str = ""
    trigger_start: int = -1
    trigger_end: int = -1
    sentence: int = -1
    date: TimeValue | None = None
    date_text: str = ""
    date_span: tuple[int, int] = (-1, -1)
    place: dict[str, object] = field(default_factory=dict)
    place_text: str = ""
    place_span: tuple[int, int] = (-1, -1)
    participants: list[Participant] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    summary: str = ""
    confidence: float = 0.5
    people: list[Person] = field(default_factory=list)
    city: Detail | None = None
    state: Detail | None = None
    address: Detail | None = None
    times_of_day: list[Detail] = field(default_factory=list)
    weapons: list[Detail] = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """What extraction needs of one stored document; small and picklable, so engines can ship it to workers."""

    doc_id: int
    text: str
    title: str = ""
    published: str = ""
    published_precision: str = "unknown"
    published_source: str = "unknown"
    dateline: str = ""


@dataclass(slots=True)
class Extraction:
    """What extraction found in one document: the record the store saves (errors make it an ``error`` row)."""

    doc_id: int
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    extractor_version: str = ""


@dataclass(frozen=True, slots=True)
class MemberReport:
    """One member event of an incident and the document that reports it: what reconciliation reads."""

    event_id: int
    doc_id: int
    event: dict[str, Any]  # the stored event record (``store.extraction.event_record``)
    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    source: str = ""
    external_id: str = ""


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person named in a member document, with the roles and titles the mention gives them."""

    doc_id: int
    value: str
    roles: tuple[str, ...]
    sentence: int
    start: int
    end: int


@dataclass(slots=True)
class IncidentEvidence:
    """Everything one incident's record is built from, read from the store in one go; reconciliation is a
    function of it (``reconcile.record.incident_record``), testable without a database."""

    incident_id: int
    members: list[MemberReport] = field(default_factory=list)
    copies: list[tuple[int, int]] = field(default_factory=list)  # (document, the document it copies)
    persons: list[PersonMention] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
