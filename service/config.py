"""All settings in one typed class, read from ``BRIEFS_*`` environment variables.

Nothing else in the package reads the environment. ``get_settings()`` builds the settings once
per process; a wrong value fails there with a message naming the variable.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_cache_path, user_data_path
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service.errors import BriefsError

# Auto engine batches (BRIEFS_ENGINE_BATCH_SIZE=0): hypotheses (sentences x beam) on a CPU,
# sentences on a GPU.
ENGINE_BATCH_HYPOTHESES = 32
CUDA_ENGINE_BATCH = 32

EngineName = Literal["auto", "ctranslate2", "transformers", "apertium"]
Device = Literal["cpu", "cuda"]
SummaryMethod = Literal["extractive", "abstractive"]

# A browser's Origin header: scheme://host[:port], nothing after.
_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s?#,]+$", re.IGNORECASE)

# The templates ship inside the package (service/prompts links to the top-level prompts/ in
# a checkout; a wheel holds the files themselves).
PACKAGE_PROMPTS_DIR = Path(str(resources.files("service") / "prompts"))


def _default_models_dir() -> Path:
    return user_cache_path("briefs") / "models"


def _default_data_dir() -> Path:
    return user_data_path("briefs")


class Settings(BaseSettings):
    """Every setting of the service; each field is the env var ``BRIEFS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="BRIEFS_", extra="ignore", populate_by_name=True)

    # --- models and engines -------------------------------------------------------------
    models_dir: Path = Field(
        default_factory=_default_models_dir,
        description="Where pulled and imported models live.",
    )
    prompts_dir: Path = Field(
        default=PACKAGE_PROMPTS_DIR, description="Folder of prompt and output templates."
    )
    engine: EngineName = Field(
        default="auto",
        description="Translation engine: auto picks ctranslate2, then transformers, then apertium.",
    )
    device: Device = Field(default="cpu", description="Where neural engines run.")
    compute_type: str = Field(
        default="auto",
        description="CTranslate2 compute type; auto is int8 on cpu and int8_float16 on cuda.",
    )
    inter_threads: int = Field(
        default=0,
        ge=0,
        description="CTranslate2 batches run at once (0: auto, 2 on a multi-core CPU, 1 on cuda).",
    )
    intra_threads: int = Field(
        default=0, ge=0, description="Threads per batch (0: auto, the cores split between batches)."
    )
    beam_size: int | None = Field(
        default=None, ge=1, description="Beam size; unset takes the model's generation_config."
    )
    max_decoding_length: int | None = Field(
        default=None, ge=1, description="Max output tokens per sentence; unset: the model's."
    )
    engine_batch_size: int = Field(
        default=0,
        ge=0,
        validation_alias=AliasChoices("BRIEFS_ENGINE_BATCH_SIZE", "BRIEFS_BATCH_SIZE"),
        description="Sentences per engine batch: one model call, sorted by length (0: auto, "
        f"{ENGINE_BATCH_HYPOTHESES} hypotheses on a CPU, i.e. {ENGINE_BATCH_HYPOTHESES} "
        f"sentences greedy and {ENGINE_BATCH_HYPOTHESES // 4} at beam 4; "
        f"{CUDA_ENGINE_BATCH} sentences on a GPU; old name: BRIEFS_BATCH_SIZE).",
    )
    cache_size: int = Field(
        default=10_000, ge=0, description="Translated sentences kept in the LRU cache."
    )
    auto_pull: bool = Field(
        default=True, description="Let the auto engine download a missing model when online."
    )
    apertium_command: str = Field(default="apertium", description="The Apertium executable.")
    glossary: Path | None = Field(
        default=None,
        description='A glossary file (CSV, TSV or JSON; README, "Glossaries") used by every '
        "translation; a request's glossary rows go over it.",
    )

    # --- summaries -----------------------------------------------------------------------
    summarizer: SummaryMethod = Field(default="extractive", description="Summary method.")
    abstractive_model: str | None = Field(
        default=None, description="Installed summarizer model name for the abstractive method."
    )
    short_max_sentences: int = Field(
        default=2, ge=1, description="Sentence limit of a short summary."
    )
    short_max_words: int = Field(default=60, ge=5, description="Word limit of a short summary.")
    long_max_sentences: int = Field(
        default=6, ge=1, description="Sentence limit of a long summary."
    )
    long_max_words: int = Field(default=180, ge=10, description="Word limit of a long summary.")

    # --- limits ----------------------------------------------------------------------------
    max_text_chars: int = Field(
        default=100_000, ge=1, description="Characters allowed in one text or article."
    )
    max_items: int = Field(default=64, ge=1, description="Items allowed in one list request.")
    max_body_bytes: int = Field(default=4_000_000, ge=1, description="HTTP body size limit.")

    # --- HTTP server -----------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address `briefs serve` binds.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `briefs serve` listens on.")
    workers: int = Field(default=1, ge=1, description="Uvicorn worker processes.")
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated API keys; empty: no key needed."
    )
    api_keys_file: Path | None = Field(
        default=None,
        description="A file of API keys, one a line with optional limits (README, "
        '"API keys and limits"); read again when it changes.',
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Web origins allowed to call the API from a browser (CORS), "
        "comma-separated like `https://news.example,http://localhost:3000`, or `*` for any "
        "(then without credentials); empty: no CORS headers.",
    )
    metrics_token: str | None = Field(
        default=None,
        description="A token that opens /metrics (besides the API keys) when keys are set.",
    )
    opentelemetry: bool = Field(
        default=False,
        description="FastAPI's OpenTelemetry spans, metrics and logs for every request, "
        "sent to the providers the process sets up (e.g. `opentelemetry-instrument`); off: "
        "no per-request look for them (Prometheus metrics are at /metrics either way).",
    )
    rate_limit: str | None = Field(
        default=None,
        description="Requests allowed per API key, or per client address without one, e.g. "
        "`60/minute` or `10/second;1000/day`; unset: no limit.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis (`redis://host:6379/0`) that keeps the rate and quota counters, "
        "shared by workers and replicas; unset: each process counts in memory.",
    )
    client_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a client has to send a request's head, and then its body, "
        "before the connection is closed.",
    )
    batch_wait_ms: float = Field(
        default=0.0,
        ge=0,
        description="How long a batch waits for more requests before it starts with what "
        "is queued (0: at once; callers that come while it runs join the next batch).",
    )
    batch_gather_ms: float = Field(
        default=20.0,
        ge=0,
        description="While every other batch is running, how long at most the next one "
        "waits for the callers of the batch that just finished to send again (it starts once "
        "they all have), so batches stay full under load (a lone caller never waits; 0: "
        "never).",
    )
    shared_batch_size: int = Field(
        default=64,
        ge=1,
        validation_alias=AliasChoices("BRIEFS_SHARED_BATCH_SIZE", "BRIEFS_MAX_BATCH_SIZE"),
        description="Sentences the server gathers from concurrent requests into one engine "
        "call (old name: BRIEFS_MAX_BATCH_SIZE).",
    )
    queue_size: int = Field(
        default=4096,
        ge=1,
        description="Work held before requests get 503: POSTs in progress, and sentences "
        "waiting or being translated.",
    )
    # --- files and suggestions ------------------------------------------------------------
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where the server keeps its data: suggestions (SQLite) and translated "
        "files waiting to be downloaded.",
    )
    file_ttl_s: float = Field(
        default=1800.0,
        gt=0,
        description="Seconds a file translated by POST /translate_file can be downloaded; "
        "then it is deleted.",
    )
    suggestions: bool = Field(
        default=False,
        description="Accept user suggestions on POST /suggest (stored in SQLite under "
        "BRIEFS_DATA_DIR).",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Least severe log messages written."
    )

    def engine_batch(self, beam_size: int) -> int:
        """Sentences per engine batch at this beam size, with 0 (auto) resolved.

        On a CPU a decoding step holds several copies of the vocabulary's scores (65,001 for
        Opus-MT) for every hypothesis, about 2 MiB each, so memory follows sentences x beam:
        auto keeps that product at ``ENGINE_BATCH_HYPOTHESES``. At beam 4, batches of 8
        instead of 32 cost about 13% of CTranslate2's speed and keep the server under 500 MB
        (docs/benchmarks.md, "Memory"). A GPU has the memory and wants the larger batches.
        """
        if self.engine_batch_size:
            return self.engine_batch_size
        if self.device == "cuda":
            return CUDA_ENGINE_BATCH
        return max(1, ENGINE_BATCH_HYPOTHESES // max(1, beam_size))

    def engine_threads(self) -> tuple[int, int]:
        """CTranslate2's (inter_threads, intra_threads), with 0 resolved for this machine.

        Two one-thread workers beat one two-thread worker on a 2-core CPU by a third (see
        docs/benchmarks.md), so auto runs two batches at once and splits the cores between them.
        """
        cores = os.cpu_count() or 1
        inter = self.inter_threads or (1 if self.device == "cuda" else min(2, cores))
        intra = self.intra_threads or max(1, cores // inter)
        return inter, intra

    @field_validator("rate_limit")
    @classmethod
    def _parse_rate(cls, value: str | None) -> str | None:
        if value is not None:
            from limits import parse_many

            try:
                parse_many(value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not a rate limit; write e.g. 60/minute or 10/second;1000/day"
                ) from None
        return value or None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        if "*" in origins and len(origins) > 1:
            raise ValueError("`*` allows every origin: give it alone, or list the origins")
        for origin in origins:
            if origin != "*" and not _ORIGIN.match(origin):
                raise ValueError(
                    f"{origin!r} is not a web origin; write scheme://host[:port] with no path, "
                    "e.g. https://news.example"
                )
        return origins

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value


class SettingsError(BriefsError):
    code = "bad_setting"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{_variable(err['loc'])}: {err['msg']}" for err in exc.errors())
        raise SettingsError(f"invalid setting: {problems}") from None


def _variable(loc: tuple[int | str, ...]) -> str:
    """The environment variable a validation error is about: the one set, for a renamed one."""
    name = "_".join(str(part) for part in loc).upper()
    if not name.startswith("BRIEFS_"):
        return f"BRIEFS_{name}"
    for field in Settings.model_fields.values():
        if (
            isinstance(field.validation_alias, AliasChoices)
            and name in field.validation_alias.choices
        ):
            names = [str(choice) for choice in field.validation_alias.choices]
            return next((n for n in names if n in os.environ), name)
    return name
