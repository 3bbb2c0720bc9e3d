"""Assemble event records for one document: candidates per trigger, merged, main versus background."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from triangulate.extract.context import DocContext, context
from triangulate.extract.events.casualties import LEDE_SENTENCES, add_hit_counts, add_implied_counts
from triangulate.extract.events.claims import SentenceInfo, find_claims
from triangulate.extract.events.counts import find_counts
from triangulate.extract.events.details import address_of, city_of, times_of_day, weapons_of
from triangulate.extract.events.people import people_of
from triangulate.extract.events.roles import roles_for
from triangulate.extract.events.targets import retarget, targets_for
from triangulate.extract.events.triggers import Trigger, find_triggers, in_video
from triangulate.extract.events.weapons import instruments_for
from triangulate.records import Claim, Count, Event, Mention, TimeValue

VIOLENT = ("ASSAULT", "FIGHT", "CAPTURE")
# An event a video or report says happened before it ("on-or-before") takes a date at most this
# long before: a capture "late last month" is the one the video shows, one a year before may not be.
BOUND_LOOKBACK_DAYS = 92
# A day named in the lede is the main event's only within the week before publication (by reasoning: a
# report of a shooting runs within days of it, a later date is a hearing or a vigil).
LEDE_DAY_WINDOW = 7
_ORIGIN_HEADS = {
    "live",
    "bear",
    "infiltrate",
    "home",
    "return",
    "travel",
    "recruit",
    "come",
    "native",
    "hail",
    "raise",
}
_LOCATIVE = {
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "around",
    "across",
    "throughout",
    "on",
    "into",
    "off",
    "over",
    "within",
    "north",
    "south",
    "east",
    "west",
    "along",
    "of",
}
_CAPTIVE_TYPES = {
    ("ASSAULT", "execution"),
    ("ASSAULT", "abduction"),
    ("ASSAULT", "hostage-taking"),
    ("CAPTURE", ""),
}


@dataclass(slots=True)
class EventExtractor:
    """spaCy component body producing Event records into the DocContext."""

    @classmethod
    def build(cls, nlp: Language) -> EventExtractor:
        """No state to load: the lexicons are module data."""
        return cls()

    def __call__(self, doc: Doc) -> None:
        ctx = context(doc)
        candidates: list[tuple[Trigger, Event]] = []
        lede_counts: list[Count] = []
        for index, sent in enumerate(doc.sents):
            info = SentenceInfo(sent.text, sent.start_char, index)
            actors = [
                m
                for m in ctx.mentions
                if m.kind in ("actor", "person") and sent.start_char <= m.start < sent.end_char
            ]
            claims = find_claims(ctx.doc_id, info, actors)
            ctx.claims.extend(claims)
            triggers = find_triggers(sent)
            counts = find_counts(sent.text, sent.start_char)
            for trig in triggers:
                candidates.append((trig, self._candidate(ctx, sent, index, trig)))
            for count in counts:
                owner = _nearest(count, [c for c in candidates if c[1].sentence == index])
                if owner is not None:
                    owner.counts.append(count)
                elif index <= 2:
                    lede_counts.append(count)
        events = _merge([e for _, e in candidates])
        if not events:
            fallback = _report_event(doc, ctx)
            if fallback is None:
                return
            events = [fallback]
        main = _choose_main(events, ctx, doc)
        if main.event_type in VIOLENT:
            # "Three people dead east of Bozeman": a headline or lead count with no trigger of its own.
            main.counts += [c for c in lede_counts if not any(o.field == c.field for o in main.counts)]
        for event in events:
            event.role = "main" if event is main else "background"
        _fill_main(main, doc, ctx)
        _describe(main, doc, ctx)
        for claim in ctx.claims:
            owner = _claim_owner(claim, events, main)
            if owner is not None:
                owner.claims.append(claim)
        ctx.events.extend(events)

    def _candidate(self, ctx: DocContext, sent: Span, index: int, trig: Trigger) -> Event:
        tok = trig.token
        event = Event(
            doc_id=ctx.doc_id,
            role="background",
            event_type=trig.event_type,
            mode=trig.mode,
            modality=trig.modality,  # type: ignore[arg-type]
            trigger=tok.text,
            trigger_start=tok.idx,
            trigger_end=tok.idx + len(tok),
            sentence=index,
            summary=sent.text.strip()[:400],
        )
        event.participants = (
            retarget(roles_for(tok, ctx.mentions), tok) + targets_for(tok) + instruments_for(tok)
        )
        times = [
            m
            for m in ctx.mentions
            if m.kind == "time"
            and sent.start_char <= m.start < sent.end_char
            and m.precision != "unknown"
            and not ctx.in_dateline(m.start)
        ]
        own = {t.idx for t in tok.subtree}
        others = {
            t.idx for other in find_triggers(sent) if other.token is not tok for t in other.token.subtree
        } - own
        if times:
            best = min(times, key=lambda m: (m.start not in own, m.start in others, abs(m.start - tok.idx)))
            if best.start in others and best.start not in own:
                times = []
        if times:
            event.date = _time_value(
                best, "on-or-before" if in_video(tok) and trig.event_type != "PROPAGANDA" else ""
            )
            if best.start not in own:
                # Same sentence but another clause: a weaker attachment, never enough to forbid a merge.
                event.date = replace(event.date, rule=event.date.rule + "+same-sentence")
            event.date_text, event.date_span = best.text, (best.start, best.end)
        places = [
            m
            for m in ctx.mentions
            if m.kind == "place"
            and sent.start_char <= m.start < sent.end_char
            and m.value
            and m.attrs.get("role") != "dateline"
            and not _origin(sent, m)
        ]
        if places:
            best_place = min(
                places, key=lambda m: (m.start not in own, m.start in others, abs(m.start - tok.idx))
            )
            event.place = {
                k: best_place.attrs.get(k)
                for k in ("country_code", "country", "admin1", "latitude", "longitude", "geonameid")
            }
            event.place.update({"name": best_place.value, "precision": best_place.precision})
            event.place_text, event.place_span = best_place.text, (best_place.start, best_place.end)
        event.confidence = 0.8 if trig.modality == "asserted" else 0.4
        return event


# "denied involvement in that attack", "the earlier bombing", "last week's blast": the sentence is about another
# incident than the report's own.
_ELSEWHERE = re.compile(
    r"\b(?:that|those|the\s+(?:earlier|previous|first|other|prior)|an?\s+(?:earlier|previous|prior)|last\s+(?:week|month)'s)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:attacks?|bombings?|blasts?|strikes?|killings?|assaults?|incidents?|kidnappings?|"
    r"abductions?|shootings?|explosions?|raids?)\b",
    re.I,
)


def _claim_owner(claim: Claim, events: list[Event], main: Event) -> Event | None:
    """The event a claim is about: a dated other event in its sentence or the one before; for a sentence that points
    at another incident ("denied involvement in that attack"), the nearest other event of the last three sentences,
    or none (the claim is kept, attached to no event); else the report's main event."""
    others = [
        e for e in events if e is not main and e.modality == "asserted" and e.sentence <= claim.sentence
    ]
    dated = next(
        (
            e
            for e in others
            if e.sentence in (claim.sentence, claim.sentence - 1)
            and e.date
            and (not main.date or e.date.value != main.date.value)
        ),
        None,
    )
    if dated is not None:
        return dated
    if _ELSEWHERE.search(claim.content):
        near = [e for e in others if claim.sentence - e.sentence <= 3]
        return max(near, key=lambda e: e.sentence) if near else None
    return main


