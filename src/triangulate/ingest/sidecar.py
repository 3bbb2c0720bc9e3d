"""User-supplied metadata next to input files: ``NAME.json`` sidecars and manifest files.

A manifest is ``manifest.jsonl`` / ``manifest.csv`` (or any ``*manifest*.jsonl|csv``) in the
input folder, or a file passed with ``--manifest``. Each row names a ``file`` and may give
``url``, ``outlet``, ``published``, ``title``, ``id`` and ``language``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.errors import InputError
from triangulate.ingest.decode import without_surrogates
from triangulate.records import SourceMeta

META_KEYS = ("title", "outlet", "url", "published", "language")


def is_metadata_file(path: Path) -> bool:
    """True for sidecars and manifests, which are read as metadata, never as documents."""
    name = path.name.lower()
    if "manifest" in name and name.endswith((".jsonl", ".csv", ".json")):
        return True
    if name.endswith(".json"):
        stem = path.with_suffix("")
        return any(stem.with_suffix(ext).exists() for ext in (".txt", ".html", ".htm")) or stem.exists()
    return False


def _meta_from_row(row: dict[str, object]) -> SourceMeta:
    def get(key: str) -> str:
        value = row.get(key)
        return "" if value is None else without_surrogates(str(value).strip())

    return SourceMeta(
        title=get("title"),
        outlet=get("outlet") or get("source_outlet"),
        url=get("url"),
        published=get("published") or get("date"),
        external_id=get("id") or get("doc_id"),
        language=get("language"),
    )


@dataclass(slots=True)
class MetadataIndex:
    """Metadata for input files, keyed by file name (and by path relative to the manifest)."""

    by_name: dict[str, SourceMeta] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def load_manifest(self, path: Path) -> None:
        """Add rows of a JSONL or CSV manifest; unreadable rows are noted, not fatal."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(f"{path}: manifest unreadable ({exc})")
            return
        rows: list[dict[str, object]] = []
        if path.suffix.lower() == ".csv":
            rows = list(csv.DictReader(text.splitlines()))
        else:
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    self.problems.append(f"{path}:{n}: manifest line is not JSON ({exc.msg})")
                    continue
                if isinstance(value, dict):
                    rows.append(value)
        for row in rows:
            name = str(row.get("file") or row.get("path") or "").strip()
            if name:
                self.by_name[Path(name).name] = _meta_from_row(row)

    def lookup(self, path: Path) -> SourceMeta | None:
        """Metadata for one input file: its sidecar first, then the manifest."""
        for sidecar in (path.with_suffix(".json"), path.with_name(path.name + ".json")):
            if sidecar.exists() and sidecar != path:
                try:
                    value = json.loads(sidecar.read_text(encoding="utf-8-sig"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InputError(
                        f"{sidecar}: sidecar metadata is not valid JSON ({exc})",
                        "fix or remove the sidecar file",
                    ) from exc
                if isinstance(value, dict):
                    return _meta_from_row(value)
        return self.by_name.get(path.name)

    @classmethod
    def for_folder(cls, folder: Path, extra: Path | None = None) -> MetadataIndex:
        """Index the manifests found directly in ``folder`` plus an explicit one."""
        index = cls()
        if folder.is_dir():
            for candidate in sorted(folder.iterdir()):
                if (
                    candidate.is_file()
                    and "manifest" in candidate.name.lower()
                    and candidate.suffix.lower() in (".jsonl", ".csv")
                ):
                    index.load_manifest(candidate)
        if extra is not None:
            index.load_manifest(extra)
        return index


def merge_meta(base: SourceMeta, override: SourceMeta | None) -> SourceMeta:
    """User metadata wins over what a reader found; empty values never erase."""
    if override is None:
        return base
    return SourceMeta(
        **{
            k: (getattr(override, k) or getattr(base, k))
            for k in ("title", "outlet", "url", "published", "external_id", "language")
        }
    )
