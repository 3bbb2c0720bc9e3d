"""`triangulate backup` copies a live store consistently; `restore` checks its source and swaps atomically."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from triangulate.cli import cli
from triangulate.ingest.pipeline import ingest
from triangulate.store.backup import backup, restore
from triangulate.store.db import Store

N_DOCS = 400
BATCH = 8


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    rng = random.Random(3)
    words = "market police blast village army convoy minister river bridge school clinic road truck".split()
    for i in range(N_DOCS):
        body = " ".join(rng.choice(words) for _ in range(150))
        (folder / f"r{i:04d}.txt").write_text(f"Report number {i} from the valley\n\nOn Tuesday {body}.\n")
    return folder


def _state(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        return {
            "check": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "docs": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "max_id": conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0],
            "sigs": conn.execute("SELECT count(*) FROM minhash_signatures").fetchone()[0],
            "banded": conn.execute("SELECT count(DISTINCT doc_id) FROM minhash_bands").fetchone()[0],
            "migrations": conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0],
        }
    finally:
        conn.close()


def _documents(db: Path) -> int:
    """Documents stored so far (0 while the store is still being created)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triangulate.cli", *args], capture_output=True, text=True, timeout=300
    )


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="triangulate")
    return result.exit_code, result.output


def _small_store(path: Path, tmp_path: Path, n: int = 2) -> Path:
    folder = tmp_path / f"in-{path.stem}"
    folder.mkdir()
    for f in sorted((EXAMPLES / "corpus").glob("*.txt"))[:n]:
        shutil.copy(f, folder / f.name)
    with Store.open(path) as store:
        ingest(store, [folder])
    return path


def test_backup_while_ingest_runs_then_restore_and_continue(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    db = tmp_path / "live.db"
    writer = subprocess.Popen(
        [
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
            str(BATCH),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and writer.poll() is None:
            if _documents(db) >= 3 * BATCH:
                break
            time.sleep(0.05)
        copies, during = [], 0
        for i in range(3):
            dest = tmp_path / f"copy{i}.db"
            started = time.perf_counter()
            result = _cli("backup", str(dest), "--db", str(db))
            assert result.returncode == 0, result.stderr
            assert result.stdout.startswith(f"backed up {db} -> {dest}:"), result.stdout
            copies.append((dest, time.perf_counter() - started))
            during += writer.poll() is None
        assert during >= 1, "the writer finished before a backup ran; make the corpus larger"
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err.decode()
    print(
        f"backups taken while ingest ran: {during}; seconds each: {[round(s, 2) for _, s in copies]}; "
        f"documents in each: {[_state(d)['docs'] for d, _ in copies]} of {N_DOCS}"
    )

    for dest, _ in copies:
        state = _state(dest)
        assert state["check"] == "ok" and state["migrations"] > 0
        # A consistent prefix of whole batches: ids 1..n with each one's signature and bands.
        assert state["docs"] == state["max_id"] == state["sigs"] == state["banded"], state
        assert state["docs"] % BATCH == 0 or state["docs"] == N_DOCS, state
        assert not Path(f"{dest}-wal").exists(), "a backup must be one self-contained file"

    partial = min(copies, key=lambda c: _state(c[0])["docs"])[0]
    restored = tmp_path / "restored" / "r.db"
    result = _cli("restore", str(partial), "--db", str(restored))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("restored"), result.stdout
    with Store.open(restored) as store:
        assert store.schema_version() > 0
    again = _cli("ingest", str(corpus), "--db", str(restored), "--quiet")
    assert again.returncode == 0, again.stderr
    final = _state(restored)
    assert final["check"] == "ok" and final["docs"] == final["sigs"] == final["banded"] == N_DOCS, final


def test_restore_refuses_missing_source(tmp_path: Path) -> None:
    code, out = _invoke("restore", str(tmp_path / "nope.db"), "--db", str(tmp_path / "t.db"))
    assert code == 1 and "Error: no database at" in out and "Traceback" not in out, out
    assert not (tmp_path / "t.db").exists()


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite\n" * 500)
    code, out = _invoke("restore", str(junk), "--db", str(tmp_path / "t.db"))
    assert code == 1 and "is not a triangulate store" in out and len(out.strip().splitlines()) == 1, out
    assert not (tmp_path / "t.db").exists()


def test_restore_refuses_an_sqlite_file_without_the_schema(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    code, out = _invoke("restore", str(other), "--db", str(tmp_path / "t.db"))
    assert code == 1 and "not a triangulate store (no schema_migrations table)" in out, out


def test_restore_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    source = _small_store(tmp_path / "src.db", tmp_path, n=2)
    target = _small_store(tmp_path / "target.db", tmp_path, n=4)
    before = target.read_bytes()
    code, out = _invoke("restore", str(source), "--db", str(target))
    assert code == 1 and "already exists" in out and "--force" in out, out
    assert target.read_bytes() == before
    code, out = _invoke("restore", str(source), "--db", str(target), "--force")
    assert code == 0, out
    assert _state(target)["docs"] == 2


def test_restore_force_drops_the_old_wal(tmp_path: Path) -> None:
    """An old store's uncheckpointed WAL must not be replayed onto the restored file."""
    source = _small_store(tmp_path / "src.db", tmp_path, n=2)
    target = _small_store(tmp_path / "target.db", tmp_path, n=4)
    # Leave a non-empty -wal beside the target, as a killed writer would.
    held = sqlite3.connect(target, isolation_level=None)
    held.execute("PRAGMA wal_autocheckpoint = 0")
    held.execute("DELETE FROM minhash_bands")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{target}{suffix}", crashed / f"target.db{suffix}")
    held.close()
    target = crashed / "target.db"
    assert Path(f"{target}-wal").stat().st_size > 0
    restore(source, target, force=True)
    state = _state(target)
    assert state["check"] == "ok" and state["docs"] == state["banded"] == 2, state


def test_backup_refuses_existing_destination_and_missing_store(tmp_path: Path) -> None:
    db = _small_store(tmp_path / "s.db", tmp_path)
    dest = tmp_path / "b.db"
    dest.write_text("keep me")
    code, out = _invoke("backup", str(dest), "--db", str(db))
    assert code == 1 and "already exists" in out and dest.read_text() == "keep me", out
    assert backup(db, dest, force=True).documents == 2
    code, out = _invoke("backup", str(tmp_path / "b2.db"), "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "no database at" in out, out
    with pytest.raises(Exception, match="same file"):
        backup(db, db, force=True)
