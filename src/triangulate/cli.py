"""The triangulate command line: a thin layer over the library. Each command parses, calls, prints."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

import click

from triangulate import __version__
from triangulate.errors import TriangulateError
from triangulate.records import Rejection
from triangulate.settings import Settings
from triangulate.store.db import DEFAULT_DB, Store

db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite store to use.",
)
engine_option = click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default=None,
    help="Where extraction runs (default: the engine setting, local). ray needs triangulate[ray].",
)
setting_option = click.option(
    "--setting",
    "settings_pairs",
    multiple=True,
    nargs=2,
    metavar="NAME VALUE",
    help="Override a setting (see docs/settings.md); repeatable.",
)


class FriendlyGroup(click.Group):
    """Turns library errors into one-line messages and unexpected failures into a short report."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TriangulateError as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:
            # `triangulate export | head`: the reader left; that is a normal end, not an error.
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # the last line of defence: never show a traceback to users
            if ctx.obj and ctx.obj.get("debug"):
                raise
            logging.getLogger("triangulate").debug("internal error", exc_info=True)
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details and report it)"
            ) from exc


@click.group(cls=FriendlyGroup)
@click.version_option(__version__, prog_name="triangulate")
@click.option("--debug", is_flag=True, help="Show full tracebacks for internal errors.")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: int) -> None:
    """Turn news reports into a trustworthy incident database."""
    ctx.obj = {"debug": debug}
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.captureWarnings(True)  # library warnings go through logging, not straight to the terminal
    # Libraries' own warnings about a page they parse (trafilatura, htmldate, justext) are shown with -v only;
    # triangulate records what it could not read as skipped input.
    for name in ("trafilatura", "htmldate", "justext", "courlan", "py.warnings"):
        logging.getLogger(name).setLevel(level if verbose else logging.ERROR)


def settings_from(pairs: tuple[tuple[str, str], ...], engine: str | None = None) -> Settings:
    """Settings from repeated ``--setting NAME VALUE`` options (and ``--engine``, which wins)."""
    settings = Settings.from_pairs(list(pairs))
    return settings.with_value("engine", engine) if engine else settings


def _progress_bar(enabled: bool):  # type: ignore[no-untyped-def]
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(unit=" docs", file=sys.stderr, leave=False)
    return bar, bar.update


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "txt", "html", "jsonl", "csv", "warc", "rss", "urls"]),
    help="Input format; auto picks by file name and content.",
)
@click.option(
    "--map",
    "mapping",
    default="",
    help="Field mapping for JSONL/CSV, e.g. text=content,published=dct,id=doc_id.",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV/JSONL mapping files to url, outlet, published.",
)
@click.option("--quiet", is_flag=True, help="Print only the summary line.")
@setting_option
def ingest(
    paths: tuple[str, ...],
    db: str,
    fmt: str,
    mapping: str,
    manifest: str | None,
    quiet: bool,
    settings_pairs: tuple[tuple[str, str], ...],
) -> None:
    """Read news reports (files, folders, feeds, URLs) into the store."""
    from triangulate.ingest.pipeline import ingest as run_ingest
    from triangulate.ingest.readers.base import FieldMap

    settings = settings_from(settings_pairs)
    bar, progress = _progress_bar(sys.stderr.isatty() and not quiet)
    with Store.open(db) as store:
        report = run_ingest(
            store,
            paths,
            fmt=fmt,
            field_map=FieldMap.parse(mapping),
            manifest=Path(manifest) if manifest else None,
            settings=settings,
            progress=progress,
        )
    if bar is not None:
        bar.close()
    if not quiet:
        for line in summarise(report.rejected):
            click.echo(line, err=True)
    click.echo(report.summary() + f" -> {db}")
    if report.added == 0 and report.already_stored == 0 and report.rejected:
        raise click.ClickException("nothing could be ingested; see the reasons above")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def summarise(rejected: list[Rejection], keep: int = 3) -> list[str]:
    """One line per skipped input, but at most ``keep`` for each reason; the rest of a reason in one line."""
    seen: dict[tuple[str, str], int] = {}
    lines = []
    for rejection in rejected:
        key = (rejection.reason, rejection.hint)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= keep:
            lines.append(terminal_safe(f"skipped {rejection.line()}"))
    for (reason, hint), count in seen.items():
        if count > keep:
            more = f"{count - keep:,} more skipped: {reason}" + (f" ({hint})" if hint else "")
            lines.append(terminal_safe(more))
    return lines


