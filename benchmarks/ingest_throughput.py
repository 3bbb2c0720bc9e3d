"""Ingest throughput: synthetic news in three formats (txt folder, HTML folder, one .warc.gz).

Usage:
    python benchmarks/ingest_throughput.py [--docs 10000] [--formats txt,html,warc] [--no-save]

For each format, ``triangulate.ingest.pipeline.ingest`` runs in a fresh subprocess (so peak RSS
is per format) against a new SQLite store, and a baseline runs in another subprocess on the same
files: for txt, read + decode + sha256 of each file; for HTML, ``trafilatura.extract`` on each
page; for WARC, warcio iteration + ``trafilatura.extract``. The corpus plants exact copies (~2%)
and edited wire copies (~5%) so the duplicate counts can be checked against what was planted.

Results go to ``benchmarks/results/ingest.json`` and to the table between the
``ingest-benchmark`` markers in ``docs/performance.md`` (``--no-save`` prints only).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "ingest.json"
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
START_MARK = "<!-- ingest-benchmark:start -->"
END_MARK = "<!-- ingest-benchmark:end -->"
FORMATS = ("txt", "html", "warc")
EXACT_SHARE = 0.02
NEAR_SHARE = 0.05

# ---------------------------------------------------------------------------------------------
# Synthetic corpus: word lists and sentence templates with many slots, so unrelated stories
# share few word trigrams (estimated Jaccard well under 0.2) while wire copies share most.
# ---------------------------------------------------------------------------------------------

OUTLETS = [
    "Frontier Times",
    "Harbor Wire",
    "Meridian Press",
    "Northern Ledger",
    "Daily Courier",
    "Radio Free Steppe",
    "Coastal Herald",
    "Valley Observer",
    "Capital Dispatch",
    "Desert Sun",
    "Lakeside Gazette",
    "Highland Post",
    "River City Tribune",
    "Eastern Chronicle",
    "Plains Monitor",
]
WIRES = ["Harbor Wire", "Meridian Press", "Global Newswire", "Continental Press Agency"]
FIRST = [
    "Amina",
    "Bilal",
    "Carlos",
    "Dana",
    "Elif",
    "Farid",
    "Grace",
    "Hassan",
    "Ines",
    "Jamal",
    "Kofi",
    "Leila",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Qasim",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "Wahid",
    "Yusuf",
    "Zainab",
    "Ahmed",
    "Beatriz",
    "Chen",
    "Dmitri",
    "Esther",
    "Fatima",
    "Gul",
]
LAST = [
    "Khan",
    "Okafor",
    "Rahimi",
    "Silva",
    "Novak",
    "Haddad",
    "Mensah",
    "Petrov",
    "Yilmaz",
    "Baloch",
    "Shah",
    "Mwangi",
    "Ortiz",
    "Nasser",
    "Qureshi",
    "Durrani",
    "Abbasi",
    "Kariuki",
    "Moreno",
    "Aziz",
    "Farouk",
    "Lindqvist",
    "Osei",
    "Tahir",
    "Wardak",
    "Yousafzai",
    "Zubair",
    "Ibrahim",
    "Jalali",
]
TOWNS = [
    "Kohat",
    "Bannu",
    "Mardan",
    "Zhob",
    "Loralai",
    "Khuzdar",
    "Kulachi",
    "Mir Ali",
    "Gulbahar",
    "Turbat",
    "Chaman",
    "Sibi",
    "Tank",
    "Lakki Marwat",
    "Hangu",
    "Parachinar",
    "Dera Bugti",
    "Panjgur",
    "Gwadar",
    "Swabi",
    "Charsadda",
    "Nowshera",
    "Karak",
    "Kalat",
    "Mastung",
    "Quetta",
    "Peshawar",
    "Abbottabad",
    "Timergara",
    "Mingora",
    "Batkhela",
    "Jamrud",
    "Landi Kotal",
    "Wana",
    "Miranshah",
    "Razmak",
    "Dalbandin",
    "Noshki",
    "Pishin",
    "Ziarat",
    "Barkhan",
    "Musakhel",
    "Awaran",
    "Kech",
    "Hub",
    "Uthal",
    "Jiwani",
]
REGIONS = [
    "the northwest",
    "the southwest",
    "the tribal districts",
    "the border region",
    "the central valley",
    "the coastal belt",
    "the mountain districts",
    "the eastern plains",
    "the desert south",
]
GROUPS = [
    "the National Liberation Front",
    "the Mountain Brigade",
    "the Eastern Jihad Council",
    "the Free Valley Movement",
    "the Sons of the Frontier",
    "the Coastal Resistance Army",
    "the Islamic Defence Committee",
    "the People's Army of the South",
    "an unnamed splinter faction",
]
AUTHORITIES = [
    "police",
    "the district administration",
    "the provincial interior ministry",
    "army spokesmen",
    "hospital officials",
    "the counter-terrorism department",
    "rescue workers",
    "local elders",
    "the deputy commissioner",
    "a senior police officer",
    "paramilitary forces",
    "tribal leaders",
    "the provincial health department",
    "a government spokeswoman",
    "security sources",
]
WITNESSES = [
    "a shopkeeper",
    "a taxi driver",
    "a schoolteacher",
    "a farmer",
    "a student",
    "a street vendor",
    "a nurse",
    "a retired soldier",
    "a mechanic",
    "a local journalist",
    "a mosque caretaker",
]
TARGETS = [
    "a police checkpoint",
    "a crowded vegetable market",
    "a military convoy",
    "a girls' school",
    "a polio vaccination team",
    "a bus station",
    "a mosque during Friday prayers",
    "a bank branch",
    "the district courts",
    "a paramilitary camp",
    "a wedding party",
    "a fuel depot",
    "a customs post",
    "a gas pipeline",
    "a mobile phone tower",
    "a power station",
    "a hotel",
]
WEAPONS = [
    "a roadside bomb",
    "a suicide bomber",
    "gunmen on motorcycles",
    "a car bomb",
    "rocket fire",
    "a hand grenade",
    "a drone strike",
    "mortar shells",
    "an improvised explosive device",
    "a remote-controlled bomb",
    "assault rifles",
    "a truck laden with explosives",
]
DAYS = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "late on Sunday night",
    "early on Monday",
    "before dawn on Wednesday",
    "on Thursday afternoon",
    "shortly after midday on Friday",
    "on Saturday evening",
    "overnight",
]
ADVERBS = [
    "immediately",
    "later",
    "repeatedly",
    "publicly",
    "reportedly",
    "formally",
    "quietly",
    "angrily",
    "again",
    "separately",
    "initially",
    "swiftly",
    "privately",
    "cautiously",
    "firmly",
]
ADJECTIVES = [
    "heavy",
    "sporadic",
    "intense",
    "brief",
    "sustained",
    "fierce",
    "renewed",
    "unexpected",
    "coordinated",
    "deadly",
    "prolonged",
    "sudden",
    "isolated",
    "widespread",
]
NOUNS = [
    "security",
    "reconstruction",
    "compensation",
    "an inquiry",
    "talks",
    "curfews",
    "checkpoints",
    "patrols",
    "arrests",
    "funerals",
    "protests",
    "negotiations",
    "relief supplies",
    "evacuations",
    "road closures",
    "power cuts",
    "school closures",
    "border crossings",
    "ceasefire terms",
]

TEMPLATES = [
    "{weapon} struck {target} in {town} {day}, killing {n1} people and wounding {n2}, {authority} said.",
    "At least {n1} people were killed when {weapon} hit {target} on the outskirts of {town} {day}.",
    "{Authority} said {n2} of the wounded had been moved to the district hospital in {town2}, where {n3} were in critical condition.",
    "No group {adverb} claimed responsibility, but suspicion fell on {group}, which has carried out {adj} attacks in {region}.",
    "{Group} {adverb} denied any role in the attack in a statement sent to reporters in {town2}.",
    '"We heard {adj} firing and then a huge blast," said {person}, {witness} who was near {target} at the time.',
    "{Person}, {witness} from {town}, said {n3} members of one family were among the dead.",
    "The attack was the {ordinal} in {region} this month, according to figures compiled by {authority}.",
    "{Authority} {adverb} imposed a curfew across {town} and set up {n2} checkpoints on roads leading to {town2}.",
    "Footage shared on social media showed {adj} smoke rising over {target} as residents of {town} ran for cover.",
    "{Person}, a spokesperson for {authority}, told {outlet} that {n1} suspects had been detained in {town2}.",
    "Officials in {town2} warned that the toll could rise because {n2} people were still missing under the rubble.",
    "{Group} has been fighting the government in {region} since {year}, demanding {noun} and the release of prisoners.",
    "Residents of {town} {adverb} complained that {noun} and {noun2} had made daily life almost impossible.",
    "The provincial government announced compensation of {money} for the families of each of the {n1} victims.",
    "Human rights groups {adverb} called for an independent investigation into the {adj} violence in {town}.",
    "In {year}, a similar attack on {target2} in {town2} killed {n3} people and led to weeks of {noun}.",
    "Security analysts say {group} has {adverb} shifted its tactics towards {target2} since {year}.",
    "{Authority} said a search operation involving {n2} personnel was under way in the hills around {town}.",
    "Shops and markets in {town2} remained shut {day} as traders joined a strike to protest against {noun}.",
    "The interior minister, {person}, {adverb} condemned the bombing and ordered {noun} in {region}.",
    "Doctors at the hospital in {town} appealed for blood donations after receiving {n2} injured people.",
    "{Person} of {authority} said the explosives weighed about {n3} kilograms and were hidden in a parked cart.",
    "Funerals for {n3} of the victims were held in {town2} {day}, attended by hundreds of mourners.",
    "Opposition lawmakers {adverb} demanded a debate on {noun} in {region} after the latest {adj} violence.",
    "A curfew imposed {day} in parts of {town} was {adverb} lifted after {n2} hours, {authority} said.",
    "The road between {town} and {town2} was closed for {n3} hours while bomb disposal teams searched vehicles.",
    "{Witness} told {outlet} that {adj} gunfire continued for almost {n3} minutes after the first explosion.",
    "Negotiations between tribal elders and {authority} over {noun} {adverb} stalled {day}.",
    "Aid agencies said {n2} families had fled their homes in {town} and were sheltering in schools in {town2}.",
]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
HEADLINES = [
    "{N1} killed as {weapon} hits {target} in {town}",
    "{Weapon} kills {n1} at {target} in {region}",
    "Death toll rises to {n1} after attack on {target} in {town}",
    "{Group} blamed for {town} attack that killed {n1}",
    "Curfew in {town} after {n1} die in attack on {target}",
    "Mourners bury {n1} victims of {town} bombing",
    "Search under way after {weapon} strikes {target} near {town}",
]
NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fourteen",
    "fifteen",
    "twenty",
]
BOILERPLATE_TOP = ["Share this article", "Share", "Tweet", "Email", "Listen to this article"]
BOILERPLATE_MID = ["Advertisement", "Advertisement", "Read more", "Related stories"]
NAV = ["Home", "World", "Region", "Politics", "Business", "Opinion", "Sport", "Culture", "Video", "Podcasts"]


@dataclass
class Article:
    """One synthetic report and how it relates to the others."""

    index: int
    kind: str  # original | exact | near
    of: int | None
    outlet: str
    headline: str
    author: str
    published: date
    paragraphs: list[str]
    url: str
    credits: list[str] = field(default_factory=list)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shingles(a: Article) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join([a.headline, *a.paragraphs]).casefold())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _jaccard(a: Article, b: Article) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / max(len(sa | sb), 1)


class CorpusMaker:
    """Deterministic generator of synthetic news reports with planted duplicates."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def slots(self, story: dict[str, str]) -> dict[str, str]:
        r = self.rng
        values = dict(story)
        values.update(
            town2=r.choice(TOWNS),
            target2=r.choice(TARGETS),
            n2=str(r.randint(2, 90)),
            n3=str(r.randint(2, 40)),
            person=self.person(),
            witness=r.choice(WITNESSES),
            adverb=r.choice(ADVERBS),
            adj=r.choice(ADJECTIVES),
            noun=r.choice(NOUNS),
            noun2=r.choice(NOUNS),
            year=str(r.randint(1998, 2023)),
            ordinal=r.choice(ORDINALS),
            money=f"{r.randint(2, 30) * 100_000:,} rupees",
            outlet=story["outlet"],
            authority=r.choice(AUTHORITIES),
        )
        for key in ("weapon", "group", "authority", "person", "witness", "n1"):
            values[key.capitalize()] = _cap(values[key])
        values["N1"] = _cap(values["n1"])
        return values

    def sentence(self, story: dict[str, str]) -> str:
        return self.rng.choice(TEMPLATES).format(**self.slots(story))

    def story(self, outlet: str) -> dict[str, str]:
        r = self.rng
        n1 = r.randint(2, 60)
        return {
            "weapon": r.choice(WEAPONS),
            "target": r.choice(TARGETS),
            "town": r.choice(TOWNS),
            "region": r.choice(REGIONS),
            "group": r.choice(GROUPS),
            "day": r.choice(DAYS),
            "n1": NUMBER_WORDS[n1 % len(NUMBER_WORDS)] if n1 < 15 else str(n1),
            "outlet": outlet,
        }

    def paragraphs(self, story: dict[str, str], words: int) -> list[str]:
        paragraphs: list[str] = []
        count = 0
        while count < words:
            para = " ".join(self.sentence(story) for _ in range(self.rng.randint(1, 3)))
            paragraphs.append(para)
            count += len(para.split())
        return paragraphs

    def original(self, index: int) -> Article:
        r = self.rng
        outlet = r.choice(OUTLETS)
        story = self.story(outlet)
        published = date(2023, 1, 1) + timedelta(days=r.randint(0, 700))
        headline = _cap(r.choice(HEADLINES).format(**self.slots(story)))
        slug = "-".join(headline.lower().split()[:6]).replace("'", "")
        paragraphs = self.paragraphs(story, r.randint(200, 600))
        town = story["town"].upper()
        if r.random() < 0.4:
            paragraphs[0] = f"{town} \u2014 {paragraphs[0]}"
        return Article(
            index,
            "original",
            None,
            outlet,
            headline,
            self.person(),
            published,
            paragraphs,
            f"https://{outlet.lower().replace(' ', '')}.example/{published:%Y/%m/%d}/{slug}-{index}",
        )

    def exact_copy(self, index: int, of: Article) -> Article:
        # The same article crawled twice (say canonical and mobile URL): same text, other page furniture.
        return Article(
            index,
            "exact",
            of.index,
            of.outlet,
            of.headline,
            of.author,
            of.published,
            list(of.paragraphs),
            of.url.replace("https://", "https://m.") + f"?ref={index}",
        )

    def near_copy(self, index: int, of: Article) -> Article:
        # A wire story republished by another outlet: new headline, a few sentences edited or swapped.
        # Edits are redrawn until the copy keeps >= 0.6 of the original's word 3-shingles (Jaccard),
        # the range of real wire copies, so every planted copy should be found at threshold 0.5.
        for _ in range(20):
            copy = self._edited(index, of)
            if _jaccard(copy, of) >= 0.6:
                return copy
        return copy

    def _edited(self, index: int, of: Article) -> Article:
        r = self.rng
        outlet = r.choice([o for o in OUTLETS if o != of.outlet])
        story = self.story(outlet)
        paragraphs = []
        for para in of.paragraphs:
            roll = r.random()
            if roll < 0.06:
                continue
            if roll < 0.12:
                paragraphs.append(self.sentence(story))
            elif roll < 0.20:
                sentences = para.split(". ")
                sentences[-1] = (
                    sentences[-1].replace(" said.", " told reporters.").replace(" said ", " stated ")
                )
                paragraphs.append(". ".join(sentences))
            else:
                paragraphs.append(para)
        if len(paragraphs) < 2:
            paragraphs = list(of.paragraphs)
        headline = _cap(r.choice(HEADLINES).format(**self.slots(story)))
        wire = r.choice(WIRES)
        return Article(
            index,
            "near",
            of.index,
            outlet,
            headline,
            self.person(),
            of.published + timedelta(days=1),
            paragraphs,
            f"https://{outlet.lower().replace(' ', '')}.example/wire/{index}",
            [wire],
        )

    def corpus(self, n: int) -> list[Article]:
        articles: list[Article] = []
        originals: list[Article] = []
        for index in range(n):
            roll = self.rng.random()
            if originals and roll < EXACT_SHARE:
                articles.append(self.exact_copy(index, self.rng.choice(originals)))
            elif originals and roll < EXACT_SHARE + NEAR_SHARE:
                articles.append(self.near_copy(index, self.rng.choice(originals)))
            else:
                article = self.original(index)
                originals.append(article)
                articles.append(article)
        return articles