def _report_event(doc: Doc, ctx: DocContext) -> Event | None:
    """A document with no event trigger still reports something: an OTHER event anchored on its lead,
    so reports of the same occurrence (an earthquake, an acquisition) can be linked by text, date and place."""
    sents = list(doc.sents)
    if not sents:
        return None
    lead = sents[0]
    root = lead.root
    event = Event(
        doc_id=ctx.doc_id,
        role="main",
        event_type="OTHER",
        trigger=root.text,
        trigger_start=root.idx,
        trigger_end=root.idx + len(root),
        sentence=0,
        summary=lead.text.strip()[:400],
        confidence=0.3,
    )
    lead_end = sents[min(2, len(sents) - 1)].end_char
    times = [
        m
        for m in ctx.mentions
        if m.kind == "time"
        and m.start < lead_end
        and m.precision in ("day", "month", "year")
        and not m.value.startswith("X")
    ]
    if times:
        value = _time_value(times[0], "about")
        event.date, event.date_text = replace(value, rule=value.rule + "+lead-fallback"), times[0].text
        event.date_span = (times[0].start, times[0].end)
    places = [
        m
        for m in ctx.mentions
        if m.kind == "place" and m.start < lead_end and m.value and m.attrs.get("role") != "dateline"
    ]
    if places:
        best = places[0]
        event.place = {
            k: best.attrs.get(k)
            for k in ("country_code", "country", "admin1", "latitude", "longitude", "geonameid")
        }
        event.place.update({"name": best.value, "precision": best.precision})
        event.place_text, event.place_span = best.text, (best.start, best.end)
    return event


