"""The real server under a concurrent writer, and two analysts racing on one incident version.

A `triangulate serve` subprocess (uvicorn, 127.0.0.1, free port) serves a store built from the
example corpus while a `triangulate run` subprocess ingests and reconciles 200 generated reports
into the same file. Reader threads hammer pages and the API, and an analyst corrects fields,
meanwhile. Nothing may answer 5xx or mention a locked database, in responses or in the server log.
"""

from __future__ import annotations

import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import EXAMPLES
from tests.live_server import (
    SERVER_ERROR_MARKERS,
    LiveServer,
    hammer,
    live_server,
    read_urls,
    start_watch,
    write_corpus,
)
from tests.test_web_api import ERROR_KEYS, PASSWORD
from triangulate.pipeline.run import run
from triangulate.store.db import Store
from triangulate.store.users import add_user

pytestmark = pytest.mark.slow

REPORTS = 200


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """The example corpus through the real pipeline, with two analysts."""
    db = tmp_path_factory.mktemp("concurrency") / "live.db"
    with Store.open(db) as store:
        run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
        add_user(store, "alice", PASSWORD, "analyst")
        add_user(store, "bob", PASSWORD, "analyst")
    return db


@pytest.fixture(scope="module")
def server(store_file) -> Any:
    with live_server(store_file, store_file.parent / "server.log") as live:
        yield live
    log = (store_file.parent / "server.log").read_text(errors="replace")
    for marker in SERVER_ERROR_MARKERS:
        assert marker not in log, f"server log mentions {marker!r}:\n{log[-4000:]}"


def analyst(server: LiveServer, name: str) -> tuple[httpx.Client, str]:
    """A signed-in client (its own cookie jar) and its CSRF token."""
    client = httpx.Client(base_url=server.url, timeout=60)
    csrf = client.get("/api/v1/session").json()["csrf"]
    signed = client.post(
        "/api/v1/session", json={"name": name, "password": PASSWORD}, headers={"X-CSRF-Token": csrf}
    )
    assert signed.status_code == 200, signed.text
    return client, signed.json()["csrf"]


def test_no_5xx_and_no_locked_database_while_ingesting(server, store_file, tmp_path):
    reports = tmp_path / "reports"
    manifest = write_corpus(reports, REPORTS)
    with httpx.Client(base_url=server.url, timeout=60) as probe:
        urls = read_urls(probe)
        docs_before = len(probe.get("/api/v1/documents", params={"limit": 500}).json()["documents"])
    writer = start_watch(reports, store_file, tmp_path / "run.log", manifest)

    corrections: list[int] = []
    stop = threading.Event()

    def correct_fields() -> None:  # an analyst writing through the web while the pipeline writes too
        client, token = analyst(server, "alice")
        with closing(client):
            incident = client.get("/api/v1/incidents", params={"limit": 1}).json()["incidents"][0]["id"]
            n = 0
            while not stop.is_set():
                version = client.get(f"/api/v1/incidents/{incident}").json()["incident"]["version"]
                done = client.post(
                    f"/api/v1/incidents/{incident}/fields/wounded",
                    json={"value": str(n), "version": version, "reason": "load test"},
                    headers={"X-CSRF-Token": token},
                )
                corrections.append(done.status_code)
                n += 1

    writer_thread = threading.Thread(target=correct_fields, daemon=True)
    writer_thread.start()
    try:
        result = hammer(
            server.url,
            urls,
            threads=3,
            until=lambda: writer.poll() is not None,
            min_requests=300,
            max_requests=20_000,
        )
    finally:
        stop.set()
        writer_thread.join(timeout=120)
        writer.wait(timeout=600)
    run_log = (tmp_path / "run.log").read_text(errors="replace")
    assert writer.returncode == 0, run_log
    assert f"{REPORTS} documents added" in run_log, run_log
    assert len(result.samples) >= 300
    assert not result.errors, [(s.url, s.status, s.problem) for s in result.errors[:10]]
    assert {s.status for s in result.samples} <= {200}, {
        (s.url, s.status) for s in result.samples if s.status != 200
    }
    # Corrections either land or meet a version the pipeline just bumped (409); never a server error.
    assert corrections and set(corrections) <= {200, 409}, corrections
    assert corrections.count(200) >= 1
    for marker in SERVER_ERROR_MARKERS:
        assert marker not in server.log(), server.log()[-4000:]
    # The server sees what the pipeline wrote, without a restart.
    with httpx.Client(base_url=server.url, timeout=60) as probe:
        docs = probe.get("/api/v1/documents", params={"limit": 500}).json()["documents"]
        assert len(docs) == docs_before + REPORTS
        assert probe.get("/api/v1/incidents", params={"q": "Mogadishu", "kind": "all"}).json()["incidents"]


