"""``briefs brief`` over a folder: articles -> ``<name>.json`` + ``<name>.md``, and ``index.md``.

The on-disk brief is ``service.briefs.Brief`` without ``timings_ms``: timings differ from
run to run, so they go to the manifest instead, and the same input and settings always give
byte-identical files, with any ``--jobs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from service.briefs import Article
from service.config import Settings
from service.engines import Engines
from service.errors import InvalidInput
from service.jobs.articles import SKIP_SUFFIXES, article_tasks
from service.jobs.discover import discover
from service.jobs.fingerprints import translation_settings
from service.jobs.manifest import fingerprint, sha256_hex
from service.jobs.progress import Reporter
from service.jobs.readers import ARTICLE_SUFFIXES
from service.jobs.render import (
    BRIEF_TEMPLATE,
    INDEX_TEMPLATE,
    IndexRow,
    render_brief,
    render_index,
)
from service.jobs.runner import Produced, RunResult, Task, run_tasks
from service.text.prompts import load_prompt

FORMATS = ("json", "md")
MANIFEST_FILE = ".briefs-manifest.json"
INDEX_FILE = "index.md"
OUTPUT_VERSION = 1  # bump when the files change for the same input and settings


def parse_formats(value: str) -> tuple[str, ...]:
    """``"json,md"`` -> ``("json", "md")``, in a fixed order; refuses unknown names."""
    names = {part.strip().lower() for part in value.split(",") if part.strip()}
    unknown = names - set(FORMATS)
    if unknown or not names:
        raise InvalidInput(
            f"unknown --format {', '.join(sorted(unknown)) or repr(value)}",
            hint="use json, md or json,md",
        )
    return tuple(fmt for fmt in FORMATS if fmt in names)


@dataclass
class BriefJob:
    """The work function and fingerprint of ``briefs brief``."""

    engines: Engines
    settings: Settings
    formats: tuple[str, ...] = FORMATS
    full_translation: bool = False

    def __post_init__(self) -> None:
        self._brief_template = load_prompt(BRIEF_TEMPLATE, self.settings.prompts_dir)
        self._index_template = load_prompt(INDEX_TEMPLATE, self.settings.prompts_dir)

    def work(self, task: Task[Article], article: Article) -> Produced:
        """Build one brief and render its files."""
        brief = self.engines.briefs.build(article, include_full_translation=self.full_translation)
        files: dict[str, bytes] = {}
        for rel in task.outputs:
            if rel.endswith(".json"):
                text = brief.model_dump_json(indent=2, exclude={"timings_ms"}) + "\n"
            else:
                text = render_brief(self._brief_template, brief, task.key)
            files[rel] = text.encode("utf-8")
        meta = {
            "source_language": brief.source_language,
            "en_title": brief.en.title,
            "es_title": brief.es.title,
        }
        return Produced(files, meta, brief.timings_ms)

    def fingerprint(self) -> str:
        """Everything that shapes the outputs besides the article itself."""
        s = self.settings
        return fingerprint(
            {
                "job": "brief",
                "output_version": OUTPUT_VERSION,
                "translation": translation_settings(self.engines.translator, s),
                "summarizer": getattr(self.engines.summarizer, "name", "?"),
                "abstractive_model": s.abstractive_model,
                "budgets": [
                    s.short_max_sentences,
                    s.short_max_words,
                    s.long_max_sentences,
                    s.long_max_words,
                ],
                "full_translation": self.full_translation,
                "formats": list(self.formats),
                "template": sha256_hex(self._brief_template.template.template.encode("utf-8")),
            }
        )

    def index(self, result: RunResult) -> Mapping[str, bytes]:
        """``index.md``: every brief of this run, done or skipped, in input order."""
        rows = []
        for key, entry in result.entries.items():
            link = next(
                (rel for rel in entry.outputs if rel.endswith(".md")), next(iter(entry.outputs))
            )
            rows.append(
                IndexRow(
                    source=key,
                    link=link,
                    language=str(entry.meta.get("source_language", "?")),
                    en_title=entry.meta.get("en_title"),
                    es_title=entry.meta.get("es_title"),
                )
            )
        text = render_index(self._index_template, rows)
        return {INDEX_FILE: text.encode("utf-8")}


def brief_folder(
    path: Path,
    out_dir: Path,
    job: BriefJob,
    *,
    jobs: int = 1,
    force: bool = False,
    reporter: Reporter | None = None,
) -> RunResult:
    """Brief every article under ``path`` into ``out_dir``; resumable, see ``runner``."""
    found = discover(path, ARTICLE_SUFFIXES, skip_suffixes=SKIP_SUFFIXES, exclude=[out_dir])
    tasks, unreadable = article_tasks(found.files, job.formats, job.settings.max_body_bytes)
    return run_tasks(
        tasks,
        job.work,
        out_dir=out_dir,
        settings_fingerprint=job.fingerprint(),
        manifest_name=MANIFEST_FILE,
        jobs=jobs,
        force=force,
        refused=[*found.refused, *unreadable],
        protected=frozenset(f.path for f in found.files),
        reporter=reporter,
        finish=job.index,
    )
