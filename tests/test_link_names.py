"""The names view of event linking's text evidence: capitalised words inside a sentence, a pair feature beside all words."""

from __future__ import annotations

from tests.conftest import EXAMPLES
from triangulate.link import score as scoring
from triangulate.link.cluster import Linker
from triangulate.link.text import cosine, name_counts
from triangulate.pipeline.run import run
from triangulate.settings import Settings
from triangulate.store.db import Store


def test_name_counts_keeps_names_inside_sentences_and_skips_sentence_starts():
    text = (
        "The quake struck off Manokwari in West Papua, the U.S. Geological Survey said.\n"
        'Officials said it was weaker than the Aceh quake. "We are safe," said Rahimin Kacong of Manokwari.'
    )
    counts = name_counts(text)
    assert counts["manokwari"] == 2
    assert {"west", "papua", "aceh", "rahimin", "kacong"} <= set(counts)
    assert not {"the", "officials", "quake", "said", "we"} & set(counts), (
        "sentence starts and lowercase words are not names"
    )
    assert "geological" not in counts, "after an abbreviation's full stop a word is read as a sentence start"


def test_pair_features_carry_the_word_and_the_name_cosines(tmp_path):
    store = Store.open(tmp_path / "names.db")
    run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
    linker = Linker(store, Settings())
    mains = [
        linker.features(r[0]) for r in store.query("SELECT id FROM events WHERE role = 'main' ORDER BY id")
    ]
    assert all(f.vector and f.names for f in mains), "every main event has both views"
    pairs = [(a, b, scoring.pair_features(a, b)) for a, b in zip(mains, mains[1:], strict=False)]
    a, b, x = next(p for p in pairs if p[2] is not None)
    assert x["words"] == cosine(a.vector, b.vector) and x["names"] == cosine(a.names, b.names)
    assert {"words", "names"} <= set(scoring.pair_model().weights), "the shipped model weighs both views"
