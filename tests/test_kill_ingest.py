"""Killing ingest at random moments leaves a store that opens, with no half-written document."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_DOCS = 300


def _corpus(folder: Path) -> None:
    rng = random.Random(7)
    words = "market police blast village army convoy minister river bridge school clinic road truck".split()
    for i in range(N_DOCS):
        body = " ".join(rng.choice(words) for _ in range(120))
        (folder / f"r{i:04d}.txt").write_text(f"Report number {i} from the valley\n\nOn Tuesday {body}.\n")


def _state(db: Path) -> tuple[str, int, int, int]:
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        sigs = conn.execute("SELECT count(*) FROM minhash_signatures").fetchone()[0]
        bands = conn.execute("SELECT count(DISTINCT doc_id) FROM minhash_bands").fetchone()[0]
        return check, docs, sigs, bands
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_during_ingest_then_rerun(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    _corpus(corpus)
    db = tmp_path / "k.db"
    cmd = [
        sys.executable,
        "-m",
        "triangulate.cli",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--quiet",
        "--setting",
        "batch_size",
        "16",
    ]
    rng = random.Random(11)
    for _ in range(6):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if db.exists():
            check, docs, sigs, bands = _state(db)
            assert check == "ok"
            assert docs == sigs == bands, (
                "a document was stored without its duplicate index: half-written batch"
            )
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    check, docs, sigs, _ = _state(db)
    assert (check, docs, sigs) == ("ok", N_DOCS, N_DOCS)
    clean = tmp_path / "clean.db"
    subprocess.run(
        [sys.executable, "-m", "triangulate.cli", "ingest", str(corpus), "--db", str(clean), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    hashes = [
        sqlite3.connect(p)
        .execute(
            "SELECT group_concat(content_hash) FROM (SELECT content_hash FROM documents ORDER BY source)"
        )
        .fetchone()[0]
        for p in (db, clean)
    ]
    assert hashes[0] == hashes[1]