def audit_rows(db: Path, incident_id: int) -> list[dict[str, Any]]:
    with Store.open(db) as store:
        return [
            dict(r)
            for r in store.query(
                "SELECT id, user_name, action, version_before, version_after, after FROM audit_log "
                "WHERE incident_id = ? ORDER BY id",
                (incident_id,),
            )
        ]


def race(
    url: str, version: int, submissions: list[tuple[str, httpx.Client, str, str]]
) -> dict[str, httpx.Response]:
    """Every (name, client, token, value) posts a correction of the same version at the same moment."""
    barrier = threading.Barrier(len(submissions))
    answers: dict[str, httpx.Response] = {}

    def submit(who: str, client: httpx.Client, token: str, value: str) -> None:
        barrier.wait()
        answers[who] = client.post(
            url,
            json={"value": value, "version": version, "reason": f"{who}'s list"},
            headers={"X-CSRF-Token": token},
        )

    threads = [threading.Thread(target=submit, args=args) for args in submissions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_two_analysts_on_one_version_first_wins_second_gets_409(server, store_file):
    alice, alice_token = analyst(server, "alice")
    bob, bob_token = analyst(server, "bob")
    with closing(alice), closing(bob):
        candidates = [
            i["id"]
            for i in alice.get("/api/v1/incidents", params={"limit": 4, "sort": "id"}).json()["incidents"]
        ]
        assert len(candidates) >= 3
        for incident in candidates[:3]:
            url = f"/api/v1/incidents/{incident}"
            versions = {
                alice.get(url).json()["incident"]["version"],
                bob.get(url).json()["incident"]["version"],
            }
            assert len(versions) == 1, "both loaded the same version"
            version = versions.pop()
            audit_before = audit_rows(store_file, incident)
            answers = race(
                f"{url}/fields/killed",
                version,
                [("alice", alice, alice_token, "41"), ("bob", bob, bob_token, "43")],
            )
            statuses = sorted(a.status_code for a in answers.values())
            assert statuses == [200, 409], {k: (v.status_code, v.text) for k, v in answers.items()}
            winner = next(k for k, v in answers.items() if v.status_code == 200)
            loser = "bob" if winner == "alice" else "alice"
            conflict = answers[loser].json()
            assert set(conflict) == ERROR_KEYS and conflict["ok"] is False and conflict["status"] == 409
            assert f"version {version}" in conflict["error"] and "reload" in conflict["error"], conflict
            new_version = answers[winner].json()["versions"][str(incident)]
            assert new_version > version and str(new_version) in conflict["error"]
            # Exactly one entry, the winner's; the loser's value was not silently applied.
            added = audit_rows(store_file, incident)[len(audit_before) :]
            assert [(a["user_name"], a["action"], a["version_before"]) for a in added] == [
                (winner, "correct-field", version)
            ]
            won_value = {"alice": "41", "bob": "43"}[winner]
            assert alice.get(url).json()["incident"]["fields"]["killed"]["chosen"] == won_value
            # The loser reloads and re-submits on the new version: it lands, after the winner's entry.
            client, token = (alice, alice_token) if loser == "alice" else (bob, bob_token)
            reloaded = client.get(url).json()["incident"]["version"]
            assert reloaded == new_version
            again = client.post(
                f"{url}/fields/killed",
                json={"value": "44", "version": reloaded, "reason": "merged lists"},
                headers={"X-CSRF-Token": token},
            )
            assert again.status_code == 200, again.text
            added = audit_rows(store_file, incident)[len(audit_before) :]
            assert [a["user_name"] for a in added] == [winner, loser]
            assert client.get(url).json()["incident"]["fields"]["killed"]["chosen"] == "44"
