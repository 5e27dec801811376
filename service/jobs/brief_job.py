"""``briefs brief`` over a folder: articles -> ``<name>.json`` + ``<name>.md``, and an index.

With ``--format jsonl`` every brief is also (or only) one line of ``briefs.jsonl`` at the top
of the output folder: ``{"input": <key>, ...the brief}``. The index is ``_briefs/index.md``.
The on-disk brief is ``service.briefs.Brief`` without ``timings_ms``: timings differ from
run to run, so they go to the run state instead, and the same input and settings always
give byte-identical files, with any ``--jobs`` or executor.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from service.briefs import Article
from service.config import EngineName, Settings
from service.engines import Engines
from service.errors import InvalidInput
from service.jobs.articles import SKIP_SUFFIXES, STDIN, article_tasks
from service.jobs.discover import Discovery, SourceFile, discover
from service.jobs.executors import Executor
from service.jobs.fingerprints import translation_settings
from service.jobs.paths import RUN_DIR, printable
from service.jobs.progress import Reporter
from service.jobs.readers import ARTICLE_SUFFIXES
from service.jobs.runner import Produced, RunResult, Task, Work, run_tasks
from service.jobs.state import fingerprint, sha256_hex
from service.languages import LangOrAuto
from service.render import (
    BRIEF_TEMPLATE,
    INDEX_TEMPLATE,
    IndexRow,
    render_brief,
    render_index,
)
from service.text.prompts import load_prompt

FORMATS = ("json", "md", "jsonl")
FILE_FORMATS = ("json", "md")  # one file per article; jsonl is one line of STREAM_FILE
DEFAULT_FORMATS = FILE_FORMATS
STREAM_FILE = "briefs.jsonl"
STATE_NAME = "brief"
INDEX_FILE = f"{RUN_DIR}/index.md"
OUTPUT_VERSION = 1  # bump when the files change for the same input and settings


def parse_formats(value: str) -> tuple[str, ...]:
    """``"json,md"`` -> ``("json", "md")``, in a fixed order; refuses unknown names."""
    names = {part.strip().lower() for part in value.split(",") if part.strip()}
    unknown = names - set(FORMATS)
    if unknown or not names:
        raise InvalidInput(
            f"unknown --format {', '.join(sorted(unknown)) or repr(value)}",
            hint="use json, md, jsonl or a comma list such as json,md",
        )
    return tuple(fmt for fmt in FORMATS if fmt in names)


@dataclass
class BriefJob:
    """The work function and fingerprint of ``briefs brief``."""

    engines: Engines
    settings: Settings
    formats: tuple[str, ...] = DEFAULT_FORMATS
    full_translation: bool = False
    language: LangOrAuto = "auto"  # --language: for articles that do not say theirs

    def __post_init__(self) -> None:
        self._brief_template = load_prompt(BRIEF_TEMPLATE, self.settings.prompts_dir)
        self._index_template = load_prompt(INDEX_TEMPLATE, self.settings.prompts_dir)

    def work(self, task: Task[Article], article: Article) -> Produced:
        """Build one brief and render its files."""
        if article.language == "auto":
            article = replace(article, language=self.language)
        brief = self.engines.briefs.build(article, include_full_translation=self.full_translation)
        files: dict[str, bytes] = {}
        for rel in task.outputs:
            if rel.endswith(".json"):
                text = brief.model_dump_json(indent=2, exclude={"timings_ms"}) + "\n"
            else:
                text = render_brief(self._brief_template, brief, printable(task.key))
            files[rel] = text.encode("utf-8")
        meta = {
            "source_language": brief.source_language,
            "en_title": brief.en.title,
            "es_title": brief.es.title,
            "checks": dict(Counter(check.kind for check in brief.checks)),
        }
        record = None
        if "jsonl" in self.formats:
            line = {"input": printable(task.key), **brief.model_dump(mode="json")}
            del line["timings_ms"]
            record = json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return Produced(files, meta, brief.timings_ms, record)

    @property
    def file_formats(self) -> tuple[str, ...]:
        """The formats written as one file per article."""
        return tuple(fmt for fmt in self.formats if fmt in FILE_FORMATS)

    @property
    def stream(self) -> str | None:
        """The run's stream file, when ``jsonl`` is asked for."""
        return STREAM_FILE if "jsonl" in self.formats else None

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
                "language": self.language,
                "formats": list(self.formats),
                "template": sha256_hex(self._brief_template.template.template.encode("utf-8")),
            }
        )

    def index(self, result: RunResult) -> Mapping[str, bytes]:
        """``_briefs/index.md``: every brief of this run, done or skipped, in input order."""
        rows = []
        for key, entry in result.entries.items():
            outputs = sorted(entry.outputs, key=lambda rel: not rel.endswith(".md"))
            rows.append(
                IndexRow(
                    source=printable(key),
                    link="../" + (outputs[0] if outputs else STREAM_FILE),
                    language=str(entry.meta.get("source_language", "?")),
                    en_title=entry.meta.get("en_title"),
                    es_title=entry.meta.get("es_title"),
                )
            )
        text = render_index(self._index_template, rows)
        return {INDEX_FILE: text.encode("utf-8")}


