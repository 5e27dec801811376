"""`briefs translate`: translate a file (text, Markdown, HTML, Word .docx), a folder of them,
or stdin."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from service.cli.executor_options import (
    EXECUTOR,
    RAY_ACTORS,
    RAY_ADDRESS,
    RAY_GPUS,
    ExecutorChoice,
    make_executor,
)
from service.cli.glossary_option import GLOSSARY
from service.cli.options import EngineChoice, FormatChoice, LanguageChoice, TargetChoice

if TYPE_CHECKING:
    from service.config import Settings
    from service.translate.files import SourceFile
    from service.translate.texts import TextsTranslation


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the root app."""
    app.command("translate")(translate)


def translate(
    path: str = typer.Argument(
        ...,
        help="A text, Markdown, HTML or Word (.docx) file, a folder of them (searched "
        "recursively), or - for stdin.",
        show_default=False,
    ),
    to: TargetChoice = typer.Option(..., "--to", help="Target language.", show_default=False),
    source: LanguageChoice = typer.Option(
        "auto", "--from", help="Source language; auto detects it for each file."
    ),
    engine: EngineChoice | None = typer.Option(
        None, "--engine", help="Translation engine (default: BRIEFS_ENGINE, auto)."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Folder for the translations, with the input's file names (needed for a folder; "
        "without it a file goes to stdout).",
    ),
    fmt: FormatChoice | None = typer.Option(
        None,
        "--format",
        help="How to read a file: text, html (only prose is translated) or markdown. "
        "Default: from the suffix (.md markdown, .html html, .docx a Word document, else "
        "text); stdin: text.",
        show_default=False,
    ),
    beam_size: int | None = typer.Option(
        None, "--beam-size", min=1, help="Beam size (default: BRIEFS_BEAM_SIZE or the model's)."
    ),
    workers: int = typer.Option(1, "--jobs", "-j", min=1, help="Folder: files worked on at once."),
    glossary: Path | None = GLOSSARY,
    force: bool = typer.Option(
        False, "--force", help="Folder: redo every file, even unchanged ones."
    ),
    executor: ExecutorChoice = EXECUTOR,
    ray_address: str | None = RAY_ADDRESS,
    ray_actors: int | None = RAY_ACTORS,
    ray_gpus_per_actor: float = RAY_GPUS,
) -> None:
    """Translate text between English and Spanish, keeping its layout and markup."""
    from service.cli.glossary_option import settings_with_glossary
    from service.config import get_settings
    from service.errors import InvalidInput
    from service.languages import refuse_same_language
    from service.translate.files import SourceFile, kind_of, read_bytes

    name = "stdin" if path == "-" else path
    refuse_same_language(source, to, name)
    settings = settings_with_glossary(get_settings(), glossary)
    if executor != "local" and (path == "-" or not Path(path).is_dir()):
        raise InvalidInput("--executor ray is for a folder", hint="one file runs here")
    if path == "-":
        if out is not None:
            raise InvalidInput("--out needs a file or a folder", hint="stdin goes to stdout")
        file = SourceFile(name, fmt or "text", _read_stdin())
        target_file = None
    else:
        given = Path(path)
        if not given.exists():
            raise InvalidInput(f"no such file or folder: {path}")
        if given.is_dir():
            if out is None:
                raise InvalidInput(
                    f"{path} is a folder", hint="pass --out DIR to write its translations there"
                )
            # A folder goes through the shared resumable runner (service.jobs), like `brief`.
            if fmt is not None:
                raise InvalidInput(
                    "--format is for one file or stdin", hint="a folder's files go by suffix"
                )
            ray = (executor, ray_address, ray_actors, ray_gpus_per_actor)
            _translate_folder(
                settings, given, out, to, source, engine, beam_size, workers, force, ray
            )
            return
        kind = kind_of(given)
        if fmt is not None and kind == "docx":
            raise InvalidInput("--format is for text files", hint="a .docx is read as Word")
        target_file = None if out is None else _output_file(given, out)
        # Read before loading an engine: an undecodable file fails at once.
        file = SourceFile.load(str(given), read_bytes(given), fmt or kind)
        if target_file is None and kind == "docx" and _is_terminal():
            raise InvalidInput(
                f"{path} is a Word document", hint="pass --out DIR, or redirect stdout to a file"
            )
        if target_file is not None:
            target_file.parent.mkdir(parents=True, exist_ok=True)
    _translate_one(settings, file, target_file, to, source, engine, beam_size)