def _date_from_the_lede(main: Event, ctx: DocContext) -> None:
    """A main event with no day: with no date at all, the first day the lead's first sentences name; else the
    first day the headline or the lede names in the week before publication (inside the event's month or year
    where it has one); else, with no date at all, the publication day as the day it happened on or before.
    Each is weaker than a date attached to the trigger, so linking treats it as soft evidence."""
    if main.date is None:
        lead = [
            m
            for m in ctx.mentions
            if m.kind == "time"
            and m.sentence <= 2
            and m.precision == "day"
            and not m.value.startswith("X")
            and not ctx.in_dateline(m.start)
        ]
        if lead:
            value = _time_value(lead[0], "about")
            main.date, main.date_text = replace(value, rule=value.rule + "+lead-fallback"), lead[0].text
            main.date_span = (lead[0].start, lead[0].end)
            return
    if main.date is not None and main.date.precision == "day":
        return
    coarse = main.date.value if main.date is not None else ""
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        if (
            m.kind == "time"
            and m.precision == "day"
            and m.sentence <= LEDE_SENTENCES
            and m.value.startswith(coarse)
            and _in_the_week_before(m.value, ctx.published)
            and not ctx.in_dateline(m.start)
        ):
            value = _time_value(m, "about")
            main.date, main.date_text = replace(value, rule=value.rule + "+lede-day"), m.text
            main.date_span = (m.start, m.end)
            return
    if main.date is None and ctx.published_precision == "day" and ctx.published:
        main.date = TimeValue(
            value=ctx.published[:10],
            precision="day",
            rule="publication-day",
            qualifier="on-or-before",
            anchor=ctx.published[:10],
            anchor_source=ctx.published_source,  # type: ignore[arg-type]
        )


def _in_the_week_before(day: str, published: str) -> bool:
    try:
        gap = (dt.date.fromisoformat(published[:10]) - dt.date.fromisoformat(day)).days
    except ValueError:
        return False
    return 0 <= gap <= LEDE_DAY_WINDOW


def _time_value(mention: Mention, qualifier: str) -> TimeValue:
    a = mention.attrs
    return TimeValue(
        value=mention.value,
        precision=mention.precision,
        rule=str(a.get("rule", "")),  # type: ignore[arg-type]
        start=str(a.get("start", "")),
        end=str(a.get("end", "")),
        qualifier=qualifier or str(a.get("qualifier", "on")),
        anchor=str(a.get("anchor", "")),
        anchor_source=str(a.get("anchor_source", "unknown")),
    )  # type: ignore[arg-type]


