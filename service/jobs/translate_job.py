"""``briefs translate`` over a folder: each ``.txt``/``.md``/``.html``/``.docx`` file -> the
same name under --out.

The per-file work is ``service.translate.files.translate_file`` (the format from the file's
suffix); this module only makes it a runner job, so folder translation is resumable and
atomic exactly like ``briefs brief``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from service.config import EngineName, Settings
from service.errors import UnsupportedLanguage, UnsupportedPair
from service.jobs.discover import Discovery
from service.jobs.executors import Executor
from service.jobs.failures import Failure
from service.jobs.fingerprints import translation_settings
from service.jobs.progress import Reporter
from service.jobs.runner import NotNeeded, Produced, RunResult, Task, Work, run_tasks
from service.jobs.state import fingerprint, sha256_hex
from service.languages import Lang, LangOrAuto
from service.translate.base import DecodeOptions
from service.translate.document import DocumentTranslator
from service.translate.files import SourceFile

STATE_NAME = "translate"


@dataclass
class TranslateJob:
    """The work function and fingerprint of ``briefs translate`` on a folder."""

    document: DocumentTranslator
    settings: Settings
    target: Lang
    source: LangOrAuto = "auto"
    options: DecodeOptions | None = None
    pass_over_other_languages: bool = True  # a folder skips files already in the target

    def work(self, task: Task[SourceFile], source: SourceFile) -> Produced:
        """Translate one file into the bytes of its output."""
        from service.translate.files import translate_file

        try:
            done = translate_file(
                self.document,
                source,
                source=self.source,
                target=self.target,
                options=self.options,
            )
        except (UnsupportedPair, UnsupportedLanguage) as exc:
            if self.pass_over_other_languages and self.source == "auto":
                raise NotNeeded(exc.message) from None
            raise
        meta = {"source": done.result.source, "engine": done.result.engine.engine}
        return Produced({task.outputs[0]: done.data}, meta)

    def fingerprint(self) -> str:
        """Everything that shapes the outputs besides the file itself."""
        options = self.options or DecodeOptions()
        return fingerprint(
            {
                "job": "translate",
                "formats": "by-suffix",  # .md/.html keep their markup (was plain text)
                "translation": translation_settings(self.document, self.settings),
                "target": self.target,
                "source": self.source,
                "options": [options.beam_size, options.max_length],
            }
        )


def translate_folder(
    found: Discovery,
    out_dir: Path,
    job: TranslateJob,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    force: bool = False,
    reporter: Reporter | None = None,
) -> RunResult:
    """Translate every discovered file into ``out_dir`` (same relative names); resumable."""
    tasks: list[Task[SourceFile]] = []
    unreadable: list[Failure] = []
    for source in found.files:
        try:
            digest = sha256_hex(source.path.read_bytes())
        except OSError as exc:
            unreadable.append(Failure(source.rel, "invalid_input", f"cannot read: {exc}"))
            continue
        read = partial(read_source, source.path, source.rel)
        tasks.append(Task(source.rel, digest, (source.rel,), read))
    return run_tasks(
        tasks,
        job.work,
        out_dir=out_dir,
        settings_fingerprint=job.fingerprint(),
        state_name=STATE_NAME,
        executor=executor,
        jobs=jobs,
        force=force,
        refused=[*found.refused, *unreadable],
        protected=frozenset(f.path for f in found.files),
        reporter=reporter,
    )


def read_source(path: Path, name: str) -> SourceFile:
    """A file's content, checked, and what it is read as (read in the driver: a Ray cluster
    may not see the input folder)."""
    from service.translate.files import kind_of, read_bytes

    return SourceFile.load(name, read_bytes(path), kind_of(path))


def translate_recipe(
    settings: Settings,
    engine: EngineName | None,
    target: Lang,
    source: LangOrAuto,
    options: DecodeOptions | None,
) -> Work[SourceFile]:
    """Build the engine and return the work function: what each Ray actor runs once."""
    from service.translate.factory import build_translator

    document = DocumentTranslator(build_translator(settings, engine), settings)
    return TranslateJob(document, settings, target=target, source=source, options=options).work