def render_txt(a: Article, rng: random.Random) -> str:
    lines = [a.headline, "", f"By {a.author} | {a.published:%B %-d, %Y}", "", rng.choice(BOILERPLATE_TOP), ""]
    for i, para in enumerate(a.paragraphs):
        lines += [para, ""]
        if i % 4 == 2:
            lines += [rng.choice(BOILERPLATE_MID), ""]
    if a.credits:
        lines += [f"With reporting by {', '.join(a.credits)}.", ""]
    lines += [
        "Share this article",
        "",
        f"\u00a9 {a.published.year} {a.outlet}. All rights reserved.",
        "Privacy policy | Terms of use | Contact us",
    ]
    return "\n".join(lines) + "\n"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_html(a: Article, rng: random.Random, related: list[str]) -> str:
    nav = "".join(f'<li><a href="/{x.lower()}">{x}</a></li>' for x in rng.sample(NAV, len(NAV)))
    body = []
    for i, para in enumerate(a.paragraphs):
        body.append(f"<p>{_esc(para)}</p>")
        if i % 4 == 2:
            body.append('<div class="ad-slot"><p>Advertisement</p></div>')
    if a.credits:
        body.append(f"<p><em>With reporting by {_esc(', '.join(a.credits))}.</em></p>")
    aside = "".join(f'<li><a href="/story/{rng.randint(1, 10**6)}">{_esc(h)}</a></li>' for h in related)
    iso = f"{a.published:%Y-%m-%d}T{rng.randint(5, 22):02d}:{rng.randint(0, 59):02d}:00Z"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{_esc(a.headline)} | {_esc(a.outlet)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{_esc(a.headline)}">
<meta property="og:site_name" content="{_esc(a.outlet)}">
<meta name="author" content="{_esc(a.author)}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{_esc(a.url)}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<header class="site-header"><a class="logo" href="/">{_esc(a.outlet)}</a>
<nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"><button>Search</button></form>
</header>
<main>
<article class="story">
<h1>{_esc(a.headline)}</h1>
<p class="byline">By <a href="/authors/{a.author.lower().replace(" ", "-")}">{_esc(a.author)}</a></p>
<time datetime="{iso}">{a.published:%B %-d, %Y}</time>
<div class="share"><a href="#">{rng.choice(BOILERPLATE_TOP)}</a></div>
{chr(10).join(body)}
</article>
<aside class="related"><h2>Related stories</h2><ul>{aside}</ul></aside>
</main>
<footer class="site-footer">
<p>&copy; {a.published.year} {_esc(a.outlet)}. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li><li><a href="/about">About us</a></li></ul>
</footer>
</body>
</html>
"""


@dataclass
class Corpus:
    """Paths of the generated inputs and what was planted."""

    folder: Path
    planted_exact: int
    planted_near: int
    paths: dict[str, Path]
    payload_bytes: dict[str, int]
    disk_bytes: dict[str, int]


def write_corpus(folder: Path, n: int, seed: int, formats: tuple[str, ...]) -> Corpus:
    """Write the same N articles as txt files, HTML pages and one WARC of HTTP responses."""
    maker = CorpusMaker(seed)
    articles = maker.corpus(n)
    rng = random.Random(seed + 1)
    headlines = [a.headline for a in articles]
    paths = {"txt": folder / "txt", "html": folder / "html", "warc": folder / "pages.warc.gz"}
    payload = dict.fromkeys(formats, 0)
    pages: list[tuple[Article, bytes]] = []
    if "txt" in formats:
        paths["txt"].mkdir()
        for a in articles:
            data = render_txt(a, rng).encode("utf-8")
            (paths["txt"] / f"doc{a.index:06d}.txt").write_bytes(data)
            payload["txt"] += len(data)
    if "html" in formats or "warc" in formats:
        pages = [(a, render_html(a, rng, rng.sample(headlines, 5)).encode("utf-8")) for a in articles]
    if "html" in formats:
        paths["html"].mkdir()
        for a, data in pages:
            (paths["html"] / f"doc{a.index:06d}.html").write_bytes(data)
            payload["html"] += len(data)
    if "warc" in formats:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        with open(paths["warc"], "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            writer.write_record(
                writer.create_warcinfo_record("pages.warc.gz", {"software": "ingest_throughput.py"})
            )
            for a, data in pages:
                headers = StatusAndHeaders(
                    "200 OK",
                    [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))],
                    protocol="HTTP/1.1",
                )
                record = writer.create_warc_record(
                    a.url, "response", payload=io.BytesIO(data), http_headers=headers
                )
                writer.write_record(record)
                payload["warc"] += len(data)

    def disk(path: Path) -> int:
        return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size

    return Corpus(
        folder,
        sum(a.kind == "exact" for a in articles),
        sum(a.kind == "near" for a in articles),
        {f: paths[f] for f in formats},
        payload,
        {f: disk(paths[f]) for f in formats},
    )


# ---------------------------------------------------------------------------------------------
# Child processes: one measurement each, result as one JSON line on stdout.
# ---------------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _import_trafilatura():  # type: ignore[no-untyped-def]
    try:
        import trafilatura
    except ImportError:
        # Its justext import needs lxml_html_clean; the HTML reader knows how to import it without.
        from triangulate.ingest.readers.html import _trafilatura

        return _trafilatura()
    return trafilatura


def _status_mb(field: str) -> float | None:
    """A memory line of /proc/self/status (VmRSS: now, VmHWM: peak) in MB; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+), so the ingest peak excludes import spikes."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _status_mb("VmHWM") is not None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def child_ours(fmt: str, path: str, db: str, trace: bool) -> dict[str, object]:
    from triangulate.ingest.pipeline import ingest
    from triangulate.ingest.readers.base import reader_for
    from triangulate.store.db import Store

    reader_for(fmt)  # import the readers (and trafilatura, warcio) before the clock starts
    if fmt in ("html", "warc"):
        _import_trafilatura()
    before = _status_mb("VmRSS")
    reset = _reset_peak_rss()
    if trace:
        import tracemalloc

        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    with Store.open(db) as store:
        report = ingest(store, [path])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    out: dict[str, object] = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_ingest_mb": before,
        "ingest_peak_rss_mb": _status_mb("VmHWM") if reset else None,
        "added": report.added,
        "exact_duplicates": report.exact_duplicates,
        "near_duplicates": report.near_duplicates,
        "rejected": len(report.rejected),
        "rejected_examples": [r.line() for r in report.rejected[:3]],
    }
    if trace:
        import tracemalloc

        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return out


