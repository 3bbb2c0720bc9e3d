"""A real `triangulate serve` in a subprocess, a generated report corpus, and a bounded request hammer.

Shared by tests/test_concurrency.py and benchmarks/load_during_ingest.py: the server runs on
127.0.0.1 on a free port against a store file, `triangulate run` ingests into the same file from
another process, and :func:`hammer` sends pages and API requests from a few threads meanwhile.
"""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

TRIANGULATE = str(Path(sys.executable).with_name("triangulate"))
PLACES = [
    ("Peshawar", "Pakistan"),
    ("Quetta", "Pakistan"),
    ("Kabul", "Afghanistan"),
    ("Mosul", "Iraq"),
    ("Aleppo", "Syria"),
    ("Maiduguri", "Nigeria"),
    ("Mogadishu", "Somalia"),
    ("Bamako", "Mali"),
    ("Kandahar", "Afghanistan"),
    ("Kirkuk", "Iraq"),
]
GROUPS = ["Northern Liberation Front", "Jund al-Jibal", "Islamic State", "al-Shabaab", "unknown gunmen"]
OUTLETS = [
    "Harbor Wire",
    "Meridian Press",
    "Daily Courier",
    "Northern Ledger",
    "Frontier Times",
    "Radio Free Steppe",
]
WEAPONS = [
    ("A bomb exploded at", "bombing"),
    ("Gunmen opened fire at", "shooting"),
    ("A suicide bomber struck", "suicide attack"),
    ("Rockets hit", "rocket attack"),
]
TARGETS = [
    "a crowded market",
    "a police checkpoint",
    "a mosque",
    "a bus station",
    "an army convoy",
    "a wedding party",
]
FILLER = [
    "Security forces sealed off the area and began a search operation.",
    "The provincial governor condemned the attack.",
    "Hospital officials appealed for blood donations.",
    "Shops in the area stayed closed the following day.",
    "It was the deadliest attack in the province this year.",
    "A curfew was imposed across the district overnight.",
    "Police said they had arrested two suspects.",
    "The interior ministry ordered an inquiry.",
    "Local elders called for calm at a gathering on the following morning.",
    "Television footage showed burned-out vehicles.",
    "Schools in the district were closed as a precaution.",
    "Mourners gathered for the funerals later in the day.",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SERVER_ERROR_MARKERS = ("database is locked", "Traceback", "error serving", "OperationalError")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_corpus(folder: Path, n: int, seed: int = 11) -> Path:
    """Write ``n`` short news reports as .txt files (about 3 reports per event, so linking has work) and a manifest."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = []
    for i in range(n):
        event = i // 3
        erng = random.Random(seed * 100_003 + event)
        place, country = erng.choice(PLACES)
        verb, noun = erng.choice(WEAPONS)
        target, group = erng.choice(TARGETS), erng.choice(GROUPS)
        month, day, year = erng.randrange(12), erng.randint(1, 28), erng.choice([2022, 2023, 2024])
        killed = erng.choice([2, 3, 5, 7, 9, 12, 15, 21]) + rng.choice([0, 0, 0, 1])
        wounded = killed * 2 + rng.randint(0, 5)
        outlet = OUTLETS[i % len(OUTLETS)]
        title = f"{killed} killed in {place} {noun}"
        text = (
            f"{title}\n\n{place.upper()}, {country} -- {verb} {target} in "
            f"{place}, {country} on {MONTHS[month]} {day}, {year}, killing {killed} people and wounding {wounded}, police said. "
            f"The {group} claimed responsibility in a statement. {rng.choice(['Officials', 'Witnesses', 'Residents'])} said "
            f"ambulances took the wounded to the main hospital. {' '.join(rng.sample(FILLER, 4))} Report {i} from {outlet}.\n"
        )
        name = f"{i:04d}_{outlet.lower().replace(' ', '-')}.txt"
        (folder / name).write_text(text)
        manifest.append(
            f'{{"file": "{name}", "outlet": "{outlet}", "url": "https://example.org/{i}", '
            f'"published": "{year}-{month + 1:02d}-{day:02d}"}}'
        )
    (folder.parent / f"{folder.name}_manifest.jsonl").write_text("\n".join(manifest) + "\n")
    return folder.parent / f"{folder.name}_manifest.jsonl"


@dataclass
class LiveServer:
    """A running `triangulate serve`: its base URL, process and the file its output goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """Everything the server has written to stdout and stderr so far."""
        return self.log_path.read_text(errors="replace")


@contextmanager
def live_server(db: Path, log_path: Path, timeout: float = 60.0) -> Iterator[LiveServer]:
    """Start `triangulate serve --db DB` on a free port and wait until it answers; stop it on exit."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [TRIANGULATE, "serve", "--db", str(db), "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
        server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited with {process.returncode}:\n{server.log()}")
                try:
                    if httpx.get(server.url + "/api/v1", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer within {timeout:.0f}s:\n{server.log()}")
                time.sleep(0.2)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_run(
    paths: list[Path], db: Path, log_path: Path, manifest: Path | None = None
) -> subprocess.Popen[bytes]:
    """`triangulate run PATHS --db DB` in a subprocess (ingest, then extract, link and reconcile)."""
    args = [TRIANGULATE, "run", *map(str, paths), "--db", str(db)] + (
        ["--manifest", str(manifest)] if manifest else []
    )
    return subprocess.Popen(args, stdout=log_path.open("wb"), stderr=subprocess.STDOUT)


def start_watch(
    folder: Path, db: Path, log_path: Path, manifest: Path | None = None
) -> subprocess.Popen[bytes]:
    """`triangulate watch FOLDER --once` in a subprocess: one streaming batch (ingest, extract, link, reconcile)."""
    args = [
        TRIANGULATE,
        "watch",
        str(folder),
        "--db",
        str(db),
        "--once",
        "--setting",
        "watch_settle_seconds",
        "0",
    ]
    return subprocess.Popen(
        args + (["--manifest", str(manifest)] if manifest else []),
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )


def read_urls(client: httpx.Client) -> list[str]:
    """The pages and API requests a reader sends: lists, filters, search, one incident and document, map data, export."""
    incidents = client.get("/api/v1/incidents", params={"limit": 20, "kind": "all"}).json()["incidents"]
    incident = incidents[0]["id"] if incidents else 1
    document = incidents[0]["documents"][0]["id"] if incidents and incidents[0]["documents"] else 1
    return [
        "/",
        "/?q=market&kind=all",
        "/?sort=killed&status=single-source",
        "/fragments/incidents?q=police",
        "/api/v1/incidents",
        "/api/v1/incidents?q=market&kind=all",
        "/api/v1/incidents?sort=sources&limit=100",
        "/api/v1/overview",
        "/api/v1/search?q=killed",
        f"/incidents/{incident}",
        f"/documents/{document}",
        f"/api/v1/incidents/{incident}",
        f"/api/v1/documents/{document}",
        "/documents?q=police",
        "/api/v1/claims",
        "/api/v1/events?limit=50",
        "/api/v1/export?format=csv&status=corroborated",
        "/api/v1/session",
    ]


@dataclass
class Sample:
    """One request: what, when it started (monotonic), how long it took, and its status (0: no answer)."""

    url: str
    start: float
    seconds: float
    status: int
    problem: str = ""


@dataclass
class HammerResult:
    """Every sample of one hammering run."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def errors(self) -> list[Sample]:
        """5xx answers, transport failures and bodies that mention a locked database."""
        return [s for s in self.samples if s.status >= 500 or s.status == 0 or s.problem]


def hammer(
    base_url: str,
    urls: list[str],
    *,
    threads: int = 3,
    until: Callable[[], bool],
    max_requests: int = 20_000,
    min_requests: int = 0,
    timeout: float = 60.0,
) -> HammerResult:
    """Send ``urls`` round-robin from ``threads`` clients until ``until()`` is true (after ``min_requests``) or ``max_requests``.

    Each thread has its own client (and so its own session cookie, as separate browsers would).
    """
    result = HammerResult()
    lock = threading.Lock()
    count = [0]

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base_url, timeout=timeout) as client:
            i = offset
            while True:
                with lock:
                    if count[0] >= max_requests or (count[0] >= min_requests and until()):
                        return
                    count[0] += 1
                url = urls[i % len(urls)]
                i += 1
                if url == "/api/v1/session":
                    client.cookies.clear()  # a new visitor: the server writes a new anonymous session
                start = time.monotonic()
                try:
                    response = client.get(url)
                    status, body = response.status_code, response.text
                except httpx.HTTPError as exc:
                    status, body = 0, f"{type(exc).__name__}: {exc}"
                elapsed = time.monotonic() - start
                problem = (
                    "database is locked"
                    if "database is locked" in body
                    else (body[:300] if status >= 500 or status == 0 else "")
                )
                with lock:
                    result.samples.append(Sample(url, start, elapsed, status, problem))

    workers = [threading.Thread(target=worker, args=(k * 7,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return result


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]
