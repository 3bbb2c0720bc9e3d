"""Docs are generated from the code and must not drift from it (STYLE.md principles 8 and 10).

docs/cli.md, docs/settings.md and the tuned values of docs/quality.md are cog pages: regenerate them with
``cog -r docs/cli.md docs/settings.md docs/quality.md`` (cogapp is in the ``test`` extra) when these tests say they are stale.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import click
import pytest
from cogapp import Cog

from triangulate.cli import cli
from triangulate.export.documents import DOCUMENT_COLUMNS
from triangulate.settings import SETTINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"
COG_PAGES = ["cli.md", "settings.md", "ontology.md", "codebook.md", "quality.md"]


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in group.commands.items():
        if command.hidden:
            continue
        out.append((path + (name,), command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, path + (name,)))
    return out


COMMANDS = _commands(cli)


@pytest.mark.parametrize("page", COG_PAGES)
def test_cog_page_is_up_to_date(page: str) -> None:
    path = DOCS / page
    current = path.read_text(encoding="utf-8")
    regenerated = Cog().process_string(current, fname=str(path))
    if regenerated != current:
        diff = "".join(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                regenerated.splitlines(keepends=True),
                f"docs/{page} (on disk)",
                f"docs/{page} (regenerated)",
            )
        )
        pytest.fail(f"docs/{page} is out of date; run `cog -r docs/{page}`\n{diff}")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_setting_is_documented(setting) -> None:  # type: ignore[no-untyped-def]
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `{re.escape(setting.name)}` \|", text, re.MULTILINE), (
        f"setting {setting.name!r} is missing from docs/settings.md; run `cog -r docs/settings.md`"
    )


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help_and_is_documented(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"`triangulate {' '.join(path)}` has no help text (add a docstring)"
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"## triangulate {' '.join(path)}\n" in text, (
        f"`triangulate {' '.join(path)}` is missing from docs/cli.md; run `cog -r docs/cli.md`"
    )


def test_group_has_help() -> None:
    assert (cli.help or "").strip()


@pytest.mark.parametrize("column", DOCUMENT_COLUMNS)
def test_documents_export_column_is_documented(column: str) -> None:
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    section = text.split("## Documents export", 1)[-1].split("\n## ", 1)[0]
    assert re.search(rf"^\| `{re.escape(column)}` \|", section, re.MULTILINE), (
        f"documents export column {column!r} is not described in the 'Documents export' table of docs/formats.md"
    )
