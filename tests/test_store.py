"""The store: migrations, WAL, all-or-nothing batches."""

from __future__ import annotations

import sqlite3

import pytest

from triangulate.ingest.pipeline import ingest
from triangulate.settings import Settings
from triangulate.store import migrations
from triangulate.store.db import Store


def test_migrations_are_versioned_and_idempotent(tmp_path):
    path = tmp_path / "m.db"
    store = Store.open(path)
    assert store.schema_version() == max(m.version for m in migrations.MIGRATIONS)
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    store.close()
    again = Store.open(path)
    assert migrations.apply(again.conn) == []
    versions = [r[0] for r in again.query("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == sorted(m.version for m in migrations.MIGRATIONS)


def test_migration_16_keeps_one_key_row_per_incident(tmp_path):
    """Stores written before migration 16 held a key once per member event; the migration dedupes them."""
    path = tmp_path / "k.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP INDEX incident_keys_key_incident;
        INSERT INTO incidents (id, kind, event_type, mode, created_at, updated_at) VALUES (1, 'main', 'ASSAULT', '', '', '');
        INSERT INTO incident_keys (key, incident_id) VALUES ('t:ASSAULT:2024-03', 1), ('t:ASSAULT:2024-03', 1), ('v:khan', 1);
        DELETE FROM schema_migrations WHERE version = 16;
    """)
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert sorted(tuple(r) for r in store.query("SELECT key, incident_id FROM incident_keys")) == [
        ("t:ASSAULT:2024-03", 1),
        ("v:khan", 1),
    ]
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO incident_keys (key, incident_id) VALUES ('v:khan', 1)")


def test_failed_batch_leaves_no_partial_document(tmp_path, monkeypatch):
    for i in range(5):
        (tmp_path / f"doc{i}.txt").write_text(
            f"Headline {i}\n\nA long enough body of report number {i} about the flood in the valley. " * 3
        )
    store = Store.open(tmp_path / "t.db")
    import triangulate.ingest.pipeline as pipe

    calls = {"n": 0}
    real = pipe.store_signature

    def failing(conn, doc_id, sig):
        calls["n"] += 1
        if calls["n"] == 4:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return real(conn, doc_id, sig)

    monkeypatch.setattr(pipe, "store_signature", failing)
    with pytest.raises(sqlite3.OperationalError):
        ingest(store, [tmp_path], settings=Settings(batch_size=2))
    assert store.query("SELECT count(*) FROM documents")[0][0] == 2
    assert store.query("SELECT count(*) FROM minhash_signatures")[0][0] == 2
    monkeypatch.setattr(pipe, "store_signature", real)
    report = ingest(store, [tmp_path], settings=Settings(batch_size=2))
    assert report.added == 3 and report.already_stored == 2
    assert store.query("PRAGMA integrity_check")[0][0] == "ok"


def test_readonly_store_refuses_missing_file(tmp_path):
    from triangulate.errors import StoreError

    with pytest.raises(StoreError, match="no database"):
        Store.open(tmp_path / "absent.db", readonly=True)
