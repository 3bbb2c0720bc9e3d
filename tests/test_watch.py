"""``triangulate watch``: new files and feed items become incidents; state survives restarts."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from triangulate.engines import LocalEngine
from triangulate.ingest.pipeline import ingest
from triangulate.pipeline.watch import Watcher, is_feed_list
from triangulate.settings import Settings
from triangulate.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "examples" / "corpus").glob("*.txt"))
SETTINGS = Settings(workers=1, watch_settle_seconds=0.0)


def _copy(files: list[Path], folder: Path) -> None:
    for f in files:
        shutil.copy(f, folder / f.name)


def _documents(store: Store) -> int:
    return store.query("SELECT count(*) FROM documents")[0][0]


def test_new_files_become_incidents_and_a_restart_carries_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _copy(CORPUS[:4], folder)
    with Store.open(tmp_path / "w.db") as store, LocalEngine(SETTINGS) as engine:
        watcher = Watcher(store, folder, SETTINGS, engine)
        first = watcher.poll()
        assert first is not None and first.added == 4 and first.incidents > 0
        assert watcher.poll() is None, "an idle poll does nothing"
        _copy(CORPUS[4:7], folder)
        second = watcher.poll()
        assert second is not None and second.inputs == 3 and second.added == 3
        assert "ms/doc" in second.line()
    # A new watcher on the same store (a restart) takes only what is new.
    _copy(CORPUS[7:8], folder)
    with Store.open(tmp_path / "w.db") as store, LocalEngine(SETTINGS) as engine:
        watcher = Watcher(store, folder, SETTINGS, engine)
        batch = watcher.poll()
        assert batch is not None and batch.inputs == 1 and batch.added == 1
        assert _documents(store) == 8
        rows = store.query("SELECT inputs, added, seconds FROM watch_batches ORDER BY id")
        assert [(r[0], r[1]) for r in rows] == [(4, 4), (3, 3), (1, 1)]
        assert all(r[2] > 0 for r in rows)
        assert (
            store.query(
                "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM incident_events) "
                "AND modality = 'asserted'"
            )[0][0]
            == 0
        )


def test_a_file_still_being_written_waits_for_the_next_poll(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    settings = Settings(workers=1, watch_settle_seconds=60.0)
    _copy(CORPUS[:1], folder)
    with Store.open(tmp_path / "w.db") as store, LocalEngine(settings) as engine:
        watcher = Watcher(store, folder, settings, engine)
        assert watcher.new_files() == []
        old = time.time() - 120
        os.utime(folder / CORPUS[0].name, (old, old))
        assert [p.name for p, _, _ in watcher.new_files()] == [CORPUS[0].name]


def test_first_poll_finishes_work_a_killed_watcher_left(tmp_path):
    with Store.open(tmp_path / "w.db") as store, LocalEngine(SETTINGS) as engine:
        ingest(store, CORPUS[:3])  # ingested, never extracted: what a kill after ingest leaves
        folder = tmp_path / "empty"
        folder.mkdir()
        batch = Watcher(store, folder, SETTINGS, engine).poll()
        assert batch is not None and batch.added == 0 and batch.report.extract.documents == 3
        assert store.query("SELECT count(*) FROM extractions")[0][0] == 3


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    items: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        entries = "".join(
            f"<item><title>{t}</title><link>http://127.0.0.1/{n}</link><pubDate>Thu, 14 Mar 2024 08:00:00 GMT</pubDate>"
            f"<description>{escape(body)}</description></item>"
            for n, (t, body) in enumerate(self.items)
        )
        data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}</channel></rss>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def _item(text: str) -> tuple[str, str]:
    """(title, HTML body) of an example report, one <p> a paragraph."""
    title, *rest = text.splitlines()
    return escape(title), "".join(f"<p>{escape(line)}</p>" for line in rest if line.strip())


def test_feed_list_items_are_ingested_once(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"# wires\nhttp://127.0.0.1:{server.server_address[1]}/rss\n")
        assert is_feed_list(feeds)
        settings = Settings(workers=1, fetch_allow_private=True, follow_feed_links=False, fetch_retries=0)
        texts = [p.read_text(encoding="utf-8") for p in CORPUS[:3]]
        _FeedHandler.items = [_item(t) for t in texts[:2]]
        with Store.open(tmp_path / "f.db") as store, LocalEngine(settings) as engine:
            watcher = Watcher(store, feeds, settings, engine)
            assert watcher.feeds
            first = watcher.poll()
            assert first is not None and first.added == 2
            assert watcher.poll() is None, "items already stored are not added again"
            _FeedHandler.items.append(_item(texts[2]))
            third = watcher.poll()
            assert third is not None and third.added == 1
            assert _documents(store) == 3
    finally:
        server.shutdown()


def test_cli_watch_once_prints_the_batch_latency(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _copy(CORPUS[:2], folder)
    cmd = [
        sys.executable,
        "-m",
        "triangulate.cli",
        "watch",
        str(folder),
        "--db",
        str(tmp_path / "c.db"),
        "--once",
        "--setting",
        "watch_settle_seconds",
        "0",
        "--setting",
        "workers",
        "1",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "batch 1: 2 new inputs, 2 documents added" in done.stdout and "ms/doc" in done.stdout
    missing = subprocess.run(
        [*cmd[:4], str(tmp_path / "nope"), *cmd[5:]], capture_output=True, text=True, timeout=120
    )
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and "nope" in missing.stderr


@pytest.mark.parametrize(
    "text,expected",
    [
        ("http://a/rss\n", True),
        ("# c\n\nhttps://b/atom\n", True),
        ("Kestrel City, March 14\nA blast...\n", False),
    ],
)
def test_feed_list_detection(tmp_path, text, expected):
    path = tmp_path / "list.txt"
    path.write_text(text)
    assert is_feed_list(path) is expected
