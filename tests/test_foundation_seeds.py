"""Foundation acceptance on the seed reports: cleaning, titles, dates, outlets, re-ingest."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from triangulate.cli import cli
from triangulate.export.documents import document_rows
from triangulate.ingest.pipeline import ingest

BOILERPLATE = [
    "Popular Video",
    "Accessibility links",
    "16x9 Image",
    "RFE/RL has been declared",
    "click here",
    "2 min read",
    "[Screen Grab]",
]


def _docs(store, seeds_dir: Path) -> dict[str, dict]:
    ingest(store, [seeds_dir])
    return {Path(r["source"]).name: r for r in document_rows(store) if r["source"].endswith(".txt")}


def test_seed_documents_are_clean_and_titled(store, seeds_dir):
    docs = _docs(store, seeds_dir)
    assert len(docs) == 5
    for name, doc in docs.items():
        for line in BOILERPLATE:
            assert line.lower() not in doc["text"].lower(), (name, line)
        assert doc["text"][:400].count(doc["title"]) <= 1
        first = next(
            x.strip()
            for x in (seeds_dir / name).read_text().splitlines()
            if x.strip() and x.strip() not in ("Accessibility links", "Breaking News")
        )
        assert doc["title"] == first


def test_seed_dates_and_outlets(store, seeds_dir):
    docs = _docs(store, seeds_dir)
    d2 = docs["002_4f88fc381ee7461c.txt"]
    assert (d2["published"], d2["published_precision"], d2["published_source"]) == (
        "2015-12-03",
        "day",
        "byline",
    )
    assert docs["003_1048c76bb9b7de95.txt"]["outlet"] == "RFE/RL"
    assert docs["004_8f076bf850deafe9.txt"]["outlet"] == "Mirror"
    d0 = docs["000_b39f6e965c1090b6.txt"]
    assert d0["outlet"] is None
    assert d0["cited_sources"] == ["Washington Post", "The Independent", "Fox News"]
    assert docs["003_1048c76bb9b7de95.txt"]["credits"] == ["AP", "Reuters", "AFP", "dpa"]
    assert docs["001_e3efae212fcaec45.txt"]["dateline"] == "Moscow"
    for name in ("000_b39f6e965c1090b6.txt", "001_e3efae212fcaec45.txt"):
        assert docs[name]["outlet"] is None


def test_reingest_adds_nothing(store, seeds_dir):
    first = ingest(store, [seeds_dir])
    again = ingest(store, [seeds_dir])
    assert first.added == 5
    assert again.added == 0 and again.already_stored == 5
    assert store.query("SELECT count(*) FROM documents")[0][0] == 5
    runs = store.query("SELECT added, already_stored FROM ingest_runs ORDER BY id")
    assert [tuple(r) for r in runs] == [(5, 0), (0, 5)]


def test_cli_ingest_and_export(tmp_path, seeds_dir):
    runner = CliRunner()
    db = str(tmp_path / "c.db")
    result = runner.invoke(cli, ["ingest", str(seeds_dir), "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    again = runner.invoke(cli, ["ingest", str(seeds_dir), "--db", db])
    assert "0 added" in again.output and "5 already stored" in again.output
    out = tmp_path / "docs.jsonl"
    result = runner.invoke(
        cli, ["export", "--what", "documents", "--format", "jsonl", "--db", db, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {
        "id",
        "source",
        "title",
        "outlet",
        "url",
        "published",
        "published_precision",
        "published_source",
        "text",
        "duplicate_of",
        "near_duplicate_of",
        "errors",
    } <= set(rows[0])
    csv_out = tmp_path / "docs.csv"
    assert runner.invoke(cli, ["export", "--format", "csv", "--db", db, "-o", str(csv_out)]).exit_code == 0
    assert csv_out.read_text().splitlines()[0].startswith("id,source")


def test_export_from_missing_db_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "no database at" in result.output
