"""Turn a reader's RawDocument into a clean, dated Document."""

from __future__ import annotations

from triangulate.errors import InputError
from triangulate.ingest.clean import clean_text, normalise_for_hash
from triangulate.ingest.decode import sha256
from triangulate.ingest.metadata import choose_outlet, published_date
from triangulate.records import Document, RawDocument
from triangulate.settings import Settings


def build_document(raw: RawDocument, settings: Settings) -> Document:
    """Clean the text, infer missing metadata, and hash the result. Raises InputError."""
    cleaned = clean_text(raw.text, title_hint=raw.meta.title)
    furniture = cleaned.furniture
    text = cleaned.text
    body_chars = len(text) - len(furniture.title)
    if body_chars < settings.min_text_chars:
        raise InputError(
            f"{raw.source}: no report text after cleaning ({max(body_chars, 0)} characters)",
            "the file holds only page furniture or is empty; check it is an article",
        )
    outlet, outlet_source = choose_outlet(raw.meta, furniture)
    date = published_date(raw.meta, furniture)
    credits = list(
        dict.fromkeys(furniture.credits + ([furniture.dateline_agency] if furniture.dateline_agency else []))
    )
    return Document(
        source=raw.source,
        text=text,
        raw_hash=raw.raw_hash,
        content_hash=sha256(normalise_for_hash(text)),
        title=furniture.title or raw.meta.title,
        outlet=outlet,
        outlet_source=outlet_source,
        cited_sources=list(dict.fromkeys(furniture.cited_sources)),
        credits=credits,
        url=raw.meta.url,
        published=date.value,
        published_precision=date.precision,
        published_source=date.source,
        dateline=furniture.dateline,
        language=raw.meta.language or "en",
        external_id=raw.meta.external_id,
        removed_lines=furniture.removed,
    )