def terminal_safe(text: str) -> str:
    """Text without control characters (terminal escape sequences in a title must not reach the terminal)."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


@cli.command()
@db_option
@click.option("--limit", default=50, show_default=True, help="Rows to show.")
def documents(db: str, limit: int) -> None:
    """List stored documents."""
    from triangulate.store.queries import list_documents

    with Store.open(db, readonly=True) as store:
        rows = list_documents(store, limit)
    for row in rows:
        dup = f" [dup of {row.duplicate_of}]" if row.duplicate_of else ""
        click.echo(
            terminal_safe(
                f"{row.id:>6}  {row.published or '?':<10} {row.outlet[:18] or '-':<18} {row.title[:70]}{dup}"
            )
        )


@cli.command()
@click.option(
    "--what",
    type=click.Choice(["documents", "mentions", "events", "incidents"]),
    default="documents",
    show_default=True,
    help="Which records to export.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "geojson"]),
    default="jsonl",
    show_default=True,
    help="Output format (parquet needs -o; geojson carries points and their precision).",
)
@click.option(
    "--schema",
    type=click.Choice(["native", "acled", "gtd"]),
    default="native",
    show_default=True,
    help="Column vocabulary for incidents.",
)
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
def export(what: str, fmt: str, schema: str, db: str, output: str | None) -> None:
    """Export documents, mentions, events or incidents."""
    from triangulate.export import export as run_export

    with Store.open(db, readonly=True) as store:
        n = run_export(store, what, fmt, output, schema)
    if output:
        click.echo(f"wrote {n} {what} to {output}", err=True)


@cli.command(name="extract")
@db_option
@click.option("--redo", is_flag=True, help="Extract every document again, not only new ones.")
@engine_option
@setting_option
def extract_cmd(db: str, redo: bool, engine: str | None, settings_pairs: tuple[tuple[str, str], ...]) -> None:
    """Extract actors, times, places, events and claims from stored documents."""
    from triangulate.pipeline.extract import extract

    with Store.open(db) as store:
        report = extract(store, settings_from(settings_pairs, engine), redo=redo)
    for line in report.errors:
        click.echo(f"error {line}", err=True)
    click.echo(report.summary())


@cli.command()
@click.argument("paths", nargs=-1)
@db_option
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "txt", "html", "jsonl", "csv", "warc", "rss", "urls"]),
    help="Input format.",
)
@click.option(
    "--map",
    "mapping",
    default="",
    help="Field mapping for JSONL/CSV, e.g. text=content,published=dct,id=doc_id.",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV/JSONL mapping files to url, outlet, published.",
)
@engine_option
@setting_option
def run(
    paths: tuple[str, ...],
    db: str,
    fmt: str,
    mapping: str,
    manifest: str | None,
    engine: str | None,
    settings_pairs: tuple[tuple[str, str], ...],
) -> None:
    """Ingest PATHS (if any), then extract, link and reconcile everything pending."""
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run as run_all
    from triangulate.pipeline.run import update

    settings = settings_from(settings_pairs, engine)
    with Store.open(db) as store:
        if paths:
            report = run_all(
                store,
                paths,
                fmt=fmt,
                field_map=FieldMap.parse(mapping),
                manifest=Path(manifest) if manifest else None,
                settings=settings,
            )
        else:
            report = update(store, settings)
    if report.ingest:
        for line in summarise(report.ingest.rejected):
            click.echo(line, err=True)
    click.echo(report.summary())
    if (
        report.ingest
        and report.ingest.added == 0
        and report.ingest.already_stored == 0
        and report.ingest.rejected
    ):
        raise click.ClickException("nothing could be ingested; see the reasons above")


@cli.command()
@click.argument("target", type=click.Path(exists=True))
@db_option
@click.option(
    "--interval", default=30.0, show_default=True, type=click.FloatRange(0.1), help="Seconds between polls."
)
@click.option("--once", is_flag=True, help="Poll once and exit (for cron jobs and tests).")
@click.option(
    "--max-batches",
    default=0,
    type=click.IntRange(0),
    help="Stop after this many batches (0: run until Ctrl-C).",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV/JSONL mapping files to url, outlet, published.",
)
@engine_option
@setting_option
def watch(
    target: str,
    db: str,
    interval: float,
    once: bool,
    max_batches: int,
    manifest: str | None,
    engine: str | None,
    settings_pairs: tuple[tuple[str, str], ...],
) -> None:
    """Watch TARGET (a folder, or a text file of feed URLs); ingest what appears and update incidents.

    State lives in the store, so a restarted watcher carries on where it stopped.
    """
    from triangulate.engines import open_engine
    from triangulate.pipeline.watch import Watcher

    settings = settings_from(settings_pairs, engine)
    with Store.open(db) as store, open_engine(settings) as opened:
        watcher = Watcher(store, target, settings, opened, Path(manifest) if manifest else None)
        click.echo(
            f"watching {target} ({'feeds' if watcher.feeds else 'folder'}) every {interval:g} s; Ctrl-C stops"
        )
        try:
            watcher.run(
                interval,
                max_batches=max_batches,
                max_polls=1 if once else 0,
                on_batch=lambda batch: click.echo(batch.line()),
            )
        except KeyboardInterrupt:
            click.echo("stopped; the store is up to date to the last finished batch")


@cli.command()
@db_option
@click.option(
    "--rebuild", is_flag=True, help="Batch mode: re-link every event from scratch (human decisions are kept)."
)
@setting_option
def link(db: str, rebuild: bool, settings_pairs: tuple[tuple[str, str], ...]) -> None:
    """Link pending events into incidents (or re-link everything with --rebuild), then reconcile."""
    from triangulate.pipeline.run import relink

    with Store.open(db) as store:
        report = relink(store, settings_from(settings_pairs), rebuild=rebuild)
    click.echo(report.link.summary() + f"; {report.incidents} incidents reconciled")


@cli.command()
@db_option
@click.option("--limit", default=50, show_default=True, help="Rows to show.")
def incidents(db: str, limit: int) -> None:
    """List incidents with their document counts and status."""
    from triangulate.store.queries import list_incidents

    with Store.open(db, readonly=True) as store:
        rows = list_incidents(store, limit)
    for row in rows:
        click.echo(
            terminal_safe(
                f"{row.id:>6}  {row.kind:<10} {row.date or '?':<10} docs={row.n_documents:<3} "
                f"indep={row.n_independent:<3} {row.status:<14} {row.title[:80]}"
            )
        )


@cli.command()
@click.argument("incident_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
def brief(incident_id: int, db: str, fmt: str) -> None:
    """Write a short cited account of one incident."""
    from triangulate.reconcile.brief import brief as make_brief

    with Store.open(db, readonly=True) as store:
        click.echo(terminal_safe(make_brief(store, incident_id, fmt)))


@cli.command(name="eval")
@click.argument("dataset")
@click.option(
    "--data-dir",
    default="../shared",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Shared folder holding seeds/ and data/.",
)
@click.option(
    "--split",
    default=None,
    type=click.Choice(["train", "dev", "test", "all"]),
    help="Split to score (default: the dataset's test split; dev for gva-dev). Datasets without splits refuse it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print metrics as JSON.")
def eval_cmd(dataset: str, data_dir: str, split: str | None, as_json: bool) -> None:
    """Score DATASET (seeds, examples, tempeval3, geo, gvc, ecbplus, gva-dev, muc4, gvc-fields, gvc-incidents, roles)."""
    import json

    from triangulate.evaluate.registry import EvalOptions, run_evaluation

    result = run_evaluation(dataset, Path(data_dir), EvalOptions(split=split))
    table = result.pop("table", None)
    if table and not as_json:
        click.echo(table)
    click.echo(json.dumps(result, indent=None if as_json else 2, ensure_ascii=False))


@cli.command(name="train-pair-model")
@click.option(
    "--data-dir",
    default="../shared",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Shared folder holding data/ (gva_dev, gvc, ecbplus).",
)
@click.option(
    "--stores",
    default=None,
    type=click.Path(file_okay=False),
    help="Keep the corpora's stores here (reused when present).",
)
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False),
    help="Where to write the model (default: the shipped one).",
)
def train_pair_model(data_dir: str, stores: str | None, out: str | None) -> None:
    """Train the same-incident pair model of linking on the train splits of gva_dev, GVC and ECB+ (docs/linking.md)."""
    import json

    from triangulate.evaluate.link_training import SHIPPED, train

    model = train(Path(data_dir), Path(stores) if stores else None, Path(out) if out else None)
    click.echo(
        json.dumps(
            {"average_precision": model.provenance["average_precision"], "pairs": model.provenance["pairs"]}
        )
    )
    click.echo(f"wrote {out or SHIPPED}")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on."
)
@setting_option
def serve(db: str, host: str, port: int, settings_pairs: tuple[tuple[str, str], ...]) -> None:
    """Serve the web UI and the HTTP API (/api/v1) on the store."""
    from triangulate.web.serve import serve as run_server

    run_server(db, host=host, port=port, settings=settings_from(settings_pairs))


@cli.command(name="backup")
@click.argument("dest", type=click.Path(dir_okay=False))
@db_option
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
def backup_cmd(dest: str, db: str, force: bool) -> None:
    """Copy the store to DEST with SQLite's online backup (safe while ingest or serve run on it)."""
    from triangulate.store.backup import backup

    click.echo(backup(db, dest, force=force).summary("backed up"))


