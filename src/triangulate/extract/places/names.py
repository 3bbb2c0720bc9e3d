"""Toponym name keys: transliteration variants and feature suffixes folded away."""

from __future__ import annotations

import re
import unicodedata

_ARTICLE = re.compile(r"\b(?:al|el|ez|ad|as|ash|an|ar|at|az|ul)[-\s]", re.I)
_SUFFIX = re.compile(r"\s+(?:province|governorate|oblast|region|state|city|district|republic|county)$", re.I)


def name_key(text: str) -> tuple[str, str]:
    """(key, feature hint): 'Deir al-Zor province' -> ('deir zor', 'admin1')."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).strip()
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    hint = ""
    if _SUFFIX.search(text):
        hint = "admin1" if not re.search(r"city$", text, re.I) else "city"
        text = _SUFFIX.sub("", text)
    text = re.sub(r"\bSt\.?\s", "Saint ", text)
    text = re.sub(r"\bSte\.?\s", "Sainte ", text)
    text = re.sub(r"\bMt\.?\s", "Mount ", text)
    text = _ARTICLE.sub(" ", text + " ").strip()
    text = re.sub(r"[\W_]+", " ", text.casefold()).strip()
    return text, hint
