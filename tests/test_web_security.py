"""Web security through the in-process ASGI client on a real SQLite store built by the real pipeline.

The store holds the example corpus plus reports whose titles, text, outlets and URLs carry XSS
payloads, and one analyst correction whose value and reason carry payloads too. The tests check:

* every page and API response escapes the payloads (an HTML parser looks for event-handler
  attributes, inline scripts, frames and script URLs in href/src/action);
* every state-changing route (enumerated from the app's routes) refuses a missing, wrong or
  foreign CSRF token with 403 and changes nothing;
* the session id rotates at sign-in, a planted id is never adopted, sign-out kills the id;
* review actions without sign-in (401) or without the analyst role (403) change nothing;
* SQL injection in every query parameter the web code reads (enumerated from the source) is inert;
* export file names and static paths cannot traverse out, and Content-Disposition stays safe.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import EXAMPLES
from tests.test_web_api import ERROR_KEYS, PASSWORD, TestClient, assert_error, sign_in
from triangulate import review
from triangulate.pipeline.run import run
from triangulate.store.db import Store
from triangulate.store.users import add_user
from triangulate.web.app import create_app

WEB_SRC = Path(__file__).resolve().parents[1] / "src" / "triangulate" / "web"
COOKIE = "triangulate_session"

# ------------------------------------------------------------------------------------------
# Hostile corpus

SCRIPT = "<script>window.pwned=1</script>"
HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(5)",
    " javascript:alert(6)",
    "java\tscript:alert(7)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==",
    "vbscript:msgbox(9)",
    'https://example.org/a"onclick="alert(10)',
    "https://example.org/b'><script>alert(11)</script>",
]
HOSTILE_TITLES = [
    f"Market attack {SCRIPT} kills 5",
    '"><img src=x onerror=alert(2)> Bombing in Peshawar market',
    "<svg/onload=alert(3)> Gunmen strike Peshawar market",
    "Second <b onmouseover=alert(4)>report</b> on market blast",
    "'><iframe src=javascript:alert(12)></iframe> market attack",
    '<a href="javascript:alert(13)">click</a> market',
    "Peshawar market bomb <math><mtext><table><mglyph><style><img src=x onerror=alert(14)>",
    "{{ 7*7 }} {% raw %} market template probe",
]
HOSTILE_OUTLETS = [
    "<img src=x onerror=alert(1)>Wire",
    '<svg onload="alert(3)">Courier',
    'Ledger" onmouseover="alert(4)',
    "<script>alert('outlet')</script>",
    "Plain Wire",
    "Daily <style>body{display:none}</style>",
    "Times",
    "Press",
]
HOSTILE_TEXT = (
    'PESHAWAR -- Gunmen <img src=x onerror="alert(1)"> killed {n} people at the vegetable market in Peshawar, '
    "Pakistan on Tuesday, police said. {script} The <svg onload=alert(13)> Brigade claimed responsibility in a "
    'statement, while the Northern Liberation Front denied involvement. <iframe src="javascript:alert(12)"></iframe> '
    'Witnesses said <a href="javascript:alert(15)">the attackers</a> fled on motorbikes.'
)
REVIEW_VALUE = "<img src=x onerror=alert('review')>"
REVIEW_REASON = "<script>alert('reason')</script> hospital list"
QUERY_PAYLOADS = [
    '"><script>alert(1)</script>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "'-alert(1)-'",
]

# ------------------------------------------------------------------------------------------
# SQL injection

INJECTIONS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "1; DROP TABLE incidents; --",
    "1 OR 1=1",
    "%' UNION SELECT password_hash, 1 FROM users --",
    "') OR ('1'='1",
    '" OR ""="',
    "*",
    "%",
    "_",
    "\\",
    "NEAR(a b)",
    "title:market OR 1",
    "1) UNION SELECT * FROM sessions --",
    "id; DELETE FROM audit_log",
    "(SELECT 1)",
    "date_start DESC, (SELECT 1)",
    "\x00",
    "-1",
    "99999999999999999999999",
    "1e3",
    "🙂" * 40,
    "x" * 5000,
]
# Every query parameter each listing reads (the test below checks this against the source).
LISTING_PARAMS: dict[str, tuple[str, ...]] = {
    "/api/v1/incidents": (
        "q",
        "type",
        "status",
        "country",
        "actor",
        "from",
        "to",
        "min_sources",
        "kind",
        "sort",
        "limit",
        "cursor",
    ),
    "/api/v1/overview": (
        "q",
        "type",
        "status",
        "country",
        "actor",
        "from",
        "to",
        "min_sources",
        "kind",
        "sort",
        "limit",
        "cursor",
    ),
    "/api/v1/documents": ("q", "outlet", "incident", "limit", "cursor"),
    "/api/v1/events": ("document", "incident", "role", "type", "limit", "cursor"),
    "/api/v1/claims": ("document", "incident", "stance", "speaker", "limit", "cursor"),
    "/api/v1/search": ("q", "limit"),
    "/api/v1/export": (
        "what",
        "format",
        "schema",
        "filename",
        "q",
        "type",
        "status",
        "country",
        "actor",
        "from",
        "to",
        "min_sources",
        "kind",
    ),
    "/": (
        "q",
        "type",
        "status",
        "country",
        "actor",
        "from",
        "to",
        "min_sources",
        "kind",
        "sort",
        "limit",
        "cursor",
        "done",
    ),
    "/fragments/incidents": (
        "q",
        "type",
        "status",
        "country",
        "actor",
        "from",
        "to",
        "min_sources",
        "kind",
        "sort",
        "limit",
        "cursor",
    ),
    "/documents": ("q", "outlet", "incident", "limit", "cursor"),
    "/signin": ("next",),
}
TEXT_PARAMS = {"q", "type", "country", "actor", "outlet", "speaker", "stance"}

# ------------------------------------------------------------------------------------------
# Path traversal in export names

TRAVERSAL_NAMES = [
    "../../etc/passwd",
    "../../../../../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "..\\..\\windows\\system.ini",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252f..%252fetc",
    "....//....//etc/passwd",
    "report\x00.csv",
    "report%00.csv",
    "report.csv\x00.sh",
    "\r\nSet-Cookie: x=1",
    "a\"; filename*=UTF-8''evil.sh",
    "\u202emoc.csv",
    "ÿ" * 10,
    "a" * 500,
    "",
    ".",
    "..",
    "...",
    ".csv",
    "~/.ssh/id_rsa",
    "file:///etc/passwd",
    "\\\\server\\share\\x.csv",
]
RAW_TRAVERSAL_QUERIES = [
    "filename=..%2F..%2Fetc%2Fpasswd",
    "filename=%2Fetc%2Fpasswd",
    "filename=report%00.csv",
    "filename=%252e%252e%252fsecret",
    "filename=..%5c..%5cwin.ini",
    "filename=%0d%0aSet-Cookie:%20x=1",
    "filename=%C0%AE%C0%AE%2Fetc%2Fpasswd",
]
STATIC_TRAVERSALS = [
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/app.py",
    "/static/vendor/../../app.py",
    "/static/../app.py",
    "/static//etc/passwd",
    "/static/..\\..\\app.py",
    "/static/js/%00.js",
]


# ------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The example corpus plus hostile reports, run through the real pipeline; an analyst, a reader,
    and one correction whose value and reason carry payloads."""
    folder = tmp_path_factory.mktemp("hostile")
    lines = []
    for i, title in enumerate(HOSTILE_TITLES):
        text = (
            HOSTILE_TEXT.format(n=5 + i % 3, script=SCRIPT)
            + f" Report number {i} adds detail {'about the blast ' * (i + 1)}"
        )
        lines.append(
            json.dumps(
                {
                    "id": f"hostile-{i}",
                    "title": title,
                    "text": text,
                    "outlet": HOSTILE_OUTLETS[i],
                    "url": HOSTILE_URLS[i],
                    "published": "2024-03-05",
                }
            )
        )
    (folder / "hostile.jsonl").write_text("\n".join(lines) + "\n")
    db = folder / "hostile.db"
    with Store.open(db) as store:
        run(
            store,
            [EXAMPLES / "corpus", folder / "hostile.jsonl"],
            manifest=EXAMPLES / "corpus_manifest.jsonl",
        )
        alice = add_user(store, "alice", PASSWORD, "analyst")
        add_user(store, "bob", PASSWORD, "analyst")
        add_user(store, "rita", PASSWORD, "reader")
        row = store.query(
            "SELECT i.id, i.version FROM incidents i JOIN incident_events ie ON ie.incident_id = i.id "
            "JOIN documents d ON d.id = ie.doc_id WHERE d.title LIKE '%pwned%' AND i.merged_into IS NULL LIMIT 1"
        )[0]
        review.correct_field(
            store,
            row["id"],
            "perpetrator",
            REVIEW_VALUE,
            version=row["version"],
            who=review.Reviewer("alice", alice.id),
            reason=REVIEW_REASON,
        )
    return db


