"""The web app through the in-process httpx ASGI client on a real store built from the seeds: pages, API,
errors, escaping."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS
from tests.test_web_api import TestClient
from triangulate.pipeline.run import run
from triangulate.store.db import Store
from triangulate.web.app import create_app

XSS = """Market attack <script>window.pwned=1</script> kills 5

KESTREL CITY -- Gunmen <img src=x onerror="alert(1)"> killed 5 people at the market in Kestrel on Tuesday, police said.
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}")
    folder = tmp_path_factory.mktemp("web")
    (folder / "xss.txt").write_text(XSS)
    db = folder / "w.db"
    with Store.open(db) as store:
        run(store, [SEEDS, folder / "xss.txt"])
    return TestClient(create_app(str(db)))


def test_list_page_with_filters_and_headers(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Khasayev" in page.text and "Petrenko" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    filtered = client.get("/", params={"status": "denied"})
    assert "Petrenko" in filtered.text and "Khasayev" not in filtered.text


def test_api_list_pagination_and_errors(client):
    body = client.get("/api/v1/incidents", params={"limit": 2}).json()
    assert body["ok"] and len(body["incidents"]) == 2 and body["next"]
    more = client.get("/api/v1/incidents", params={"limit": 2, "cursor": body["next"]}).json()
    assert {i["id"] for i in more["incidents"]}.isdisjoint({i["id"] for i in body["incidents"]})
    for params in (
        {"limit": "notanumber"},
        {"limit": 0},
        {"status": "bogus"},
        {"cursor": "!!"},
        {"sort": "x;drop"},
    ):
        bad = client.get("/api/v1/incidents", params=params)
        assert bad.status_code == 400
        assert set(bad.json()) == {"ok", "error", "errors", "status"} and bad.json()["ok"] is False
    missing = client.get("/api/v1/incidents/999999")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_sql_injection_in_filters_is_inert(client):
    for q in ("' OR 1=1 --", "%' UNION SELECT * FROM users --", "\\"):
        response = client.get("/api/v1/incidents", params={"q": q, "country": "x' OR '1'='1"})
        assert response.status_code == 200 and response.json()["incidents"] == []


def test_incident_page_shows_matrix_claims_and_contradiction(client):
    petrenko = next(i for i in client.get("/api/v1/incidents", params={"q": "Petrenko"}).json()["incidents"])
    page = client.get(f"/incidents/{petrenko['id']}")
    assert page.status_code == 200
    assert (
        re.search(r'class="chip[^"]* contradiction"', page.text)
        and "colonel" in page.text
        and "captain" in page.text
    )
    assert "Russian Ministry of Defence" in page.text and "denies" in page.text


def test_document_page_highlights_and_escapes(client):
    docs = client.get("/api/v1/incidents", params={"q": "Kestrel", "kind": "all"}).json()["incidents"]
    assert docs
    doc_id = docs[0]["documents"][0]["id"]
    page = client.get(f"/documents/{doc_id}")
    assert "<script>window.pwned" not in page.text and "&lt;script&gt;" in page.text
    assert 'onerror="alert' not in page.text
    assert '<mark class="m m-place"' in page.text
    listing = client.get("/", params={"kind": "all"})
    assert "<script>window.pwned" not in listing.text


def sections(page: str) -> dict[str, str]:
    """The incident page's panels, by title, as plain text (tags stripped)."""
    out = {}
    for part in re.split(r"<h2", page)[1:]:
        title = re.match(r"[^>]*>(.*?)</h2>", part, re.S)
        if title:
            out[title.group(1).strip()] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))
    return out


def test_khasayev_page_shows_sources_claim_no_comment_and_background(client):
    """The seeds' acceptance page: three reports, the claim, the no-comment statement, the background events."""
    found = client.get("/api/v1/incidents", params={"q": "Khasayev"}).json()["incidents"]
    assert len(found) == 1
    page = client.get(f"/incidents/{found[0]['id']}").text
    panels = sections(page)
    reports = page.split('id="reports-title"', 1)[1].split("<h2", 1)[0]
    assert len(set(re.findall(r'href="/documents/(\d+)"', reports))) == 3, "the three reports, each linked"
    assert "Source 1 (2 reports sharing text)" in panels["Source comparison"], (
        "two copies count as one source"
    )
    assert "Claimed by Islamic State" in panels["Verification"]
    assert "Islamic State" in panels["Claims and denials"] and " claims " in panels["Claims and denials"]
    assert "No comment Russian Foreign Ministry" in panels["Verification"]
    related = panels["Related and background events"]
    for background in ("Paris (2015-11)", "shoot-down", "Sharm el-Sheikh", "FIGHT/aerial"):
        assert background in related, background