@cli.command(name="restore")
@click.argument("src", type=click.Path(dir_okay=False))
@db_option
@click.option("--force", is_flag=True, help="Replace an existing store at --db.")
def restore_cmd(src: str, db: str, force: bool) -> None:
    """Check the backup SRC and put it in place of the store, atomically."""
    from triangulate.store.backup import restore

    click.echo(restore(src, db, force=force).summary("restored"))


@cli.group()
def user() -> None:
    """Manage local web accounts (argon2-hashed passwords)."""


@user.command(name="add")
@click.argument("name")
@db_option
@click.option(
    "--role",
    type=click.Choice(["reader", "analyst", "admin"]),
    default="analyst",
    show_default=True,
    help="reader: may only read; analyst or admin: may also review incidents.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting."
)
def user_add(name: str, db: str, role: str, password_stdin: bool) -> None:
    """Create an account NAME."""
    from triangulate.store.users import add_user

    password = (
        sys.stdin.readline().rstrip("\r\n")
        if password_stdin
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    with Store.open(db) as store:
        created = add_user(store, name, password, role)
    click.echo(f"added user {created.name} ({created.role}) to {db}")


@user.command(name="list")
@db_option
def user_list(db: str) -> None:
    """List accounts."""
    from triangulate.store.users import list_users

    with Store.open(db) as store:
        for u in list_users(store):
            click.echo(
                f"{u.id:>4}  {u.name:<24} {u.role:<8} {'disabled' if u.disabled else 'active':<8} {u.created_at}"
            )


@user.command(name="passwd")
@click.argument("name")
@db_option
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def user_passwd(name: str, db: str, password_stdin: bool) -> None:
    """Change the password of NAME (ends that user's sessions)."""
    from triangulate.store.users import set_password

    password = (
        sys.stdin.readline().rstrip("\r\n")
        if password_stdin
        else click.prompt("New password", hide_input=True, confirmation_prompt=True)
    )
    with Store.open(db) as store:
        set_password(store, name, password)
    click.echo(f"changed the password of {name}")


def main() -> None:
    """Console entry point."""
    cli(prog_name="triangulate")


if __name__ == "__main__":
    main()
