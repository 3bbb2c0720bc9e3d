"""Bad input through the real public API (``ingest``) and the CLI: every bad file or record is
one recorded, one-line reason; good input next to it is still stored; no traceback, ever."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import sqlite3
import struct
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from triangulate.cli import cli
from triangulate.errors import FetchError
from triangulate.ingest import fetch
from triangulate.ingest.pipeline import IngestReport, ingest
from triangulate.settings import Settings
from triangulate.store.db import Store

RES = Path(__file__).parent / "resources" / "readers"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
    + bytes(300)
)
REPORT = (
    "Bomb kills five in Peshawar market\n\n"
    "PESHAWAR -- A bomb hidden in a vegetable cart exploded in a crowded market on Tuesday, killing five "
    "people and wounding twelve, police said.\n\nNo group has claimed responsibility for the attack.\n"
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feed items would be followed online by default; here every DNS lookup fails at once."""

    def refuse(host: str, port: int) -> list[str]:
        raise FetchError(f"cannot resolve host {host!r} (no network in tests)", "use canned responses")

    monkeypatch.setattr(fetch, "_resolve", refuse)


def run(tmp_path: Path, *paths: Path | str, **kwargs: object) -> IngestReport:
    with Store.open(tmp_path / "t.db") as store:
        return ingest(store, list(paths), **kwargs)  # type: ignore[arg-type]