def _origin(sent: Span, place: Mention) -> bool:
    """Not the event's place: a home region or earlier movement ('from Chechnya', 'infiltrated groups in
    Kazakhstan'), or a possessive or modifier ("Russia's security service", "Russian-speaking")."""
    doc = sent.doc
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    if span.end < len(doc) and doc[span.end].tag_ == "POS" or span.root.dep_ in ("poss", "amod"):
        return True
    if span.root.dep_ == "compound":
        head = span.root.head
        return not (head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE)
    root = span.root
    while root.dep_ in ("appos", "conj") and root.head is not root:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ not in _LOCATIVE:
        return True
    if root.dep_ in ("nsubj", "nsubjpass", "dobj", "dative"):
        return True
    for node in [span.root, *list(span.root.ancestors)[:3]]:
        if node.lemma_.lower() in _ORIGIN_HEADS:
            return True
        if node.lower_ == "from" and node.head.lemma_.lower() in (
            "be",
            "come",
            "hail",
            "originate",
            "return",
            "travel",
            "flee",
        ):
            return True
    return False


def _dates_agree(a: TimeValue, b: TimeValue) -> bool:
    """One value within the other, or a date shortly before a bound: "the video, released today, said
    the men had been captured" (on or before today) agrees with "captured late last month"."""
    if a.value.startswith(b.value) or b.value.startswith(a.value):
        return True
    for bound, other in ((a, b), (b, a)):
        if (
            bound.qualifier == "on-or-before"
            and other.qualifier != "on-or-before"
            and bound.start
            and other.start
        ):
            earliest = dt.date.fromisoformat(bound.start) - dt.timedelta(days=BOUND_LOOKBACK_DAYS)
            if other.start <= bound.end and dt.date.fromisoformat(other.end or other.start) >= earliest:
                return True
    return False


def _nearest(count: Count, candidates: list[tuple[Trigger, Event]]) -> Event | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: abs(c[1].trigger_start - count.start))[1]


def _victims(event: Event) -> set[str]:
    return {
        p.canonical for p in event.participants if p.role == "victim" and p.kind == "person" and p.canonical
    }


def _perps(event: Event) -> set[str]:
    return {p.canonical for p in event.participants if p.role == "perpetrator" and p.canonical}


