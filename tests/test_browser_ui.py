"""The web UI in a real browser: Playwright (sync API) driving Debian's chromium against a real
uvicorn server on 127.0.0.1, on a store built by the real pipeline from the example corpus plus two
hostile reports. Screenshots of every page at 1280 and 390 px go to artifacts/screenshots/.

Needs /usr/bin/chromium (`apt-get install -y chromium`); without it these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.test_web_api import ensure_contradiction
from triangulate.pipeline.run import run
from triangulate.store.db import Store
from triangulate.store.users import add_user

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"
WIDTHS = ((1280, 900), (390, 844))
XSS_TEXT = (
    'KESTREL CITY -- Gunmen <img src=x onerror="window.pwned=1;alert(1)"> killed 5 people at the market in Peshawar, '
    "Pakistan on Tuesday, police said. <script>window.pwned=1;alert(2)</script> The Northern Liberation Front denied "
    'involvement. <svg onload=alert(3)></svg> <a href="javascript:alert(4)">details</a>'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """A uvicorn server on a free port, serving the example corpus plus hostile reports."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium; install it with "
            "`apt-get install -y chromium` (never `playwright install`)"
        )
    import uvicorn

    from triangulate.web.app import create_app

    folder = tmp_path_factory.mktemp("browser")
    hostile = [
        {
            "text": XSS_TEXT,
            "title": "Market attack <script>window.pwned=1;alert(5)</script> kills 5",
            "outlet": "<img src=x onerror=alert(6)>Wire",
            "url": "javascript:alert(7)",
            "published": "2024-03-05",
        },
        {
            "text": XSS_TEXT.replace("killed 5", "killed 7") + " Officials gave a higher toll later.",
            "title": "Toll rises <img src=x onerror=alert(8)> to 7",
            "outlet": "Plain Wire",
            "url": "https://example.org/x",
            "published": "2024-03-06",
        },
    ]
    (folder / "hostile.jsonl").write_text("".join(json.dumps(r) + "\n" for r in hostile))
    db = folder / "ui.db"
    with Store.open(db) as store:
        run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
        run(store, [folder / "hostile.jsonl"])
        ensure_contradiction(store)
        add_user(store, "alice", PASSWORD, "analyst")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    assert pg.dialogs == [], f"a dialog fired: {pg.dialogs}"  # type: ignore[attr-defined]
    assert pg.errors == [], f"JavaScript errors: {pg.errors}"  # type: ignore[attr-defined]
    context.close()


