"""Versioned schema migrations. Each step runs once, in order, inside a transaction.

Later stages add their tables by appending steps here; a step is never edited after release.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a version number, a name and the SQL script that applies it."""

    version: int
    name: str
    sql: str


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register a function returning SQL as schema step ``version``."""

    def register(fn: Callable[[], str]) -> Callable[[], str]:
        MIGRATIONS.append(Migration(version, name, fn()))
        MIGRATIONS.sort(key=lambda m: m.version)
        return fn

    return register


@migration(1, "documents")
def _documents() -> str:
    return """
    CREATE TABLE ingest_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        inputs TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'running',
        added INTEGER NOT NULL DEFAULT 0,
        already_stored INTEGER NOT NULL DEFAULT 0,
        exact_duplicates INTEGER NOT NULL DEFAULT 0,
        near_duplicates INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        input_key TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        external_id TEXT NOT NULL DEFAULT '',
        raw_hash TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        outlet TEXT NOT NULL DEFAULT '',
        outlet_source TEXT NOT NULL DEFAULT '',
        cited_sources TEXT NOT NULL DEFAULT '[]',
        credits TEXT NOT NULL DEFAULT '[]',
        url TEXT NOT NULL DEFAULT '',
        published TEXT NOT NULL DEFAULT '',
        published_precision TEXT NOT NULL DEFAULT 'unknown',
        published_source TEXT NOT NULL DEFAULT 'unknown',
        dateline TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en',
        text TEXT NOT NULL,
        word_count INTEGER NOT NULL DEFAULT 0,
        removed_lines INTEGER NOT NULL DEFAULT 0,
        ingest_run INTEGER REFERENCES ingest_runs(id),
        created_at TEXT NOT NULL
    );
    CREATE INDEX documents_content_hash ON documents(content_hash);
    CREATE INDEX documents_external_id ON documents(external_id);
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE document_errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES ingest_runs(id),
        source TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        hint TEXT NOT NULL DEFAULT '',
        doc_id INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX document_errors_doc ON document_errors(doc_id);
    CREATE TABLE duplicates (
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        of_doc_id INTEGER NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
        similarity REAL NOT NULL,
        PRIMARY KEY (doc_id, kind)
    );
    CREATE TABLE minhash_bands (
        band INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        doc_id INTEGER NOT NULL REFERENCES documents(id)
    );
    CREATE INDEX minhash_bands_lookup ON minhash_bands(band, bucket);
    CREATE TABLE minhash_signatures (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
        signature BLOB NOT NULL
    );
    """


@migration(2, "extraction")
def _extraction() -> str:
    return """
    CREATE TABLE extractions (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
        status TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        extracted_at TEXT NOT NULL
    );
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        sentence INTEGER NOT NULL,
        text TEXT NOT NULL,
        value TEXT NOT NULL,
        precision TEXT NOT NULL DEFAULT '',
        attrs TEXT NOT NULL DEFAULT '{}',
        extractor TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        confidence REAL NOT NULL
    );
    CREATE INDEX mentions_doc ON mentions(doc_id, kind);
    CREATE INDEX mentions_value ON mentions(kind, value);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        role TEXT NOT NULL,
        event_type TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT '',
        modality TEXT NOT NULL,
        date TEXT NOT NULL DEFAULT '',
        date_start TEXT NOT NULL DEFAULT '',
        date_end TEXT NOT NULL DEFAULT '',
        date_precision TEXT NOT NULL DEFAULT 'unknown',
        country_code TEXT NOT NULL DEFAULT '',
        latitude REAL,
        longitude REAL,
        place_precision TEXT NOT NULL DEFAULT 'unknown',
        record TEXT NOT NULL
    );
    CREATE INDEX events_doc ON events(doc_id);
    CREATE INDEX events_block ON events(event_type, date_start);
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        event_id INTEGER REFERENCES events(id),
        speaker TEXT NOT NULL,
        speaker_kind TEXT NOT NULL DEFAULT '',
        stance TEXT NOT NULL,
        content TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        sentence INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX claims_event ON claims(event_id);
    """


@migration(3, "incidents")
def _incidents() -> str:
    return """
    CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'main',
        event_type TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT '',
        date_start TEXT NOT NULL DEFAULT '',
        date_end TEXT NOT NULL DEFAULT '',
        country_code TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'single-source',
        n_documents INTEGER NOT NULL DEFAULT 0,
        n_independent INTEGER NOT NULL DEFAULT 0,
        killed INTEGER,
        latitude REAL,
        longitude REAL,
        place_precision TEXT NOT NULL DEFAULT 'unknown',
        version INTEGER NOT NULL DEFAULT 1,
        merged_into INTEGER REFERENCES incidents(id),
        record TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX incidents_block ON incidents(event_type, date_start);
    CREATE TABLE incident_events (
        event_id INTEGER PRIMARY KEY REFERENCES events(id),
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        doc_id INTEGER NOT NULL REFERENCES documents(id),
        score REAL NOT NULL,
        decision TEXT NOT NULL,
        locked INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE INDEX incident_events_incident ON incident_events(incident_id);
    CREATE TABLE incident_keys (
        key TEXT NOT NULL,
        incident_id INTEGER NOT NULL REFERENCES incidents(id)
    );
    CREATE INDEX incident_keys_key ON incident_keys(key);
    CREATE TABLE incident_links (
        from_incident INTEGER NOT NULL REFERENCES incidents(id),
        to_incident INTEGER NOT NULL REFERENCES incidents(id),
        kind TEXT NOT NULL,
        doc_id INTEGER,
        PRIMARY KEY (from_incident, to_incident, kind)
    );
    CREATE TABLE incident_history (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        cause TEXT NOT NULL,
        change TEXT NOT NULL
    );
    CREATE INDEX incident_history_incident ON incident_history(incident_id);
    """


@migration(4, "text index")
def _text_index() -> str:
    return """
    CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE term_docs (doc_id INTEGER PRIMARY KEY REFERENCES documents(id));
    """


@migration(10, "web")
def _web() -> str:
    # Web application and analyst review (issue: web application and HTTP API). Review tables hold
    # human decisions that the pipeline must respect (see store/review.py); incident_search is the
    # FTS5 index behind the list's free-text search, kept fresh through incident_search_dirty.
    return """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'analyst' CHECK (role IN ('reader', 'analyst', 'admin')),
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions(expires_at);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        user_name TEXT NOT NULL,
        action TEXT NOT NULL,
        incident_id INTEGER,
        other_incident INTEGER,
        version_before INTEGER,
        version_after INTEGER,
        before TEXT NOT NULL DEFAULT '{}',
        after TEXT NOT NULL DEFAULT '{}',
        reason TEXT NOT NULL DEFAULT '',
        undoes INTEGER REFERENCES audit_log(id),
        undone_by INTEGER REFERENCES audit_log(id)
    );
    CREATE INDEX audit_log_incident ON audit_log(incident_id, id);
    CREATE INDEX audit_log_other ON audit_log(other_incident);
    CREATE TABLE review_overrides (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('field', 'claim')),
        target TEXT NOT NULL,
        value TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        user_name TEXT NOT NULL,
        audit_id INTEGER REFERENCES audit_log(id),
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );
    CREATE INDEX review_overrides_incident ON review_overrides(incident_id, active);
    CREATE TABLE review_pairs (
        doc_a INTEGER NOT NULL,
        doc_b INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('must-link', 'cannot-link')),
        audit_id INTEGER REFERENCES audit_log(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (doc_a, doc_b, kind)
    );
    CREATE INDEX review_pairs_audit ON review_pairs(audit_id);
    CREATE VIRTUAL TABLE incident_search USING fts5(
        title, fields, actors, places, documents, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE incident_search_dirty (incident_id INTEGER PRIMARY KEY);
    INSERT INTO incident_search_dirty (incident_id) SELECT id FROM incidents;
    CREATE TRIGGER incident_search_on_insert AFTER INSERT ON incidents BEGIN
        INSERT OR IGNORE INTO incident_search_dirty (incident_id) VALUES (new.id);
    END;
    CREATE TRIGGER incident_search_on_update AFTER UPDATE ON incidents BEGIN
        INSERT OR IGNORE INTO incident_search_dirty (incident_id) VALUES (new.id);
    END;
    CREATE INDEX incidents_live_date ON incidents(kind, date_start, id) WHERE merged_into IS NULL AND n_documents > 0;
    CREATE INDEX incidents_live_sources ON incidents(kind, n_independent, n_documents, id)
        WHERE merged_into IS NULL AND n_documents > 0;
    CREATE INDEX incidents_merged_into ON incidents(merged_into);
    CREATE INDEX claims_doc ON claims(doc_id);
    CREATE INDEX incident_events_doc ON incident_events(doc_id);
    """


@migration(12, "watch")
def _watch() -> str:
    return """
    CREATE TABLE watch_inputs (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        seen_at TEXT NOT NULL
    );
    CREATE TABLE watch_batches (
        id INTEGER PRIMARY KEY,
        target TEXT NOT NULL,
        started_at TEXT NOT NULL,
        inputs INTEGER NOT NULL,
        added INTEGER NOT NULL,
        incidents INTEGER NOT NULL,
        seconds REAL NOT NULL
    );
    """


@migration(13, "incremental linking")
def _incremental_linking() -> str:
    # Incremental linking must cost the same per new document on a store of any size (issue 8).
    # link_pending holds exactly the asserted events without an incident, kept by triggers so
    # every writer (extraction, unlinking, rebuild, review) keeps it true; term_stats counts the
    # documents in term_docs, which count(*) would otherwise scan; the covering key index lets
    # candidates be ranked from the index alone; the link indexes let one incident's links be replaced.
    return """
    CREATE INDEX incident_keys_key_incident ON incident_keys(key, incident_id);
    CREATE INDEX incident_links_to ON incident_links(to_incident);
    CREATE INDEX incident_links_doc ON incident_links(doc_id);
    CREATE TABLE link_pending (event_id INTEGER PRIMARY KEY);
    INSERT INTO link_pending (event_id) SELECT e.id FROM events e WHERE e.modality = 'asserted'
        AND NOT EXISTS (SELECT 1 FROM incident_events ie WHERE ie.event_id = e.id);
    CREATE TRIGGER link_pending_event_insert AFTER INSERT ON events WHEN new.modality = 'asserted' BEGIN
        INSERT OR IGNORE INTO link_pending (event_id) SELECT new.id
            WHERE NOT EXISTS (SELECT 1 FROM incident_events WHERE event_id = new.id);
    END;
    CREATE TRIGGER link_pending_event_delete AFTER DELETE ON events BEGIN
        DELETE FROM link_pending WHERE event_id = old.id;
    END;
    CREATE TRIGGER link_pending_event_update AFTER UPDATE OF id, modality ON events BEGIN
        DELETE FROM link_pending WHERE event_id = old.id;
        INSERT OR IGNORE INTO link_pending (event_id) SELECT new.id WHERE new.modality = 'asserted'
            AND NOT EXISTS (SELECT 1 FROM incident_events WHERE event_id = new.id);
    END;
    CREATE TRIGGER link_pending_member_insert AFTER INSERT ON incident_events BEGIN
        DELETE FROM link_pending WHERE event_id = new.event_id;
    END;
    CREATE TRIGGER link_pending_member_delete AFTER DELETE ON incident_events BEGIN
        INSERT OR IGNORE INTO link_pending (event_id) SELECT id FROM events WHERE id = old.event_id
            AND modality = 'asserted' AND NOT EXISTS (SELECT 1 FROM incident_events WHERE event_id = old.event_id);
    END;
    CREATE TRIGGER link_pending_member_update AFTER UPDATE OF event_id ON incident_events BEGIN
        DELETE FROM link_pending WHERE event_id = new.event_id;
        INSERT OR IGNORE INTO link_pending (event_id) SELECT id FROM events WHERE id = old.event_id
            AND modality = 'asserted' AND NOT EXISTS (SELECT 1 FROM incident_events WHERE event_id = old.event_id);
    END;
    CREATE TABLE term_stats (id INTEGER PRIMARY KEY CHECK (id = 1), documents INTEGER NOT NULL);
    INSERT INTO term_stats (id, documents) SELECT 1, count(*) FROM term_docs;
    CREATE TRIGGER term_stats_insert AFTER INSERT ON term_docs BEGIN
        UPDATE term_stats SET documents = documents + 1 WHERE id = 1;
    END;
    CREATE TRIGGER term_stats_delete AFTER DELETE ON term_docs BEGIN
        UPDATE term_stats SET documents = documents - 1 WHERE id = 1;
    END;
    """


@migration(14, "stale incidents")
def _stale_incidents() -> str:
    # The incidents whose members changed since their record was last built, kept by triggers in the
    # transaction that changes them: a run killed before reconciling leaves them listed, and an
    # update reconciles just these instead of scanning every incident for changes (issue 8).
    return """
    CREATE TABLE incidents_stale (incident_id INTEGER PRIMARY KEY);
    INSERT INTO incidents_stale (incident_id) SELECT i.id FROM incidents i WHERE i.merged_into IS NULL AND i.kind != 'retired'
        AND (i.record = '{}' OR EXISTS (SELECT 1 FROM incident_events ie WHERE ie.incident_id = i.id AND ie.added_at >= i.updated_at)
             OR i.n_documents != (SELECT count(DISTINCT doc_id) FROM incident_events ie WHERE ie.incident_id = i.id));
    CREATE TRIGGER incidents_stale_new AFTER INSERT ON incidents BEGIN
        INSERT OR IGNORE INTO incidents_stale (incident_id) VALUES (new.id);
    END;
    CREATE TRIGGER incidents_stale_member_insert AFTER INSERT ON incident_events BEGIN
        INSERT OR IGNORE INTO incidents_stale (incident_id) VALUES (new.incident_id);
    END;
    CREATE TRIGGER incidents_stale_member_delete AFTER DELETE ON incident_events BEGIN
        INSERT OR IGNORE INTO incidents_stale (incident_id) VALUES (old.incident_id);
    END;
    CREATE TRIGGER incidents_stale_member_update AFTER UPDATE OF incident_id, doc_id, event_id ON incident_events BEGIN
        INSERT OR IGNORE INTO incidents_stale (incident_id) VALUES (old.incident_id);
        INSERT OR IGNORE INTO incidents_stale (incident_id) VALUES (new.incident_id);
    END;
    """


@migration(15, "incident keys by incident")
def _incident_keys_by_incident() -> str:
    # Consolidation rewrites an incident's d: keys and a merge moves all keys of one incident: both
    # look keys up by incident, which scanned the whole table (2.8 million rows at 100k incidents).
    return "CREATE INDEX IF NOT EXISTS incident_keys_incident ON incident_keys(incident_id);"


@migration(16, "one incident key row per key and incident")
def _unique_incident_keys() -> str:
    # Every event that joined an incident wrote its keys again: an incident of 250 reports held its
    # month key 250 times, and each new report's candidate lookup read them all.
    return """
    DELETE FROM incident_keys WHERE rowid NOT IN (SELECT min(rowid) FROM incident_keys GROUP BY key, incident_id);
    DROP INDEX IF EXISTS incident_keys_key_incident;
    CREATE UNIQUE INDEX incident_keys_key_incident ON incident_keys(key, incident_id);
    """


def apply(conn: sqlite3.Connection) -> list[Migration]:
    """Apply every pending migration; return the ones applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for step in MIGRATIONS:
        if step.version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split(step.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (step.version, step.name)
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(step)
    return applied


def _split(script: str) -> list[str]:
    """Split a script into complete statements (triggers with inner ';' stay whole)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                statements.append(current.strip())
            current = ""
    return statements