def _compatible(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type or a.modality != b.modality:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if (
        a.event_type == "ASSAULT"
        and (not a.mode or not b.mode)
        and abs(a.sentence - b.sentence) > 2
        and not (_victims(a) & _victims(b))
    ):
        return False
    if a.date and b.date and a.date.value and b.date.value and not _dates_agree(a.date, b.date):
        return False
    if _victims(a) and _victims(b) and not (_victims(a) & _victims(b)):
        return False
    if _perps(a) and _perps(b) and not (_perps(a) & _perps(b)):
        return False
    ca, cb = a.place.get("country_code"), b.place.get("country_code")
    return not (ca and cb and ca != cb)


def _absorb(into: Event, other: Event) -> None:
    into.mode = into.mode or other.mode
    if other.date and (
        into.date is None
        or (into.date.qualifier == "on-or-before" and other.date.qualifier != "on-or-before")
    ):
        into.date, into.date_text, into.date_span = other.date, other.date_text, other.date_span
    if other.place and (not into.place or _rank(other.place) > _rank(into.place)):
        into.place, into.place_text, into.place_span = other.place, other.place_text, other.place_span
    names = {(p.role, p.canonical or p.name) for p in into.participants}
    into.participants += [p for p in other.participants if (p.role, p.canonical or p.name) not in names]
    into.counts += other.counts
    into.confidence = min(0.95, into.confidence + 0.05)


def _rank(place: dict[str, object]) -> int:
    return {"city": 3, "admin1": 2, "country": 1}.get(str(place.get("precision")), 0)


def _merge(candidates: list[Event]) -> list[Event]:
    events: list[Event] = []
    for cand in candidates:
        cand.participants = [p for p in cand.participants if p.kind != "pronoun"]
        target = next((e for e in events if _compatible(e, cand)), None)
        if target is None:
            events.append(cand)
        else:
            _absorb(target, cand)
    return events


def _depth(event: Event, doc: Doc) -> int:
    span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
    return len(list(span.root.ancestors)) if span is not None else 9


def _choose_main(events: list[Event], ctx: DocContext, doc: Doc) -> Event:
    """The headline's event (the one nearest the headline's root) wins; else the lead's."""

    def score(e: Event) -> float:
        in_title = any(m.trigger_start < ctx.title_end for m in [e]) or e.sentence == 0 and ctx.title_end > 0
        s = (6.0 - min(_depth(e, doc), 5)) if in_title else 0.0
        s += 2.0 if e.sentence <= 2 else 0.0
        s += 1.5 if e.event_type in VIOLENT else 0.0
        s -= (
            3.0
            if e.event_type == "ARREST"
            and any(o.event_type == "ASSAULT" and o.modality == "asserted" for o in events)
            else 0.0
        )
        s += 1.0 if e.modality == "asserted" else -5.0
        return s - 0.01 * e.sentence

    return max(events, key=score)


def _fill_main(main: Event, doc: Doc, ctx: DocContext) -> None:
    """Document-level evidence for the main event: video release date, perpetrator, salient victim."""
    if main.date is None:
        for sent in doc.sents:
            words = {t.lemma_.lower() for t in sent}
            if {"release", "circulate", "post", "publish"} & words and {"video", "footage"} & words:
                times = [
                    m
                    for m in ctx.mentions
                    if m.kind == "time"
                    and sent.start_char <= m.start < sent.end_char
                    and m.precision != "unknown"
                ]
                if times:
                    main.date, main.date_text = _time_value(times[0], "on-or-before"), times[0].text
                    main.date_span = (times[0].start, times[0].end)
                    break
    if main.event_type in VIOLENT:
        _date_from_the_lede(main, ctx)
    if not _perps(main):
        groups = Counter(
            str(m.attrs.get("acts_for") or m.value)
            for m in ctx.mentions
            if m.kind == "actor" and m.attrs.get("type") in ("armed_group", "media_outlet_of_group")
        )
        if groups:
            from triangulate.records import Participant

            name = groups.most_common(1)[0][0]
            main.participants.append(
                Participant(
                    role="perpetrator",
                    name=name,
                    canonical=name,
                    kind="armed_group",
                    attrs={"basis": "document's dominant armed group"},
                )
            )
    if (main.event_type, main.mode) in _CAPTIVE_TYPES and not _victims(main):
        people = Counter(
            m.value
            for m in ctx.mentions
            if m.kind == "person"
            and not (
                set(m.attrs.get("roles") or ())
                & {"president", "senator", "minister", "spokesperson", "governor", "mayor"}
            )
        )
        perps = _perps(main)
        people = Counter({k: v for k, v in people.items() if k not in perps and len(k.split()) >= 2})
        if people and people.most_common(1)[0][1] >= 1:
            from triangulate.records import Participant

            name = people.most_common(1)[0][0]
            main.participants.append(
                Participant(
                    role="victim",
                    name=name,
                    canonical=name,
                    kind="person",
                    attrs={"basis": "most salient named person"},
                )
            )
    for p in main.participants:
        if p.role == "perpetrator" and p.kind == "media_outlet_of_group":
            p.attrs["acts_for"] = p.canonical
    _implied_killed(main)


def _describe(main: Event, doc: Doc, ctx: DocContext) -> None:
    """What the report says of its own incident as a whole: its people as entities, the city, the street
    location, the time of day and the weapons (each with its evidence span)."""
    text = doc.text
    main.people = people_of(doc, ctx)
    main.city, main.state = city_of(text, ctx)
    main.address = address_of(text, ctx)
    main.times_of_day = times_of_day(text, ctx)
    main.weapons = weapons_of(text, ctx)
    if main.event_type in VIOLENT:
        add_implied_counts(main, doc, ctx.title_end)
        add_hit_counts(main, doc, ctx.title_end)


def _implied_killed(event: Event) -> None:
    """An execution of named captives kills each of them, unless the report gives its own count."""
    if (
        event.mode != "execution"
        or event.modality != "asserted"
        or any(c.field == "killed" for c in event.counts)
    ):
        return
    named = _victims(event)
    if named:
        event.counts.append(
            Count(
                "killed", len(named), len(named), text="implied: execution of a named captive", implied=True
            )
        )