def shoot(page, name: str) -> None:
    """Full-page screenshots at 1280 and 390 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.reload()  # as a device of that width would load it (layout, collapsed filters, map fit)
        if page.locator("#map").count():
            page.wait_for_selector("#map[data-ready]")
        page.wait_for_timeout(250)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()


def api(page, server: str, path: str) -> dict:
    return page.request.get(server + path).json()


def contradicted(page, server: str) -> dict:
    rows = api(page, server, "/api/v1/incidents?kind=all&limit=500")["incidents"]
    found = [i for i in rows if i["contradictions"]]
    assert found, "the corpus should yield an incident whose sources disagree"
    return found[0]


def sign_in(page, server: str, next_path: str = "/") -> None:
    page.goto(f"{server}/signin?next={next_path}")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "You are signed in." in page.content()


def test_list_filters_map_and_timeline(page, server):
    page.goto(server + "/")
    page.wait_for_selector("#map[data-ready]")
    assert page.locator(".incident-table tbody tr").count() >= 3
    assert page.locator("#map svg path.land").count() > 100, "the offline base layer is drawn"
    assert page.locator("#map .marker, #map .cluster, #map .country-mark").count() >= 1
    assert page.locator("#timeline svg rect.bar").count() >= 1
    shoot(page, "list")
    # Filter by status through the form: the URL carries the state.
    page.select_option("#f-status", "contested")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector("#map[data-ready]")
    assert "status=contested" in page.url
    badges = page.locator(".incident-table .badge.status-contested")
    assert badges.count() == page.locator(".incident-table tbody tr").count() >= 1
    # Free text.
    page.fill("#f-q", "market")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector("#map[data-ready]")
    assert "q=market" in page.url
    # Brushing the timeline filters the list and puts the range in the URL.
    page.goto(server + "/")
    page.wait_for_selector("#map[data-ready]")
    before = page.locator(".incident-table tbody tr").count()
    box = page.locator("#timeline svg rect.overlay").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('from=')")
    page.wait_for_timeout(400)
    assert re.search(r"from=\d{4}-\d{2}-\d{2}", page.url) and "to=" in page.url
    assert page.locator("#clear-range").is_visible()
    after = page.locator(".incident-table tbody tr").count()
    assert after <= before
    assert page.input_value("#f-from") != ""
    shoot(page, "list-brushed")
    # Keyboard: the skip link is the first stop and leads to the main content.
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"


def test_incident_page_shows_matrix_with_contradiction(page, server):
    inc = contradicted(page, server)
    page.goto(f"{server}/incidents/{inc['id']}")
    matrix = page.locator("#source-matrix")
    assert matrix.is_visible()
    assert page.locator("#source-matrix tr.row-contradiction").count() >= 1
    assert page.locator("#source-matrix .chip.contradiction").count() >= 1
    assert page.locator("#source-matrix .chip.chosen").count() >= 1
    assert page.get_by_role("heading", name="Claims and denials").is_visible()
    assert page.get_by_role("heading", name="History", exact=True).is_visible()
    shoot(page, "incident")


def test_document_page_highlights(page, server):
    inc = contradicted(page, server)
    page.goto(f"{server}/documents/{inc['documents'][0]['id']}")
    marks = page.locator("#doc-text mark.m")
    assert marks.count() >= 3
    place = page.locator("#doc-text mark.m-place").first
    place.hover()
    details = page.locator("#mention-details")
    assert "Normalised" in details.inner_text() and "Precision" in details.inner_text()
    place.focus()
    assert "place" in details.inner_text()
    fed = page.locator(f"#doc-text mark[data-incident='{inc['id']}']").first
    fed.click()
    assert f"incident {inc['id']}" in details.inner_text()
    page.locator(".kind-toggles input[data-kind='place']").uncheck()
    assert "hide-place" in page.locator("#doc-text").get_attribute("class")
    shoot(page, "document")


def test_sign_in_merge_split_correct_and_undo(page, server):
    sign_in(page, server)
    rows = api(page, server, "/api/v1/incidents?limit=500")["incidents"]
    a, b = rows[0], rows[1]
    # Merge b into a.
    page.goto(f"{server}/incidents/{a['id']}")
    page.fill("#merge-other", str(b["id"]))
    page.fill("#merge-reason", "same attack reported twice")
    page.locator("#merge-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "The incidents were merged." in page.content()
    merged = api(page, server, f"/api/v1/incidents/{a['id']}")["incident"]
    assert {d["id"] for d in b["documents"]} <= {s["id"] for s in merged["sources"]}
    shoot(page, "review-merged")
    # Split one report back out.
    moved = b["documents"][0]["id"]
    page.check(f"#split-{moved}")
    page.fill("#split-reason", "a different attack")
    page.get_by_role("button", name="Split ticked reports into a new incident").click()
    page.wait_for_load_state()
    assert "now form a new incident" in page.content()
    new_link = page.get_by_role("link", name=re.compile("Open the new incident"))
    new_id = int(re.search(r"/incidents/(\d+)", new_link.get_attribute("href")).group(1))
    assert [s["id"] for s in api(page, server, f"/api/v1/incidents/{new_id}")["incident"]["sources"]] == [
        moved
    ]
    # Correct a field, then undo the correction.
    machine = api(page, server, f"/api/v1/incidents/{a['id']}")["incident"]["fields"]["killed"]["chosen"]
    page.select_option("#correct-field", "killed")
    page.fill("#correct-value", "99")
    page.fill("#correct-reason", "hospital records")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_load_state()
    assert "The field was corrected." in page.content()
    assert page.locator(".record-table tr.row-reviewed").count() == 1
    assert "corrected by alice" in page.content() and "hospital records" in page.content()
    shoot(page, "review-corrected")
    page.locator(".audit-table tbody tr").first.get_by_role("button", name=re.compile("Undo")).click()
    page.wait_for_load_state()
    assert "The change was undone." in page.content()
    assert (
        api(page, server, f"/api/v1/incidents/{a['id']}")["incident"]["fields"]["killed"]["chosen"] == machine
    )
    assert page.locator(".audit-table tr.undone").count() == 1
    shoot(page, "review-history")


def test_hostile_article_renders_inert(page, server):
    page.add_init_script("window.pwned = undefined;")
    rows = api(page, server, "/api/v1/incidents?kind=all&limit=500&q=kestrel")["incidents"]
    assert rows, "the hostile reports made an incident"
    docs = sorted({d["id"] for i in rows for d in i["documents"]})
    urls = ["/?kind=all&q=kestrel", f"/incidents/{rows[0]['id']}", "/documents"] + [
        f"/documents/{d}" for d in docs
    ]
    for url in urls:
        page.goto(server + url)
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwned") is None, f"a payload ran on {url}"
        assert page.locator("script:not([src])").count() == 0, (
            "no inline script element made it into the page"
        )
        assert page.locator("img[src='x'], svg[onload], [onerror]").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
    page.goto(f"{server}/documents/{docs[0]}")
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.pwned=1;alert(2)</script>" in text and "onerror=" in text  # shown as text, inert
    shoot(page, "hostile-document")
    assert page.dialogs == []  # type: ignore[attr-defined]