def brief_recipe(
    settings: Settings,
    engine: EngineName | None,
    formats: tuple[str, ...],
    full_translation: bool,
    language: LangOrAuto = "auto",
) -> Work[Article]:
    """Build the engines and return the work function: what each Ray actor runs once."""
    from service.engines import build_engines

    engines = build_engines(settings, engine=engine)
    return BriefJob(engines, settings, formats, full_translation, language).work


def brief_folder(
    path: Path,
    out_dir: Path,
    job: BriefJob,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    force: bool = False,
    reporter: Reporter | None = None,
) -> RunResult:
    """Brief every article under ``path`` into ``out_dir``; resumable, see ``runner``."""
    return brief_found(
        find_articles(path, out_dir),
        out_dir,
        job,
        jobs=jobs,
        executor=executor,
        force=force,
        reporter=reporter,
    )


def find_articles(path: Path, out_dir: Path) -> Discovery:
    """The article files under ``path`` (a file or a folder), ``out_dir`` left out."""
    return discover(path, ARTICLE_SUFFIXES, skip_suffixes=SKIP_SUFFIXES, exclude=[out_dir])


@contextlib.contextmanager
def stdin_articles(stdin: BinaryIO) -> Iterator[Discovery]:
    """The JSONL articles on ``stdin``, spooled to a temp file that is read lazily like a
    ``.jsonl`` file (resumable by each line's ``id`` or line number) for as long as the
    ``with`` lasts."""
    with tempfile.TemporaryDirectory(prefix="briefs-stdin-") as folder:
        spool = Path(folder) / "stdin.jsonl"
        with spool.open("wb") as handle:
            shutil.copyfileobj(stdin, handle, 1 << 20)
        yield Discovery(root=Path(folder), files=[SourceFile(spool, STDIN)])


def brief_found(
    found: Discovery,
    out_dir: Path,
    job: BriefJob,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    force: bool = False,
    reporter: Reporter | None = None,
) -> RunResult:
    """Brief the discovered article files into ``out_dir``; resumable, see ``runner``."""
    tasks, unreadable = article_tasks(found.files, job.file_formats, job.settings.max_body_bytes)
    return run_tasks(
        tasks,
        job.work,
        out_dir=out_dir,
        settings_fingerprint=job.fingerprint(),
        state_name=STATE_NAME,
        stream=job.stream,
        executor=executor,
        jobs=jobs,
        force=force,
        refused=[*found.refused, *unreadable],
        protected=frozenset(f.path for f in found.files),
        reporter=reporter,
        finish=job.index,
    )
