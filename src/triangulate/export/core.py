"""Export registry: what to export (documents, mentions, events, incidents) and where to write it."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from triangulate.errors import ConfigError, StoreError
from triangulate.export import writers
from triangulate.store.db import Store

RowSource = Callable[[Store, str], Iterable[writers.Row]]
EXPORTERS: dict[str, RowSource] = {}


def exporter(what: str) -> Callable[[RowSource], RowSource]:
    """Register a row source for ``--what``. Its second argument is the schema name."""

    def register(fn: RowSource) -> RowSource:
        EXPORTERS[what] = fn
        return fn

    return register


def _load_builtins() -> None:
    import importlib

    for module in ("triangulate.export.documents", "triangulate.export.incidents"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def export(store: Store, what: str, fmt: str, output: str | None, schema: str = "native") -> int:
    """Write every record of kind ``what`` in format ``fmt`` to ``output`` (stdout when None).

    Files are written to a temporary name and renamed, so a failed export never leaves half a file.
    """
    _load_builtins()
    writers.check_format(fmt)
    if what not in EXPORTERS:
        raise ConfigError(f"unknown export {what!r}", f"use --what {'|'.join(sorted(EXPORTERS))}")
    rows = EXPORTERS[what](store, schema)
    if fmt == "parquet" and not output:
        raise ConfigError("parquet needs an output file", "pass -o FILE.parquet")
    if not output:
        return _write(rows, fmt, sys.stdout)
    target = Path(output)
    if not target.parent.exists():
        raise ConfigError(f"folder {target.parent} does not exist", "create it or choose another -o path")
    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=target.parent)
    os.close(fd)
    try:
        if fmt == "parquet":
            n = writers.write_parquet(rows, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                n = _write(rows, fmt, out)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StoreError(
            f"cannot write {target}: {exc.strerror}", "check free space and permissions"
        ) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def _write(rows: Iterable[writers.Row], fmt: str, out) -> int:  # type: ignore[no-untyped-def]
    if fmt == "jsonl":
        return writers.write_jsonl(rows, out)
    if fmt == "csv":
        return writers.write_csv(rows, out)
    if fmt == "geojson":
        return writers.write_geojson(rows, out)
    raise ConfigError("parquet needs an output file", "pass -o FILE.parquet")
