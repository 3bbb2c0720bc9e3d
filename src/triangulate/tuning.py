"""Every value of triangulate that was chosen by measuring, in one place: what it is, the data and split it
was chosen on, and how (the command, or the measurement in docs/quality.md).

Modules read their tuned values from here (``tuned(name)``); docs/quality.md prints this table (cog). A value
set by reasoning rather than measurement says so. A value chosen while reading test errors says so too, as the
rule of the project asks ("tune on train, select on dev, report test").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LINK_CMD = "triangulate eval gvc --split dev; triangulate eval ecbplus --split dev"
SPLITS = "GVC train + dev, ECB+ topics 1-35"
FOCUS_HOW = (
    "docs/quality.md, 'The city and state a report is about' (a per-report harness, then fields_eval.py)"
)


@dataclass(frozen=True, slots=True)
class Tuned:
    """One tuned value: its name (``area.what``), the value, where it was chosen and how."""

    name: str
    value: Any
    chosen_on: str
    how: str
    used_in: str


TUNED: tuple[Tuned, ...] = (
    Tuned(
        "ingest.near_duplicate_threshold",
        0.5,
        "wire copies in the example corpus and the seeds (lightly edited copies 0.6-0.95, distinct stories < 0.3)",
        "docs/formats.md; the setting near_duplicate_threshold",
        "settings.SETTINGS",
    ),
    Tuned(
        "extract.lede_sentences",
        4,
        "gva_dev train half, GVC train",
        "docs/quality.md, 'Implied casualties' (../shared/checks/fields_eval.py on `triangulate run` exports)",
        "extract/events/casualties.py LEDE_SENTENCES",
    ),
    Tuned(
        "link.threshold",
        0.25,
        "none: even odds of the pair model (score 0.25 + log-odds / 8)",
        "by construction; the pair model is trained on the train splits and selected on dev "
        "(triangulate train-pair-model)",
        "settings link_threshold",
    ),
    Tuned(
        "link.type_clash_log_odds",
        -3.0,
        "the hand-set weight of the first linker (-0.35), in log-odds",
        "docs/quality.md, pair model",
        "link/score.py TYPE_CLASH_LOG_ODDS",
    ),
    Tuned(
        "link.soft_date_factor",
        0.3,
        "set by reasoning (a loosely attached date is weak evidence)",
        "-",
        "link/score.py SOFT_DATE_FACTOR",
    ),
    Tuned(
        "link.after_publication_months",
        1,
        f"{SPLITS} (neutral there, -0.001); found on a GVC test error, so its test gain is not held out",
        "docs/quality.md, 'Three rule changes'",
        "link/score.py AFTER_PUBLICATION_MONTHS",
    ),
    Tuned(
        "link.related_types",
        frozenset(
            {
                frozenset({"ASSAULT", "FIGHT"}),
                frozenset({"ASSAULT", "CAPTURE"}),
                frozenset({"CAPTURE", "ARREST"}),
                frozenset({"ASSAULT", "ARREST"}),
            }
        ),
        f"{SPLITS} (0.958 / 0.872 -> 0.959 / 0.875); ASSAULT-ARREST found on a GVC test error",
        "docs/quality.md, 'Three rule changes'",
        "link/score.py RELATED_TYPES",
    ),
    Tuned(
        "link.name_weight",
        0.3,
        SPLITS,
        f"{LINK_CMD}; docs/quality.md, 'Names in the text evidence' (0 to 0.5)",
        "link/score.py NAME_WEIGHT",
    ),
    Tuned(
        "link.hand_weights",
        {
            "type": 0.05,
            "time": 0.2,
            "place": 0.15,
            "victims": 0.15,
            "perpetrators": 0.1,
            "killed": 0.15,
            "text": 0.2,
            "region": 0.15,
        },
        "the seeds' background events and the example corpus (the first linker's weights)",
        "triangulate eval seeds; kept only for pairs with a background event",
        "link/score.py HAND_WEIGHTS",
    ),
    Tuned(
        "link.hand_type_clash",
        0.35,
        "the seeds' background events and the example corpus",
        "triangulate eval seeds",
        "link/score.py HAND_TYPE_CLASH",
    ),
    Tuned(
        "link.text_neutral",
        0.25,
        "the seeds and the example corpus (set cosine of unrelated sentences on one topic)",
        "triangulate eval seeds",
        "link/score.py TEXT_NEUTRAL",
    ),
    Tuned(
        "link.tfidf_neutral",
        0.12,
        "the seeds and the example corpus",
        "triangulate eval seeds",
        "link/score.py TFIDF_NEUTRAL",
    ),
    Tuned(
        "link.tfidf_weight",
        0.6,
        "the seeds and the example corpus",
        "triangulate eval seeds",
        "link/score.py TFIDF_WEIGHT",
    ),
    Tuned(
        "link.max_candidates",
        25,
        f"{SPLITS} alike at 25, 50 and 200; cost from benchmarks/link_incremental.py",
        f"{LINK_CMD}; python benchmarks/link_incremental.py",
        "link/cluster.py MAX_CANDIDATES",
    ),
    Tuned(
        "link.max_exemplars",
        24,
        "set for cost (a story of hundreds of reports costs what one of a dozen does)",
        "python benchmarks/link_incremental.py",
        "link/cluster.py MAX_EXEMPLARS",
    ),
    Tuned(
        "link.date_lending_score",
        0.4,
        "ECB+ topics 1-35 (0.4, 0.6, 0.8 and never within 0.01)",
        "docs/quality.md, 'Names in the text evidence'",
        "link/dates.py STRONG_LINK",
    ),
    Tuned(
        "link.max_firm_victims",
        2,
        "set by reasoning (a mass-casualty incident's reports name different victims); not tuned",
        "-",
        "link/features.py MAX_FIRM_VICTIMS",
    ),
    Tuned(
        "consolidate.threshold",
        0.15,
        "GVC train, GVC dev, ECB+ topics 1-35 (0.125, 0.15, 0.2)",
        f"{LINK_CMD}; docs/quality.md, consolidation",
        "settings consolidate_threshold",
    ),
    Tuned(
        "consolidate.min_log_odds",
        -2.0,
        "gva_dev dev half, GVC dev, ECB+ topics 23-35 (-3, -2, -1)",
        "triangulate eval gva-dev --split dev; " + LINK_CMD,
        "link/consolidate.py MIN_LOG_ODDS",
    ),
    Tuned(
        "consolidate.max_candidates",
        10,
        f"{SPLITS} alike at 10 and 25; cost from benchmarks/link_incremental.py",
        f"{LINK_CMD}; python benchmarks/link_incremental.py",
        "link/consolidate.py MAX_CANDIDATES",
    ),
    Tuned(
        "consolidate.key_terms",
        16,
        f"{SPLITS}, and cost (was 25)",
        "docs/performance.md",
        "link/consolidate.py KEY_TERMS",
    ),
    Tuned(
        "consolidate.max_gap_days",
        365,
        "the seeds (the 2015 and 2017 execution videos) and the example corpus",
        "triangulate eval seeds",
        "link/consolidate.py MAX_GAP_DAYS",
    ),
    Tuned(
        "reconcile.reuse_threshold",
        0.05,
        "the seeds (a rewritten AP story shares 7.6% of its word 8-grams, an own report quoting it 3.5%)",
        "triangulate eval seeds",
        "reconcile/independence.py REUSE_THRESHOLD",
    ),
    Tuned(
        "extract.focus_headline",
        1.5,
        "gva_dev train half (selected on gva_dev dev and GVC dev, incident level)",
        FOCUS_HOW,
        "extract/events/details.py FOCUS_HEADLINE",
    ),
    Tuned(
        "extract.focus_first",
        1.0,
        "gva_dev train half (0.5 there; 1.0, the least that keeps the example corpus floor: reports naming an earlier incident's city)",
        FOCUS_HOW,
        "extract/events/details.py FOCUS_FIRST",
    ),
    Tuned(
        "extract.focus_state_named",
        1.5,
        "gva_dev train half (2.5 tried first: state +0.000 on train; 1.5 kept)",
        FOCUS_HOW,
        "extract/events/details.py FOCUS_STATE_NAMED",
    ),
    Tuned(
        "extract.focus_city_state",
        1.5,
        "gva_dev train half (1.0 tried first with the named weight 2.5)",
        FOCUS_HOW,
        "extract/events/details.py FOCUS_CITY_STATE",
    ),
    Tuned(
        "places.shadowed",
        2.0,
        "none: set by reasoning; checked not to lower LGL and GeoWebNews (triangulate eval geo)",
        "docs/quality.md, 'The city and state a report is about'",
        "extract/places/scoring.py Weights.shadowed",
    ),
)

_BY_NAME = {t.name: t for t in TUNED}


def tuned(name: str) -> Any:
    """The value tuned under ``name`` (a KeyError names a value that is not in :data:`TUNED`)."""
    return _BY_NAME[name].value
