"""A read-only or full store gives one clear line, not a traceback, and loses nothing already stored."""

from __future__ import annotations

import ctypes
import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from triangulate.errors import StoreError
from triangulate.ingest.pipeline import ingest
from triangulate.settings import Settings
from triangulate.store.db import Store

FILES = sorted((EXAMPLES / "corpus").glob("*.txt"))
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _without_root_override() -> None:
    """Runs in the child before exec: file permissions then bind root too, as they bind everyone else."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _cli(*args: str, preexec=None) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "triangulate.cli", *args],
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        timeout=300,
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def _folder(tmp_path: Path, name: str, files: list[Path]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(db: Path) -> tuple[str, int, int, list[str]]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            conn.execute("SELECT count(*) FROM minhash_signatures").fetchone()[0],
            [r[0] for r in conn.execute("SELECT content_hash FROM documents ORDER BY id")],
        )
    finally:
        conn.close()


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A store holding three documents, closed cleanly (no -wal file left beside it)."""
    db = tmp_path / "store" / "s.db"
    with Store.open(db) as store:
        ingest(store, [_folder(tmp_path, "first", FILES[:3])])
    assert not db.with_name("s.db-wal").exists()
    return db


@pytest.fixture
def unprivileged():  # type: ignore[no-untyped-def]
    """The preexec hook for a child that must respect permissions (skips where that cannot be had)."""
    probe = (
        subprocess.run(["true"], preexec_fn=_without_root_override, capture_output=True, check=False)
        if os.geteuid() == 0
        else None
    )
    if probe is not None and probe.returncode != 0:
        pytest.skip("running as root without CAP_SETPCAP: cannot make a file read-only for the test")
    return _without_root_override


@pytest.mark.parametrize("command", ["ingest", "run"])
def test_read_only_file(small_store: Path, tmp_path: Path, unprivileged, command: str) -> None:  # type: ignore[no-untyped-def]
    before = _digest(small_store)
    small_store.chmod(0o444)
    try:
        line = _one_line_error(
            _cli(
                command,
                str(_folder(tmp_path, "more", FILES[3:6])),
                "--db",
                str(small_store),
                preexec=unprivileged,
            )
        )
    finally:
        small_store.chmod(0o644)
    assert "read-only" in line and str(small_store) in line, line
    assert _digest(small_store) == before
    assert _check(small_store)[:3] == ("ok", 3, 3)


def test_read_only_folder(small_store: Path, tmp_path: Path, unprivileged) -> None:  # type: ignore[no-untyped-def]
    before = _digest(small_store)
    small_store.parent.chmod(0o555)
    try:
        line = _one_line_error(
            _cli(
                "ingest",
                str(_folder(tmp_path, "more", FILES[3:6])),
                "--db",
                str(small_store),
                preexec=unprivileged,
            )
        )
        # Reading still works from a read-only folder.
        listed = _cli("documents", "--db", str(small_store), preexec=unprivileged)
    finally:
        small_store.parent.chmod(0o755)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3, listed.stderr
    assert "folder" in line and ("read-only" in line or "writable" in line), line
    assert _digest(small_store) == before
    assert _check(small_store)[:3] == ("ok", 3, 3)


def test_disk_full_cli(small_store: Path, tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes every write past the limit fail (EFBIG) the way a full disk does."""
    first = _check(small_store)[3]
    cap = small_store.stat().st_size + 100_000

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))

    corpus = _folder(tmp_path, "all", FILES)
    line = _one_line_error(
        _cli("ingest", str(corpus), "--db", str(small_store), "--setting", "batch_size", "4", preexec=limited)
    )
    assert "disk" in line and "run again" in line, line
    check, docs, sigs, hashes = _check(small_store)
    assert check == "ok" and docs == sigs and 3 <= docs < 3 + len(FILES), (check, docs, sigs)
    assert hashes[:3] == first, "documents stored before the disk filled up must be intact"
    again = _cli("ingest", str(corpus), "--db", str(small_store), "--quiet")
    assert again.returncode == 0, again.stderr
    check, docs, sigs, _ = _check(small_store)
    assert (check, docs, sigs) == ("ok", 3 + len(FILES), 3 + len(FILES))


def test_disk_full_library(tmp_path: Path) -> None:
    """A store that may not grow (PRAGMA max_page_count) raises StoreError; committed batches stay."""
    db = tmp_path / "s.db"
    settings = Settings().with_value("batch_size", 4)
    corpus = _folder(tmp_path, "all", FILES)
    with Store.open(db) as store:
        ingest(store, [_folder(tmp_path, "first", FILES[:3])], settings=settings)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
        with pytest.raises(StoreError, match="disk is full") as caught:
            ingest(store, [corpus], settings=settings)
        assert "\n" not in str(caught.value)
        assert not store.conn.in_transaction
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs, sigs = (
            store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "minhash_signatures")
        )
        assert docs == sigs and docs >= 3
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        report = ingest(store, [corpus], settings=settings)
        assert report.added + report.already_stored == len(FILES)
    assert _check(db)[:3] == ("ok", 3 + len(FILES), 3 + len(FILES))


def test_nested_transactions_commit_as_one(tmp_path: Path) -> None:
    """A transaction inside another is a savepoint: the steps of one update stand or fall together."""
    with Store.open(tmp_path / "n.db") as store:
        store.conn.execute("CREATE TABLE t (x INTEGER)")
        with pytest.raises(RuntimeError), store.transaction() as conn:
            with store.transaction():
                conn.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("killed after the inner step")
        assert store.query("SELECT count(*) FROM t")[0][0] == 0
        with store.transaction() as conn:
            with pytest.raises(RuntimeError), store.transaction():
                conn.execute("INSERT INTO t VALUES (2)")
                raise RuntimeError("inner step fails")
            conn.execute("INSERT INTO t VALUES (3)")
        assert [r[0] for r in store.query("SELECT x FROM t")] == [3]