@pytest.fixture(scope="module")
def client(hostile_db) -> TestClient:
    """An anonymous client on the hostile store (these tests never change it on purpose)."""
    return TestClient(create_app(str(hostile_db)))


@pytest.fixture
def db_copy(hostile_db, tmp_path) -> Path:
    """A private copy of the hostile store for tests that sign in and out."""
    target = tmp_path / "copy.db"
    with Store.open(hostile_db) as store:  # checkpoint so the copy holds everything
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(hostile_db, target)
    return target


FINGERPRINT_TABLES = (
    "incidents",
    "incident_events",
    "incident_links",
    "documents",
    "events",
    "claims",
    "mentions",
    "users",
    "audit_log",
    "review_overrides",
    "review_pairs",
)


def fingerprint(db: Path) -> str:
    """A digest of every table a review action or an injection could change (sessions aside)."""
    digest = hashlib.sha256()
    with Store.open(db) as store:
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
        for table in FINGERPRINT_TABLES:
            for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def audit_count(db: Path) -> int:
    with Store.open(db) as store:
        return int(store.query("SELECT count(*) FROM audit_log")[0][0])


def api_incidents(c: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = c.get("/api/v1/incidents", params={"limit": 500, "kind": "all", **params})
    assert response.status_code == 200, response.text
    return response.json()["incidents"]


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page carries a CSRF token"
    return match.group(1)


URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application", "data:image/svg")


class ActiveContent(HTMLParser):
    """Collects anything in a page that could run script: handlers, inline scripts, frames, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("iframe", "frame", "object", "embed", "base", "meta") and not (
            tag == "meta" and "http-equiv" not in values
        ):
            self.problems.append(f"<{tag}> element")
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(f"inline <script> {attrs}")
        if tag == "style":
            self.problems.append("inline <style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRS and value is not None:
                squashed = re.sub(r"[\x00-\x20]", "", unescape(value)).lower()
                if squashed.startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")


def assert_inert(html: str, where: str) -> None:
    """No active content beyond the app's own /static scripts, and no raw payload text."""
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    assert not parser.problems, (where, parser.problems)
    for raw in (
        "<script>window.pwned",
        "<img src=x onerror",
        "<svg/onload",
        "<svg onload",
        "<iframe",
        "<b onmouseover",
        "<script>alert",
        "<style>body",
        "<math>",
        "<mglyph",
    ):
        assert raw not in html, (where, raw)


async def raw_request(
    app: Any, method: str, path: str, query: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One request straight into the ASGI app with an unnormalised path (an HTTP client would resolve '..')."""
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


# ------------------------------------------------------------------------------------------
# XSS


def test_hostile_reports_reach_incidents(client):
    docs = client.get("/api/v1/documents", params={"limit": 500}).json()["documents"]
    hostile = [d for d in docs if d["title"] in HOSTILE_TITLES]
    assert len(hostile) == len(HOSTILE_TITLES), "every hostile report is stored"
    assert any(
        i for i in api_incidents(client) if {d["id"] for d in i["documents"]} & {d["id"] for d in hostile}
    )


def test_every_page_escapes_stored_payloads(client):
    rows = api_incidents(client)
    hostile_docs = [
        d
        for d in client.get("/api/v1/documents", params={"limit": 500}).json()["documents"]
        if d["title"] in HOSTILE_TITLES
    ]
    hostile_ids = {d["id"] for d in hostile_docs}
    touched = [i for i in rows if {d["id"] for d in i["documents"]} & hostile_ids]
    pages = [
        "/",
        "/?kind=all",
        "/?kind=all&sort=killed",
        "/?q=market&kind=all",
        "/?q=Brigade&kind=all",
        "/fragments/incidents?kind=all",
        "/fragments/incidents?q=market&kind=all",
        "/documents",
        "/documents?q=market",
        "/documents?q=onerror",
        "/api/docs",
        "/signin",
    ]
    pages += [f"/incidents/{i['id']}" for i in touched] + [f"/documents/{d}" for d in sorted(hostile_ids)]
    escaped = {
        "&lt;script&gt;window.pwned=1&lt;/script&gt;": False,
        "&lt;img src=x onerror=alert(1)&gt;Wire": False,
        "&lt;svg/onload=alert(3)&gt;": False,
        "&lt;img src=x onerror=alert(&#39;review&#39;)&gt;": False,
    }
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert_inert(page.text, url)
        for text in escaped:
            escaped[text] = escaped[text] or text in page.text
    assert all(escaped.values()), escaped  # the payloads are shown, as text
    # A javascript:/data: URL is never a link; an http(s) URL with a quote stays inside its attribute.
    for d in hostile_docs:
        page = client.get(f"/documents/{d['id']}").text
        if d["url"].startswith("https://"):
            assert "original article" in page
    incident_pages = "".join(client.get(f"/incidents/{i['id']}").text for i in touched)
    assert "&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt;" in incident_pages


@pytest.mark.parametrize("payload", QUERY_PAYLOADS)
def test_reflected_parameters_are_escaped(client, payload):
    urls = [
        ("/", {"q": payload}),
        ("/", {"q": payload, "actor": payload, "country": payload, "type": payload}),
        ("/fragments/incidents", {"q": payload}),
        ("/documents", {"q": payload, "outlet": payload}),
        ("/signin", {"next": "/" + payload}),
        ("/signin", {"next": payload}),
        ("/", {"done": payload}),
    ]
    for url, params in urls:
        page = client.get(url, params=params)
        assert page.status_code in (200, 400), (url, params)
        assert_inert(page.text, f"{url} {params}")
    for path in (
        f"/nothing/{quote(payload)}",
        f"/incidents/{quote(payload)}",
        f"/documents/{quote(payload)}",
    ):
        page = client.get(path)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert_inert(page.text, path)
    # Sign-in redirects only to local paths, whatever 'next' says.
    for target in (
        "javascript:alert(1)",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:x=1",
    ):
        page = client.get("/signin", params={"next": target})
        assert (
            'value="javascript:' not in page.text
            and 'value="//evil' not in page.text
            and 'value="https://evil' not in page.text
        )


def test_api_returns_payloads_as_json_data_only(client):
    hostile = [
        d
        for d in client.get("/api/v1/documents", params={"limit": 500}).json()["documents"]
        if d["title"] in HOSTILE_TITLES
    ]
    for d in hostile:
        response = client.get(f"/api/v1/documents/{d['id']}")
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.json()["document"]["title"] in HOSTILE_TITLES
        assert "safe_url" not in response.json()["document"]
    for url, params in (
        ("/api/v1/incidents", {"kind": "all", "q": "market"}),
        ("/api/v1/overview", {"kind": "all"}),
        ("/api/v1/search", {"q": "market"}),
        ("/api/v1/search", {"q": QUERY_PAYLOADS[0]}),
        ("/api/v1/claims", {}),
        ("/api/v1/events", {}),
        ("/api/v1/nothing/<script>", {}),
    ):
        response = client.get(url, params=params)
        assert response.headers["content-type"].startswith("application/json"), url
        assert response.headers["x-content-type-options"] == "nosniff"
        json.loads(response.text)
    overview = client.get("/api/v1/overview", params={"kind": "all"}).json()
    assert overview["incidents"]  # the map and timeline draw these titles with textContent (checked below)
    # Exports are downloads, never rendered by the browser as a page.
    for fmt in ("csv", "jsonl", "geojson"):
        response = client.get(
            "/api/v1/export", params={"format": fmt, "what": "documents" if fmt != "geojson" else "incidents"}
        )
        assert response.headers["content-disposition"].startswith("attachment;")
        assert not response.headers["content-type"].startswith("text/html")


def test_scripts_never_put_data_into_html():
    for js in (WEB_SRC / "static" / "js").glob("*.js"):
        text = js.read_text()
        for sink in ("outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in text, f"{js.name} uses {sink}"
        if "innerHTML" in text:  # explore.js swaps in the server-rendered (escaped) list fragment only
            assert js.name == "explore.js" and text.count("innerHTML") == 1


# ------------------------------------------------------------------------------------------
# CSRF, sign-in and sign-out


def state_changing_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path template) of every route that accepts POST, PUT, PATCH or DELETE."""
    out = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in ("POST", "PUT", "PATCH", "DELETE"):
                out.append((method, route.path))
    return out


def review_targets(c: TestClient, db: Path) -> dict[str, Any]:
    """Real ids for the path parameters and bodies that would succeed with a valid token."""
    rows = [i for i in api_incidents(c, kind="main") if i["documents"]]
    multi = next(i for i in rows if len(i["documents"]) > 1)
    other = next(i for i in rows if i["id"] != multi["id"])
    with Store.open(db) as store:
        claim = store.query(
            "SELECT c.id FROM claims c JOIN incident_events ie ON ie.event_id = c.event_id LIMIT 1"
        )[0][0]
        audit = store.query("SELECT id, incident_id FROM audit_log ORDER BY id LIMIT 1")[0]
        audit_version = store.query("SELECT version FROM incidents WHERE id = ?", (audit["incident_id"],))[0][
            0
        ]
    claim_version = c.get(f"/api/v1/incidents/{multi['id']}").json()["incident"]["version"]
    return {
        "incident_id": multi["id"],
        "claim_id": claim,
        "audit_id": audit["id"],
        "field": "killed",
        "bodies": {
            "merge": {
                "other": other["id"],
                "version": multi["version"],
                "other_version": other["version"],
                "reason": "r",
            },
            "split": {"documents": [multi["documents"][0]["id"]], "version": multi["version"], "reason": "r"},
            "correct": {"field": "killed", "value": "99", "version": multi["version"], "reason": "r"},
            "fields": {"value": "99", "version": multi["version"], "reason": "r"},
            "verdict": {"verdict": "false", "version": claim_version, "reason": "r"},
            "undo": {"version": audit_version, "reason": "r"},
            "session": {"name": "alice", "password": PASSWORD},
            "signin": {"name": "alice", "password": PASSWORD},
            "signout": {},
        },
    }


def concrete(path: str, targets: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Fill a route template's parameters and pick the body that action takes."""
    url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(targets[m.group(1)]), path)
    kind = next(
        k
        for k in ("merge", "split", "correct", "fields", "verdict", "undo", "session", "signin", "signout")
        if k in path
    )
    return url, dict(targets["bodies"][kind])


def send(
    c: TestClient,
    method: str,
    url: str,
    body: dict[str, Any],
    token: str | None,
    *,
    origin: str | None = None,
):
    """As the API (JSON, header token) or as a page form (form field token)."""
    headers = {"Origin": origin} if origin else {}
    if url.startswith("/api/"):
        if token is not None:
            headers["X-CSRF-Token"] = token
        if method == "DELETE":
            return c.request(method, url, headers=headers)
        return c.request(method, url, json=body, headers=headers)
    data = {**body, **({"csrf_token": token} if token is not None else {})}
    return c.request(method, url, data=data, headers=headers, follow_redirects=False)


def assert_refused(response, status: int, url: str) -> None:
    if url.startswith("/api/"):
        assert_error(response, status)
    else:
        assert response.status_code == status, (url, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")


def test_every_state_change_needs_the_sessions_csrf_token(db_copy):
    c = TestClient(create_app(str(db_copy)))
    routes = state_changing_routes(c.app)
    assert len(routes) >= 13, (
        routes
    )  # session POST/DELETE, sign-in, sign-out, 5 API and 5 form review actions
    targets = review_targets(c, db_copy)
    token = sign_in(c, "alice")
    other = TestClient(create_app(str(db_copy)))
    other_token = sign_in(other, "bob")  # a valid token, but another session's
    before, audits = fingerprint(db_copy), audit_count(db_copy)
    for method, path in routes:
        url, body = concrete(path, targets)
        for bad in (None, "", "forged", other_token, token[:-1], token + "x", token.upper()):
            assert_refused(send(c, method, url, body, bad), 403, url)
        assert_refused(send(c, method, url, body, token, origin="https://evil.example"), 403, url)
        assert_refused(send(c, method, url, body, token, origin="null"), 403, url)
        assert c.get("/api/v1/session").json()["user"]["name"] == "alice", (
            f"{method} {url} changed the session"
        )
    assert fingerprint(db_copy) == before and audit_count(db_copy) == audits
    # The same requests with the right token do go through (so the refusals above were the token's doing).
    url, body = concrete("/api/v1/incidents/{incident_id:int}/fields/{field}", targets)
    assert c.post(url, json=body, headers={"X-CSRF-Token": token}).status_code == 200
    assert audit_count(db_copy) == audits + 1


def test_sign_in_without_token_creates_no_signed_in_session(db_copy):
    c = TestClient(create_app(str(db_copy)))
    c.get("/signin")
    with Store.open(db_copy) as store:
        before = store.query("SELECT count(*) FROM sessions WHERE user_id IS NOT NULL")[0][0]
    for bad in (None, "forged"):
        assert_refused(
            send(c, "POST", "/api/v1/session", {"name": "alice", "password": PASSWORD}, bad), 403, "/api/"
        )
        assert_refused(
            send(c, "POST", "/signin", {"name": "alice", "password": PASSWORD}, bad), 403, "/signin"
        )
    assert c.get("/api/v1/session").json()["user"] is None
    with Store.open(db_copy) as store:
        assert store.query("SELECT count(*) FROM sessions WHERE user_id IS NOT NULL")[0][0] == before


def _session_row(db: Path, token: str) -> Any:
    with Store.open(db) as store:
        return store.conn.execute(
            "SELECT user_id FROM sessions WHERE token_hash = ?", (hashlib.sha256(token.encode()).hexdigest(),)
        ).fetchone()


@pytest.mark.parametrize("how", ["api", "form"])
def test_session_id_rotates_at_sign_in_and_dies_at_sign_out(db_copy, how):
    planted = "attacker-chosen-session-id-0123456789"
    c = TestClient(create_app(str(db_copy)))
    planted_header = {
        "Cookie": f"{COOKIE}={planted}"
    }  # as a cookie planted by a sibling site or an injected header would be
    if how == "api":
        csrf = c.get("/api/v1/session", headers=planted_header).json()["csrf"]
    else:
        csrf = form_token(c.get("/signin", headers=planted_header).text)
    assert COOKIE not in c.cookies or c.cookies[COOKIE] == planted, "no session before sign-in"
    assert _session_row(db_copy, planted) is None, "an id the server never issued is not adopted"
    anonymous = planted
    if how == "api":
        signed = c.post(
            "/api/v1/session", json={"name": "alice", "password": PASSWORD}, headers={"X-CSRF-Token": csrf}
        )
        assert signed.status_code == 200
        new_csrf = signed.json()["csrf"]
    else:
        signed = c.post(
            "/signin",
            data={"name": "alice", "password": PASSWORD, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        new_csrf = form_token(c.get("/").text)
    after = c.cookies[COOKIE]
    assert after not in (planted, anonymous) and new_csrf != csrf
    # Whoever holds the pre-sign-in id (say, an attacker who planted it) gets nothing.
    fixated = TestClient(create_app(str(db_copy)), cookies={COOKIE: anonymous})
    assert fixated.get("/api/v1/session").json()["user"] is None
    # The old CSRF token is dead too.
    inc = api_incidents(c, kind="main")[0]
    stale = c.post(
        f"/api/v1/incidents/{inc['id']}/fields/killed",
        json={"value": "1", "version": inc["version"], "reason": "r"},
        headers={"X-CSRF-Token": csrf},
    )
    assert_error(stale, 403)
    # Sign-out invalidates the signed-in id server-side, not just in this browser.
    audits = audit_count(db_copy)
    if how == "api":
        assert c.delete("/api/v1/session", headers={"X-CSRF-Token": new_csrf}).json()["user"] is None
    else:
        assert c.post("/signout", data={"csrf_token": new_csrf}, follow_redirects=False).status_code == 303
    assert _session_row(db_copy, after) is None
    replay = TestClient(create_app(str(db_copy)), cookies={COOKIE: after})
    assert replay.get("/api/v1/session").json()["user"] is None
    assert_error(
        replay.post(
            f"/api/v1/incidents/{inc['id']}/fields/killed",
            json={"value": "1", "version": inc["version"], "reason": "r"},
            headers={"X-CSRF-Token": new_csrf},
        ),
        401,
    )
    assert audit_count(db_copy) == audits


def test_cookie_flags(client):
    cookie = TestClient(client.app).get("/api/v1/session").headers["set-cookie"]
    assert (
        "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    )  # the pre-sign-in CSRF cookie
    signed = TestClient(client.app)
    token = signed.get("/api/v1/session").json()["csrf"]
    cookie = signed.post(
        "/api/v1/session", json={"name": "alice", "password": PASSWORD}, headers={"X-CSRF-Token": token}
    ).headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie


# ------------------------------------------------------------------------------------------
# Review and admin actions without sign-in or role


def test_review_actions_need_sign_in_and_the_analyst_role(db_copy):
    anonymous = TestClient(create_app(str(db_copy)))
    routes = [
        (m, p) for m, p in state_changing_routes(anonymous.app) if "session" not in p and "sign" not in p
    ]
    assert {p.split("/")[-1].split("{")[0] or p.split("/")[-2] for _, p in routes} >= {
        "merge",
        "split",
        "correct",
        "verdict",
        "undo",
    }
    targets = review_targets(anonymous, db_copy)
    before, audits = fingerprint(db_copy), audit_count(db_copy)
    anon_token = anonymous.get("/api/v1/session").json()["csrf"]  # a valid token of an anonymous session
    reader = TestClient(create_app(str(db_copy)))
    reader_token = sign_in(reader, "rita")
    for method, path in routes:
        url, body = concrete(path, targets)
        assert_refused(send(anonymous, method, url, body, anon_token), 401, url)
        assert_refused(send(TestClient(create_app(str(db_copy))), method, url, body, None), 401, url)
        assert_refused(send(reader, method, url, body, reader_token), 403, url)
    assert fingerprint(db_copy) == before and audit_count(db_copy) == audits
    # The web app has no admin routes: accounts are managed with `triangulate user` only.
    paths = [getattr(r, "path", "") for r in anonymous.app.routes]
    assert not [p for p in paths if re.search(r"admin|/users?\b|role|passw", p)], paths
    for probe in ("/admin", "/api/v1/users", "/api/v1/admin/users", "/users"):
        assert anonymous.post(
            probe, json={"name": "mallory", "password": PASSWORD, "role": "admin"}
        ).status_code in (404, 405)
    with Store.open(db_copy) as store:
        assert not store.query("SELECT 1 FROM users WHERE name = 'mallory'")


# ------------------------------------------------------------------------------------------
# SQL injection


def test_listing_params_cover_every_parameter_the_web_code_reads():
    read: set[str] = set()
    for source in WEB_SRC.glob("*.py"):
        text = source.read_text()
        read |= set(re.findall(r"\bp\.(?:text|integer|choice|date)\(\s*\"(\w+)\"", text))
        read |= set(re.findall(r"query_params\.get\(\s*\"(\w+)\"", text))
        read |= set(re.findall(r"params\.get\(\s*\"(\w+)\"", text))
    read |= {"cursor"}
    covered = {p for params in LISTING_PARAMS.values() for p in params} | {"new", "merged_from"}
    assert read <= covered, f"parameters read by the web code but not attacked here: {sorted(read - covered)}"


@pytest.mark.parametrize("url", list(LISTING_PARAMS))
def test_sql_injection_in_every_parameter_is_inert(client, hostile_db, url):
    before = fingerprint(hostile_db)
    base = {"q": "market"} if url == "/api/v1/search" else {}
    baseline = client.get(url, params=base)
    assert baseline.status_code == 200
    for param in LISTING_PARAMS[url]:
        for payload in INJECTIONS:
            response = client.get(url, params={**base, param: payload})
            assert response.status_code in (200, 400), (
                url,
                param,
                payload,
                response.status_code,
                response.text[:300],
            )
            assert "$argon2" not in response.text, "no password hash ever leaks"
            assert "sqlite" not in response.text.lower() and "syntax error" not in response.text.lower()
            if url.startswith("/api/") and url != "/api/v1/export":
                body = response.json()
                if response.status_code == 400:
                    assert set(body) == ERROR_KEYS and body["status"] == 400
                elif param in TEXT_PARAMS and isinstance(baseline.json().get(_items(url)), list):
                    assert len(body[_items(url)]) <= max(len(baseline.json()[_items(url)]), 1) or param == "q"
    assert fingerprint(hostile_db) == before
    with Store.open(hostile_db) as store:
        assert store.query("SELECT count(*) FROM users")[0][0] == 3
        assert {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")} >= set(
            FINGERPRINT_TABLES
        )


def _items(url: str) -> str:
    return {
        "/api/v1/incidents": "incidents",
        "/api/v1/overview": "incidents",
        "/api/v1/documents": "documents",
        "/api/v1/events": "events",
        "/api/v1/claims": "claims",
        "/api/v1/search": "incidents",
    }[url]


def test_sql_injection_in_text_filters_matches_nothing_extra(client):
    everything = len(api_incidents(client))
    for payload in ("' OR 1=1 --", "' OR '1'='1", "%' UNION SELECT password_hash FROM users --", "1 OR 1=1"):
        for param in ("country", "type", "actor", "q"):
            got = client.get(
                "/api/v1/incidents", params={param: payload, "kind": "all", "limit": 500}
            ).json()["incidents"]
            assert len(got) < everything, (param, payload)
        assert client.get("/api/v1/documents", params={"outlet": payload}).json()["documents"] == []
        assert client.get("/api/v1/claims", params={"speaker": payload}).json()["claims"] == []
        assert client.get("/api/v1/claims", params={"stance": payload}).json()["claims"] == []


def test_sql_injection_in_path_and_review_inputs_is_inert(db_copy):
    c = TestClient(create_app(str(db_copy)))
    for path in (
        "/api/v1/incidents/1%20OR%201=1",
        "/api/v1/incidents/1;DROP%20TABLE%20incidents",
        "/api/v1/documents/-1",
        "/incidents/1'--",
        "/documents/1%27%20OR%20%271%27=%271",
        "/api/v1/events/0x1",
    ):
        assert c.get(path).status_code == 404, path
    token = sign_in(c, "alice")
    before, audits = fingerprint(db_copy), audit_count(db_copy)
    inc = api_incidents(c, kind="main")[0]
    h = {"X-CSRF-Token": token}
    for payload in INJECTIONS[:12]:
        base = f"/api/v1/incidents/{inc['id']}"
        for response in (
            c.post(
                f"{base}/fields/{quote(payload, safe='')}",
                json={"value": "1", "version": inc["version"], "reason": "r"},
                headers=h,
            ),
            c.post(
                f"{base}/fields/killed", json={"value": "1", "version": payload, "reason": "r"}, headers=h
            ),
            c.post(
                f"{base}/merge", json={"other": payload, "version": inc["version"], "reason": "r"}, headers=h
            ),
            c.post(
                f"{base}/split",
                json={"documents": [payload], "version": inc["version"], "reason": "r"},
                headers=h,
            ),
            c.post(
                "/api/v1/claims/1/verdict", json={"verdict": payload, "version": 1, "reason": "r"}, headers=h
            ),
        ):
            assert response.status_code in (400, 404, 409), (
                payload,
                response.status_code,
                response.text[:300],
            )
            assert set(response.json()) == ERROR_KEYS
    assert fingerprint(db_copy) == before and audit_count(db_copy) == audits
    # A payload as the *value* of a correction is stored as text, verbatim.
    done = c.post(
        f"/api/v1/incidents/{inc['id']}/fields/killed",
        json={"value": "'; DROP TABLE incidents; --", "version": inc["version"], "reason": "x' OR '1'='1"},
        headers=h,
    )
    assert done.status_code == 200
    one = c.get(f"/api/v1/incidents/{inc['id']}").json()["incident"]
    assert one["fields"]["killed"]["chosen"] == "'; DROP TABLE incidents; --"
    with Store.open(db_copy) as store:
        assert (
            store.query("PRAGMA integrity_check")[0][0] == "ok"
            and store.query("SELECT count(*) FROM incidents")[0][0] > 0
        )


# ------------------------------------------------------------------------------------------
# Path traversal


def _disposition_name(response, extension: str) -> str:
    disposition = response.headers["content-disposition"]
    match = re.fullmatch(r'attachment; filename="([A-Za-z0-9._-]+)"', disposition)
    assert match, disposition
    name = match.group(1)
    assert (
        name.endswith("." + extension) and ".." not in name and not name.startswith(".") and len(name) <= 90
    ), name
    return name


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_export_file_names_cannot_traverse(client, hostile_db, fmt):
    folder = hostile_db.parent
    listing, cwd = sorted(p.name for p in folder.iterdir()), sorted(p.name for p in Path.cwd().iterdir())
    reference = client.get("/api/v1/export", params={"format": fmt})
    assert reference.status_code == 200
    for name in TRAVERSAL_NAMES:
        response = client.get("/api/v1/export", params={"format": fmt, "filename": name})
        assert response.status_code == 200, (name, response.text[:200])
        _disposition_name(response, fmt)
        assert "set-cookie" not in response.headers and response.headers["cache-control"] == "no-store"
        assert response.content == reference.content, "the name changes the header only, never what is read"
    for query in RAW_TRAVERSAL_QUERIES:
        status, headers, body = asyncio.new_event_loop().run_until_complete(
            raw_request(client.app, "GET", "/api/v1/export", f"format={fmt}&{query}".encode())
        )
        assert status == 200, query
        assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', headers["content-disposition"]), (
            headers
        )
        assert b"root:x:0:0" not in body and "set-cookie" not in headers
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        n for n in listing if not n.endswith(("-wal", "-shm"))
    ], "an export never writes a file"
    assert sorted(p.name for p in Path.cwd().iterdir()) == cwd


def test_export_choices_refuse_paths(client):
    for params in (
        {"what": "../../etc/passwd"},
        {"format": "../csv"},
        {"format": "csv\x00"},
        {"schema": "/etc/passwd"},
        {"what": "incidents/../users"},
        {"what": "users"},
        {"what": "sessions"},
    ):
        assert_error(client.get("/api/v1/export", params=params), 400)


def test_static_files_cannot_traverse(client):
    loop = asyncio.new_event_loop()
    for path in STATIC_TRAVERSALS:
        status, headers, body = loop.run_until_complete(raw_request(client.app, "GET", path))
        assert status in (404, 400, 405), (path, status)
        assert b"root:x:0:0" not in body and b"def create_app" not in body and b"import " not in body, path
    assert client.get("/static/app.css").status_code == 200


def test_csv_export_cells_never_start_a_formula(tmp_path):
    """Text written by strangers must not run as a spreadsheet formula (CSV injection)."""
    import csv
    import io

    from triangulate.export.writers import write_csv

    out = io.StringIO()
    write_csv(
        [{"title": '=HYPERLINK("http://evil/","x")', "outlet": "@SUM(A1)", "killed": -2, "place": "Kohat"}],
        out,
    )
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["title"].startswith("'=") and row["outlet"].startswith("'@")
    assert row["killed"] == "-2" and row["place"] == "Kohat"


# ------------------------------------------------------------------------------------------
# The desk findings (issue 25): bodies, numbers, dates, anonymous sessions, typed OpenAPI


async def _chunks(total: int, size: int = 65_536):
    """A body sent with Transfer-Encoding: chunked (no Content-Length)."""
    for start in range(0, total, size):
        yield b"a" * min(size, total - start)


def test_oversized_bodies_are_refused_however_they_arrive(client):
    chunked = client.post(
        "/api/v1/session", content=_chunks(3_000_000), headers={"Content-Type": "application/json"}
    )
    assert_error(chunked, 413)
    declared = client.post(
        "/api/v1/session", content=b"{" + b" " * 200_000 + b"}", headers={"Content-Type": "application/json"}
    )
    assert_error(declared, 413)
    multipart = client.post("/signin", files={"name": ("a.bin", b"a" * 20_000_000)})
    assert multipart.status_code == 413
    streamed_form = client.post(
        "/signin", content=_chunks(2_000_000), headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert streamed_form.status_code == 413
    assert client.get("/api/v1/incidents?limit=1").status_code == 200  # the server is fine afterwards


def test_out_of_range_numbers_and_deep_json_give_400(client):
    for path in (
        "/api/v1/incidents/99999999999999999999999999",
        "/api/v1/documents/18446744073709551616",
        "/api/v1/events/99999999999999999999",
        "/incidents/99999999999999999999999999",
    ):
        response = client.get(path)
        assert response.status_code == 400, (path, response.status_code)
    assert_error(client.get("/api/v1/incidents/99999999999999999999999999"), 400)
    deep = client.post("/api/v1/session", content=b"[" * 30_000, headers={"Content-Type": "application/json"})
    assert_error(deep, 400)


@pytest.mark.parametrize(
    "query", ["from=2024-13-45", "from=2024-02-30", "to=2023-00", "from=2024-05&to=2024-04-30"]
)
def test_impossible_dates_and_reversed_ranges_give_400(client, query):
    body = assert_error(client.get(f"/api/v1/incidents?{query}"), 400)
    assert "from" in body["error"] or "to" in body["error"]
    page = client.get(f"/?{query}")
    assert page.status_code == 400 and "Invalid time value" not in page.text


def test_anonymous_visits_write_no_session(db_copy):
    c = TestClient(create_app(str(db_copy)))

    def rows() -> int:
        with Store.open(db_copy) as store:
            return store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0]

    before = rows()
    for path in ("/api/v1/session", "/signin", "/", "/api/v1/session"):
        assert c.get(path).status_code == 200
    assert rows() == before
    sign_in(c)
    assert rows() == before + 1


def _json_schema(node: Any, components: dict[str, Any]) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a null type, `$ref`s are inlined."""
    if isinstance(node, list):
        return [_json_schema(n, components) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    out = {k: _json_schema(v, components) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def test_openapi_schemas_match_real_responses(client):
    import jsonschema

    spec = client.get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]
    typed = [name for name, schema in components.items() if schema.get("properties")]
    assert len(typed) >= 8, typed
    inc = client.get("/api/v1/incidents?limit=3").json()["incidents"][0]["id"]
    for path, name in (
        ("/api/v1/incidents?limit=3", "IncidentList"),
        (f"/api/v1/incidents/{inc}", "IncidentDetail"),
        ("/api/v1/documents?limit=3", "DocumentList"),
        ("/api/v1/events?limit=3", "EventList"),
        ("/api/v1/claims?limit=3", "ClaimList"),
        ("/api/v1/session", "Session"),
    ):
        jsonschema.validate(client.get(path).json(), _json_schema(components[name], components))
    error = client.get("/api/v1/incidents?from=2024-13-45").json()
    jsonschema.validate(error, _json_schema(components["Error"], components))


def test_forwarded_host_is_believed_only_from_a_trusted_proxy(hostile_db):
    from triangulate.settings import Settings

    def attempt(settings: Settings) -> int:
        c = TestClient(create_app(str(hostile_db), settings))
        token = c.get("/api/v1/session").json()["csrf"]
        headers = {
            "X-CSRF-Token": token,
            "Origin": "https://evil.example",
            "X-Forwarded-Host": "evil.example",
        }
        return c.post(
            "/api/v1/session", json={"name": "alice", "password": "wrong"}, headers=headers
        ).status_code

    assert attempt(Settings()) == 403  # a foreign Origin does not pass by naming itself in X-Forwarded-Host
    assert attempt(Settings(trusted_proxies="127.0.0.1")) == 401  # behind a trusted proxy the header counts


def test_control_characters_never_reach_the_terminal(tmp_path):
    from click.testing import CliRunner

    from triangulate.cli import cli

    report = tmp_path / "r.txt"
    report.write_text(
        "Gunmen kill two \x1b]0;owned\x07\x1b[31m in Peshawar\n\nGunmen killed two guards in "
        "Peshawar, Pakistan, on Monday, police said.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "t.db")
    assert CliRunner().invoke(cli, ["run", str(report), "--db", db]).exit_code == 0
    for args in (["documents", "--db", db], ["incidents", "--db", db], ["brief", "1", "--db", db]):
        out = CliRunner().invoke(cli, args)
        assert out.exit_code == 0 and "\x1b" not in out.output and "\x07" not in out.output, args


def test_repeated_failed_sign_ins_lock_the_account_and_the_address(db_copy):
    def attempt(c: TestClient, name: str, password: str) -> int:
        token = c.get("/api/v1/session").json()["csrf"]
        return c.post(
            "/api/v1/session", json={"name": name, "password": password}, headers={"X-CSRF-Token": token}
        ).status_code

    app = create_app(str(db_copy))
    c = TestClient(app)
    assert [attempt(c, "alice", "guess") for _ in range(5)] == [401] * 5
    locked = attempt(c, "alice", PASSWORD)
    assert locked == 429, "the right password after five wrong ones is still refused for a while"
    body = c.post(
        "/api/v1/session",
        json={"name": "alice", "password": PASSWORD},
        headers={"X-CSRF-Token": c.get("/api/v1/session").json()["csrf"]},
    ).json()
    assert body["status"] == 429 and "too many failed sign-ins" in body["error"] and "wait" in body["error"]
    # The address is counted too: guessing across accounts from one address locks it.
    other = TestClient(create_app(str(db_copy)))
    assert [attempt(other, f"user{i}", "guess") for i in range(5)] == [401] * 5
    assert attempt(other, "bob", "anything") == 429


def test_password_checks_run_a_few_at_a_time():
    import asyncio

    from triangulate.web.throttle import SignInGuard

    guard, running, peak = SignInGuard(concurrent=2), 0, 0

    async def check() -> None:
        nonlocal running, peak
        async with guard.hashing:
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    async def many() -> None:
        await asyncio.gather(*(check() for _ in range(8)))

    asyncio.run(many())
    assert peak == 2