def child_baseline(fmt: str, path: str) -> dict[str, object]:
    docs = 0
    if fmt == "txt":
        started, cpu_started = time.perf_counter(), time.process_time()
        for f in sorted(Path(path).iterdir()):
            data = f.read_bytes()
            data.decode("utf-8")
            hashlib.sha256(data).hexdigest()
            docs += 1
    else:
        trafilatura = _import_trafilatura()
        if fmt == "html":
            files = sorted(Path(path).iterdir())
            started, cpu_started = time.perf_counter(), time.process_time()
            for f in files:
                trafilatura.extract(f.read_bytes().decode("utf-8"))
                docs += 1
        else:
            from warcio.archiveiterator import ArchiveIterator

            started, cpu_started = time.perf_counter(), time.process_time()
            with open(path, "rb") as fh:
                for record in ArchiveIterator(fh):
                    if record.rec_type != "response":
                        continue
                    trafilatura.extract(record.content_stream().read().decode("utf-8", "replace"))
                    docs += 1
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "docs": docs,
        "peak_rss_mb": _peak_rss_mb(),
    }


def run_child(args: list[str]) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Machine description, results file and the docs table.
# ---------------------------------------------------------------------------------------------


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    ram_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("triangulate", "trafilatura", "warcio", "datasketch", "lxml"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
        # Other work on the machine slows every number; a load near the core count means a noisy run.
        "load_average_1m_at_start": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def table(results: dict[str, object]) -> str:
    m = results["machine"]
    rows = [
        "| Format | Docs | Input MB | Ingest docs/s | Ingest MB/s | Peak RSS MB | RSS MB during ingest | Baseline | Baseline docs/s "
        "| Ours / baseline (wall) | Ours / baseline (CPU) | Exact dups found / planted | Near dups found / planted |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for fmt, r in results["formats"].items():
        rows.append(
            f"| {fmt} | {r['docs']:,} | {r['payload_mb']:.1f} | {r['docs_per_s']:,.0f} | {r['mb_per_s']:.2f} "
            f"| {r['peak_rss_mb']:.0f} | {_mb(r['rss_before_ingest_mb'])} → {_mb(r['ingest_peak_rss_mb'])} | {r['baseline']} | {r['baseline_docs_per_s']:,.0f} | {r['ratio']:.2f} | {r['ratio_cpu']:.2f} "
            f"| {r['exact_found']} / {results['planted']['exact']} | {r['near_found']} / {results['planted']['near']} |"
        )
    return "\n".join(
        [
            f"Ingest throughput, {results['docs']:,} synthetic reports per format "
            f"(`python benchmarks/ingest_throughput.py --docs {results['docs']}`, {m['date'][:10]}; "
            f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, "
            f"load {m['load_average_1m_at_start']} at start; "
            "raw numbers in `benchmarks/results/ingest.json`).",
            "",
            *rows,
            "",
            "Input MB is the uncompressed document bytes (txt files, HTML pages; the WARC holds the same pages, "
            f"{results['formats'].get('warc', {}).get('disk_mb', 0):.1f} MB gzipped on disk). Ingest covers read, "
            "clean, dedup and SQLite writes; peak RSS is the whole ingest process (`ru_maxrss`, imports included); RSS during ingest is "
            "the resident size once the modules were imported → the peak while ingesting (peak reset through "
            "`/proc/self/clear_refs`). Baselines: txt = read + "
            "decode + sha256 per file; html = `trafilatura.extract` per page; warc = warcio iteration + "
            "`trafilatura.extract`. Ours / baseline is the ratio of docs/s (below 1 means slower than the baseline), by wall clock and by "
            "CPU time of the measuring process (the CPU ratio is steadier when other work shares the machine).",
        ]
    )


def update_performance_doc(block: str, path: Path = PERFORMANCE_DOC) -> None:
    """Rewrite only the text between the ingest-benchmark markers (create the page if missing)."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = (
            "# Performance\n\nHow fast triangulate is, measured by the scripts in `benchmarks/` "
            "(see `benchmarks/README.md`).\n\n## Machine\n\nUnless a section says otherwise, numbers "
            "come from the development machine: a small cloud VM with 2 cores of an Intel Xeon and "
            "about 23 GB of RAM, no GPU. Each table names the machine it was measured on.\n\n"
            f"## Ingest throughput\n\n{START_MARK}\n{END_MARK}\n"
        )
    if START_MARK not in text or END_MARK not in text:
        text = text.rstrip("\n") + f"\n\n## Ingest throughput\n\n{START_MARK}\n{END_MARK}\n"
    head, rest = text.split(START_MARK, 1)
    _, tail = rest.split(END_MARK, 1)
    path.write_text(f"{head}{START_MARK}\n{block}\n{END_MARK}{tail}", encoding="utf-8")


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=int, default=10_000, help="synthetic documents per format (default 10000)"
    )
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="comma-separated subset of txt,html,warc"
    )
    parser.add_argument("--seed", type=int, default=20240418)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also run ingest once more per format under tracemalloc (slow) for the Python heap peak",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="print only; leave results file and docs alone"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, fmt, path, *rest = args.child
        if kind == "ours":
            out = child_ours(fmt, path, rest[0], trace=len(rest) > 1 and rest[1] == "trace")
        else:
            out = child_baseline(fmt, path)
        print(json.dumps(out))
        return 0

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats {sorted(unknown)}; use {','.join(FORMATS)}")
    tmp = Path(tempfile.mkdtemp(prefix="triangulate-bench-"))
    try:
        started = time.perf_counter()
        corpus = write_corpus(tmp, args.docs, args.seed, formats)
        print(
            f"generated {args.docs:,} documents x {len(formats)} formats in {time.perf_counter() - started:.0f}s "
            f"(planted {corpus.planted_exact} exact, {corpus.planted_near} near copies) in {tmp}",
            file=sys.stderr,
        )
        results: dict[str, object] = {
            "benchmark": "ingest_throughput",
            "machine": machine(),
            "docs": args.docs,
            "seed": args.seed,
            "planted": {"exact": corpus.planted_exact, "near": corpus.planted_near},
            "formats": {},
        }
        for fmt in formats:
            path = str(corpus.paths[fmt])
            ours = run_child(["ours", fmt, path, str(tmp / f"{fmt}.db")])
            base = run_child(["baseline", fmt, path])
            mb = corpus.payload_bytes[fmt] / 1e6
            entry: dict[str, object] = {
                "docs": args.docs,
                "payload_mb": round(mb, 2),
                "disk_mb": round(corpus.disk_bytes[fmt] / 1e6, 2),
                "seconds": round(ours["seconds"], 2),
                "docs_per_s": round(args.docs / ours["seconds"], 1),
                "mb_per_s": round(mb / ours["seconds"], 3),
                "peak_rss_mb": round(ours["peak_rss_mb"], 1),
                "rss_before_ingest_mb": _round(ours["rss_before_ingest_mb"]),
                "ingest_peak_rss_mb": _round(ours["ingest_peak_rss_mb"]),
                "added": ours["added"],
                "rejected": ours["rejected"],
                "rejected_examples": ours["rejected_examples"],
                "exact_found": ours["exact_duplicates"],
                "near_found": ours["near_duplicates"],
                "baseline": {
                    "txt": "read+decode+sha256",
                    "html": "trafilatura.extract",
                    "warc": "warcio+trafilatura.extract",
                }[fmt],
                "cpu_seconds": round(ours["cpu_seconds"], 2),
                "baseline_seconds": round(base["seconds"], 2),
                "baseline_cpu_seconds": round(base["cpu_seconds"], 2),
                "baseline_docs_per_s": round(base["docs"] / base["seconds"], 1),
                "baseline_peak_rss_mb": round(base["peak_rss_mb"], 1),
            }
            entry["ratio"] = round(entry["docs_per_s"] / entry["baseline_docs_per_s"], 4)
            # CPU seconds are far less disturbed than wall time by other work on a shared machine.
            entry["ratio_cpu"] = round(base["cpu_seconds"] / ours["cpu_seconds"], 4)
            if args.tracemalloc:
                traced = run_child(["ours", fmt, path, str(tmp / f"{fmt}-trace.db"), "trace"])
                entry["tracemalloc_peak_mb"] = round(traced["tracemalloc_peak_mb"], 1)
            results["formats"][fmt] = entry
            print(
                f"{fmt:>4}: {entry['docs_per_s']:8,.0f} docs/s {entry['mb_per_s']:7.2f} MB/s "
                f"peak RSS {entry['peak_rss_mb']:4.0f} MB (ingest {_mb(entry['rss_before_ingest_mb'])} -> "
                f"{_mb(entry['ingest_peak_rss_mb'])}) | baseline {entry['baseline_docs_per_s']:8,.0f} docs/s "
                f"| ours/baseline {entry['ratio']:.3f} (CPU {entry['ratio_cpu']:.3f}) | exact {entry['exact_found']}/{corpus.planted_exact} "
                f"near {entry['near_found']}/{corpus.planted_near} | added {entry['added']} "
                f"rejected {entry['rejected']} ({entry['seconds']:.0f}s + {entry['baseline_seconds']:.0f}s)",
                file=sys.stderr,
            )
            for example in entry["rejected_examples"]:
                print(f"      rejected: {example}", file=sys.stderr)
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        if not args.no_save:
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
            update_performance_doc(table(results))
            print(
                f"wrote {RESULTS.relative_to(ROOT)} and {PERFORMANCE_DOC.relative_to(ROOT)}", file=sys.stderr
            )
        print(json.dumps(results["formats"], indent=2))
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