def run_cli(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["ingest", *args, "--db", str(db)])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def documents(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return [tuple(row) for row in conn.execute("SELECT source, text FROM documents ORDER BY id")]


def errors(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return [
            tuple(row) for row in conn.execute("SELECT source, reason, hint FROM document_errors ORDER BY id")
        ]


def only_rejection(report: IngestReport) -> str:
    assert report.added == 0 and len(report.rejected) == 1, report
    rejection = report.rejected[0]
    assert rejection.reason and rejection.hint and "\n" not in rejection.line()
    return rejection.reason


def gzip_bomb(path: Path, gigabytes: int = 1) -> Path:
    """A valid gzip file of ``gigabytes`` GB of zeros, about 1 MB on disk, built in a fraction of a second.

    After a full flush deflate restarts, so each further 1 MiB of zeros compresses to the same bytes.
    """
    zeros, crc = bytes(1 << 20), 0
    for _ in range(1024 * gigabytes):
        crc = zlib.crc32(zeros, crc)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeat = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    body = first + repeat * (1024 * gigabytes - 1) + deflate.flush()
    path.write_bytes(
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + body
        + struct.pack("<II", crc, (gigabytes << 30) & 0xFFFFFFFF)
    )
    return path


def write_warc(path: Path) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for name, uri in (
            ("harbor_wire.html", "https://harborwire.example/a"),
            ("meridian_press.html", "https://meridianpress.example/b"),
            ("daily_courier.htm", "https://dailycourier.example/c"),
        ):
            body = (RES / name).read_bytes()
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            )
    return path


# --- one bad file at a time, through the library ----------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty file" in only_rejection(run(tmp_path, tmp_path / "empty.txt"))


def test_png_bytes_named_txt(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(PNG)
    assert "binary data" in only_rejection(run(tmp_path, tmp_path / "photo.txt"))


QUETTA = (
    "Caf\u00e9 bombing in Quetta kills three\n\n"
    "QUETTA -- A bomb exploded outside the Caf\u00e9 Jamil on Tuesday, killing three people and wounding "
    "eleven, the police chief said. \u00c9ric Dupont, a French engineer, was among the wounded.\n"
)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_legacy_and_utf16_text_is_decoded(tmp_path: Path, encoding: str) -> None:
    text = QUETTA
    if encoding == "cp1252":
        text = text.replace(
            "the police chief said.",
            "the police chief said, calling it \u201ccowardly\u201d \u2013 the third such attack.",
        )
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    report = run(tmp_path, path)
    assert report.added == 1 and not report.rejected
    stored = documents(tmp_path / "t.db")[0][1]
    assert "Caf\u00e9 Jamil" in stored and "\u00c9ric Dupont" in stored
    if encoding == "cp1252":
        assert "\u201ccowardly\u201d \u2013 the third" in stored


def test_utf16_html_and_jsonl(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in QUETTA.split("\n\n")[1:])
    html = f"<html><head><title>Caf\u00e9 bombing</title></head><body><article>{paragraphs}</article></body></html>"
    (tmp_path / "page.html").write_bytes(html.encode("utf-16"))
    (tmp_path / "lines.jsonl").write_bytes(
        (json.dumps({"text": QUETTA}, ensure_ascii=False) + "\n").encode("utf-16")
    )
    report = run(tmp_path, tmp_path / "page.html", tmp_path / "lines.jsonl")
    assert report.added == 2 and not report.rejected
    assert all("\u00c9ric Dupont" in text for _, text in documents(tmp_path / "t.db"))


def test_mixed_encodings_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        REPORT.encode("utf-8")
        + "\nA second witness at the caf\u00e9 said the blast shook the whole street.\n".encode("cp1252")
    )
    report = run(tmp_path, path)
    assert report.added == 1 and not report.rejected
    stored = documents(tmp_path / "t.db")[0][1]
    assert "killing five people" in stored and "shook the whole street" in stored


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress((REPORT * 50).encode())
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    assert "truncated gzip" in only_rejection(run(tmp_path, tmp_path / "cut.txt.gz"))
    lines = gzip.compress(
        b"".join(json.dumps({"text": f"{REPORT} {i}"}).encode() + b"\n" for i in range(300))
    )
    (tmp_path / "cut.jsonl.gz").write_bytes(lines[: len(lines) // 2])
    report = run(tmp_path, tmp_path / "cut.jsonl.gz")
    assert report.added > 0 and len(report.rejected) == 1
    assert "truncated or corrupt gzip data" in report.rejected[0].reason


def test_truncated_warc_gz_keeps_what_was_read(tmp_path: Path) -> None:
    data = write_warc(tmp_path / "crawl.warc.gz").read_bytes()
    (tmp_path / "crawl.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    report = run(tmp_path, tmp_path / "crawl.warc.gz")
    assert report.added == 2 and len(report.rejected) == 1
    assert report.rejected[0].reason.startswith("truncated or corrupt WARC after")


def test_malformed_html(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text(
        "<html><body><div><p>PESHAWAR -- "
        + REPORT.replace("\n", " ")
        + "<p>Police sealed off the area <b>and <i>began a search</div></span>"
    )
    (tmp_path / "junk.html").write_text("<<<html>>> <body <p <<<>>> </ta ble> &#xZZ; ]]> <!-- unterminated")
    report = run(tmp_path, tmp_path / "broken.html", tmp_path / "junk.html")
    assert report.added == 1
    assert [(r.source, r.reason) for r in report.rejected] == [
        (str(tmp_path / "junk.html"), "no article text found in the HTML")
    ]


def test_bad_json_lines_among_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    shutil.copy(RES / "articles.jsonl", path)
    report = run(tmp_path, path)
    assert report.added == 3
    lines = [r.line() for r in report.rejected]
    assert lines[0].startswith(f"{path}:3: invalid JSON (Expecting ',' delimiter)")
    assert [r.source for r in report.rejected] == [f"{path}:3", f"{path}:4", f"{path}:5"]


def test_csv_with_a_broken_quote(tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(
        "id,title,text\n"
        f'1,Market bomb,"{REPORT}"\n'
        '2,Broken,"this quote never closes\n'
        '3,Police post attack,"KULACHI -- Gunmen attacked a police post late on Sunday, killing four officers, police said."\n'
    )
    report = run(tmp_path, path)
    assert report.added == 2  # row 1 spans lines 2-7 (its text has blank lines); row 2 starts on line 8
    assert [(r.source, r.reason) for r in report.rejected] == [
        (f"{path}:8", "bad CSV row: ',' expected after '\"'")
    ]
    assert "quoting" in report.rejected[0].hint


@pytest.mark.parametrize(
    ("suffix", "reason"),
    [
        (".txt", "over the 50 MB cap"),
        (".html", "over the 50 MB cap"),
        (".json", "over the 50 MB cap"),
        (".rss", "over the 50 MB cap"),
        (".jsonl", "over the max_record_bytes cap"),
        (".csv", "over the max_record_bytes cap"),
    ],
)
def test_100_mb_file_is_refused_quickly(tmp_path: Path, suffix: str, reason: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as fh:
        fh.truncate(100_000_000)  # sparse: instant to create, 100 MB to read
    started = time.monotonic()
    assert reason in only_rejection(run(tmp_path, path))
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("name", ["bomb.txt.gz", "bomb.jsonl.gz", "bomb.html.gz", "bomb.csv.gz"])
def test_gzip_bomb_is_refused(tmp_path: Path, name: str) -> None:
    path = gzip_bomb(tmp_path / name)
    assert path.stat().st_size < 2_000_000
    started = time.monotonic()
    report = run(tmp_path, path)
    assert report.added == 0 and len(report.rejected) == 1
    assert "inflates to more than 200,000,000 bytes" in report.rejected[0].reason
    assert time.monotonic() - started < 5


# --- folders of good and bad files, through the CLI ---------------------------------------------------


def mixed_folder(root: Path) -> tuple[Path, int]:
    """Good and bad inputs side by side; returns the folder and how many bad records it holds."""
    folder = root / "inbox"
    folder.mkdir()
    for name in ("harbor_wire.html", "meridian_press.html", "articles.jsonl", "northern_ledger.atom"):
        shutil.copy(RES / name, folder / name)
    (folder / "report.txt").write_text(REPORT)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    (folder / "cut.txt.gz").write_bytes(gzip.compress((REPORT * 20).encode())[:200])
    (folder / "junk.html").write_text("<html><body><nav>Home</nav></body></html>")
    (folder / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><title>x</ti")
    return folder, 3 + 5  # three bad JSON lines, five bad files


def test_folder_of_good_and_bad_files(tmp_path: Path) -> None:
    folder, bad = mixed_folder(tmp_path)
    db = tmp_path / "cli.db"
    result = run_cli(db, str(folder))
    assert result.exit_code == 0, result.output
    stored = documents(db)
    assert len(stored) == 2 + 3 + 2 + 1  # html pages, good JSON lines, atom entries, the text report
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == bad == len(errors(db))
    for source, reason, hint in errors(db):
        assert reason and hint and "\n" not in reason + hint and source
    assert "8 added" in result.output and f"{bad} skipped" in result.output


def test_folder_through_the_library(tmp_path: Path) -> None:
    folder, bad = mixed_folder(tmp_path)
    report = run(tmp_path, folder)
    assert report.added == 8 and len(report.rejected) == bad
    assert len(errors(tmp_path / "t.db")) == bad


def test_everything_bad_fails_without_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    (folder / "junk.html").write_text("<<<>>>")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(100_000_000)
    gzip_bomb(folder / "bomb.jsonl.gz")
    result = run_cli(tmp_path / "cli.db", str(folder))
    assert result.exit_code != 0
    assert "nothing could be ingested" in result.output
    assert "0 added" in result.output and "5 skipped" in result.output
    assert "over the 50 MB cap" in result.output and "decompression bomb" in result.output


def test_missing_path_and_gold_json_via_cli(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"format": "incident-gold/1", "documents": {}}))
    result = run_cli(tmp_path / "cli.db", str(gold), str(tmp_path / "nope.txt"))
    assert result.exit_code != 0
    assert (
        f"skipped {gold}: no 'text' field (map it with --map text=FIELD; fields here: format, documents)"
        in result.output
    )
    assert f"skipped {tmp_path / 'nope.txt'}: no such file or folder" in result.output


def test_reingesting_the_same_folder_adds_nothing(tmp_path: Path) -> None:
    folder, bad = mixed_folder(tmp_path)
    first = run(tmp_path, folder)
    second = run(tmp_path, folder)
    assert first.added == 8 and second.added == 0 and second.already_stored == 8
    db = tmp_path / "cli.db"
    run_cli(db, str(folder))
    again = run_cli(db, str(folder))
    assert again.exit_code == 0 and "0 added" in again.output and "8 already stored" in again.output
    assert len(documents(db)) == 8


def test_bad_input_later_never_loses_what_is_stored(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(RES / "harbor_wire.html", good)
    (good / "report.txt").write_text(REPORT)
    db = tmp_path / "cli.db"
    assert run_cli(db, str(good)).exit_code == 0
    before = documents(db)
    assert len(before) == 2
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "photo.txt").write_bytes(PNG)
    gzip_bomb(bad / "bomb.txt.gz")
    (bad / "broken.jsonl").write_text("{not json\n")
    result = run_cli(db, str(bad))
    assert result.exit_code != 0
    assert documents(db) == before
    assert len(errors(db)) == 3


def test_settings_from_the_cli_reach_the_readers(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": REPORT * 40}) + "\n" + json.dumps({"text": REPORT}) + "\n")
    result = run_cli(tmp_path / "cli.db", str(path), "--setting", "max_record_bytes", "2000")
    assert result.exit_code == 0 and "1 added" in result.output
    assert f"skipped {path}:1: line is over the max_record_bytes cap of 2,000" in result.output


def test_field_map_via_cli(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path / "cli.db",
        str(RES / "mapped.ndjson"),
        "--map",
        "text=content,published=dct,id=doc_id,title=headline",
    )
    assert result.exit_code == 0 and "2 added" in result.output
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        rows = conn.execute("SELECT external_id, published, title FROM documents ORDER BY id").fetchall()
    assert rows == [
        ("7", "2024-06-13", "Sit-in continues in Bannu"),
        ("8", "2024-06-14", "Second day of talks"),
    ]


def test_settings_object_is_respected_by_the_library(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "small-bomb.txt.gz")
    report = run(tmp_path, path, settings=Settings(max_decompressed_bytes=1_000_000))
    assert "inflates to more than 1,000,000 bytes" in only_rejection(report)


def test_concatenated_gzip_members_are_read_whole(tmp_path: Path) -> None:
    import gzip

    body = QUETTA.encode()
    (tmp_path / "two.txt.gz").write_bytes(gzip.compress(body[:60]) + gzip.compress(body[60:]))
    from triangulate.ingest.decode import inflate

    assert inflate((tmp_path / "two.txt.gz").read_bytes(), "two.txt.gz", 10**6) == body


def test_a_csv_mapping_that_names_no_column_is_one_error_listing_the_columns(tmp_path):
    from click.testing import CliRunner

    from triangulate.cli import cli

    rows = ["id,body,published_at"] + [
        f"{i},Gunmen killed two people in Peshawar on Monday police said,2024-01-01" for i in range(3000)
    ]
    path = tmp_path / "reports.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    unmapped = CliRunner().invoke(cli, ["ingest", str(path), "--db", db])
    lines = [line for line in unmapped.output.splitlines() if line.startswith("skipped")]
    assert len(lines) == 1 and "no 'text' column" in lines[0] and "id, body, published_at" in lines[0]
    wrong = CliRunner().invoke(
        cli, ["ingest", str(path), "--map", "text=body,published=published", "--db", db]
    )
    assert "--map names a column not in the header: published=published" in wrong.output
    assert "Traceback" not in wrong.output and wrong.exit_code == 1
    right = CliRunner().invoke(
        cli, ["ingest", str(path), "--map", "text=body,published=published_at", "--db", db]
    )
    assert right.exit_code == 0 and "3000 added" in right.output


def test_repeated_rejections_are_summarised(tmp_path):
    from click.testing import CliRunner

    from triangulate.cli import cli

    path = tmp_path / "reports.jsonl"
    path.write_text("".join(f'{{"id": {i}, "body": "x"}}\n' for i in range(50)), encoding="utf-8")
    out = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "t.db")])
    assert len(out.output.splitlines()) < 10
    assert "47 more skipped: no 'text' field" in out.output