def _output_file(given: Path, out: Path) -> Path:
    """Where a file's translation goes under ``out``; refuses the input file itself."""
    from service.errors import InvalidInput
    from service.jobs.paths import output_path

    target_file = output_path(out.resolve(), given.name)
    if target_file.resolve() == given.resolve():
        raise InvalidInput(
            f"--out {out} would overwrite {given} with its translation",
            hint="pick another folder for --out",
        )
    return target_file


def _translate_one(
    settings: Settings,
    file: SourceFile,
    target_file: Path | None,
    to: TargetChoice,
    source: LanguageChoice,
    engine: EngineChoice | None,
    beam_size: int | None,
) -> None:
    """Translate one file to ``target_file`` (written atomically) or to stdout."""
    from service.jobs.atomic import write_atomic
    from service.translate.base import DecodeOptions
    from service.translate.document import DocumentTranslator
    from service.translate.factory import build_translator
    from service.translate.files import translate_file

    document = DocumentTranslator(build_translator(settings, engine), settings)
    options = DecodeOptions(beam_size=beam_size) if beam_size else None
    done = translate_file(document, file, source=source, target=to, options=options)
    name, result, data = file.name, done.result, done.data
    _report(result, name)
    if target_file is None:
        stdout = typer.get_binary_stream("stdout")
        stdout.write(data)
        stdout.flush()
        return
    write_atomic(target_file, data)
    typer.echo(f"{name} -> {target_file} ({result.sentences} sentences)", err=True)


def _translate_folder(
    settings: Settings,
    folder: Path,
    out: Path,
    to: TargetChoice,
    source: LanguageChoice,
    engine: EngineChoice | None,
    beam_size: int | None,
    workers: int,
    force: bool,
    ray: tuple[ExecutorChoice, str | None, int | None, float],
) -> None:
    """Translate a folder into ``out``: resumable, atomic, failures in failures.json."""
    from functools import partial

    from service.errors import InvalidInput
    from service.jobs.discover import discover
    from service.jobs.failures import FAILURES_FILE
    from service.jobs.progress import final_line, make_reporter
    from service.jobs.translate_job import TranslateJob, translate_folder, translate_recipe
    from service.translate.base import DecodeOptions
    from service.translate.document import DocumentTranslator
    from service.translate.factory import build_translator
    from service.translate.files import TRANSLATABLE_SUFFIXES

    found = discover(folder, TRANSLATABLE_SUFFIXES, exclude=[out])
    if not found.files and not found.refused:
        raise InvalidInput(f"no .txt, .md, .html or .docx files in {folder}")
    options = DecodeOptions(beam_size=beam_size) if beam_size else None
    recipe = partial(translate_recipe, settings, engine, to, source, options)
    runs_on = make_executor(ray[0], recipe, *ray[1:])
    document = DocumentTranslator(build_translator(settings, engine), settings)
    job = TranslateJob(document, settings, target=to, source=source, options=options)
    reporter = make_reporter("translate")
    result = translate_folder(
        found, out, job, jobs=workers, executor=runs_on, force=force, reporter=reporter
    )
    skipped = len(result.skipped) + len(result.passed)
    typer.echo(final_line(len(result.done), skipped, len(result.failures), result.seconds))
    if result.failures:
        typer.echo(
            f"error: {len(result.failures)} file(s) failed; reasons in "
            f"{result.out_dir / FAILURES_FILE}",
            err=True,
        )
        raise typer.Exit(1)
    if result.passed and not result.done and not result.skipped:
        raise InvalidInput(f"nothing translated: no file in {folder} needs translating to {to}")


def _is_terminal() -> bool:
    return typer.get_binary_stream("stdout").isatty()


def _read_stdin() -> str:
    from service.errors import InvalidInput
    from service.text.utf8 import decode_utf8

    try:
        return decode_utf8(typer.get_binary_stream("stdin").read())
    except InvalidInput as exc:
        raise InvalidInput(f"stdin: {exc.message}", hint=exc.hint) from None


def _report(result: TextsTranslation, name: str) -> None:
    """Say which engine translated, every warning and the checks, on stderr."""
    from service.cli.glossary_option import report_checks

    engine = result.engine
    note = ": lower quality; run `briefs models pull`" if engine.low_quality else ""
    typer.echo(f"translated with {engine.engine} ({engine.model}){note}", err=True)
    for warning in result.warnings:
        typer.echo(f"warning: {name}: {warning}", err=True)
    report_checks(name, result.checks[0])
