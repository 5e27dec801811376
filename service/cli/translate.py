"""`briefs translate`: translate a file, a folder of .txt/.md files, or stdin."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

if TYPE_CHECKING:
    from service.translate.document import TranslationResult

EngineChoice = Literal["auto", "ctranslate2", "transformers", "apertium"]
TargetChoice = Literal["en", "es"]
SourceChoice = Literal["auto", "en", "es"]


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the root app."""
    app.command("translate")(translate)


def translate(
    path: str = typer.Argument(
        ...,
        help="A text file, a folder of .txt/.md files (searched recursively), or - for stdin.",
        show_default=False,
    ),
    to: TargetChoice = typer.Option(..., "--to", help="Target language.", show_default=False),
    source: SourceChoice = typer.Option(
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
    beam_size: int | None = typer.Option(
        None, "--beam-size", min=1, help="Beam size (default: BRIEFS_BEAM_SIZE or the model's)."
    ),
    workers: int = typer.Option(1, "--jobs", "-j", min=1, help="Folder: files worked on at once."),
    force: bool = typer.Option(
        False, "--force", help="Folder: redo every file, even unchanged ones."
    ),
) -> None:
    """Translate text between English and Spanish, keeping its layout line for line."""
    from service.config import get_settings
    from service.errors import InvalidInput, UnsupportedLanguage, UnsupportedPair
    from service.translate.base import DecodeOptions
    from service.translate.document import DocumentTranslator
    from service.translate.factory import build_translator
    from service.translate.files import read_text, translate_file, translate_text

    if source == to:
        raise UnsupportedPair(f"--from and --to are both {to}", hint="pick two different languages")
    if out is not None and path != "-" and Path(path).is_dir():
        # A folder goes through the shared resumable runner (service.batch), like `brief`.
        _translate_folder(Path(path), out, to, source, engine, beam_size, workers, force)
        return
    jobs = _plan(path, out)
    # Read everything first: an undecodable file fails the command before any work is done.
    texts = {rel: _read_stdin() if rel == "-" else read_text(file) for rel, file in jobs}

    settings = get_settings()
    document = DocumentTranslator(build_translator(settings, engine), settings)
    options = DecodeOptions(beam_size=beam_size) if beam_size else None
    reported: set[tuple[str, str]] = set()

    if out is None:
        ((rel, _),) = jobs
        name = "stdin" if rel == "-" else path
        result = translate_text(
            document, texts[rel], target=to, source=source, options=options, name=name
        )
        _report(result, name, reported)
        stdout = typer.get_binary_stream("stdout")
        stdout.write(result.texts[0].encode("utf-8"))
        stdout.flush()
        return

    from service.batch.paths import output_path

    out_dir = out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = skipped = 0
    for rel, file in jobs:
        target_file = output_path(out_dir, rel, create_parents=True)
        try:
            result = translate_file(
                document, file, target_file, target=to, source=source, options=options
            )
        except (UnsupportedPair, UnsupportedLanguage) as exc:
            # In a folder, a file detected in the target (or another) language is skipped.
            if len(jobs) == 1 or source != "auto":
                raise
            typer.echo(f"skipped {rel}: {exc.message}", err=True)
            skipped += 1
            continue
        _report(result, rel, reported)
        written += 1
        typer.echo(f"{rel} -> {target_file} ({result.sentences} sentences)", err=True)
    if written == 0 and skipped:
        raise InvalidInput(f"nothing translated: no file in {path} needs translating to {to}")


def _translate_folder(
    folder: Path,
    out: Path,
    to: TargetChoice,
    source: SourceChoice,
    engine: EngineChoice | None,
    beam_size: int | None,
    workers: int,
    force: bool,
) -> None:
    """Translate a folder into ``out``: resumable, atomic, failures in failures.json."""
    from service.batch.discover import discover
    from service.batch.failures import FAILURES_FILE
    from service.batch.progress import final_line, make_reporter
    from service.batch.translate_job import TranslateJob, translate_folder
    from service.config import get_settings
    from service.errors import InvalidInput
    from service.translate.base import DecodeOptions
    from service.translate.document import DocumentTranslator
    from service.translate.factory import build_translator
    from service.translate.files import TEXT_SUFFIXES

    found = discover(folder, TEXT_SUFFIXES, exclude=[out])
    if not found.files and not found.refused:
        raise InvalidInput(f"no .txt or .md files in {folder}")
    settings = get_settings()
    document = DocumentTranslator(build_translator(settings, engine), settings)
    options = DecodeOptions(beam_size=beam_size) if beam_size else None
    job = TranslateJob(document, settings, target=to, source=source, options=options)
    result = translate_folder(
        found, out, job, jobs=workers, force=force, reporter=make_reporter("translate")
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


def _plan(path: str, out: Path | None) -> list[tuple[str, Path]]:
    """The inputs as (name relative to the input, file) pairs; stdin is ('-', Path('-'))."""
    from service.batch.discover import discover
    from service.errors import InvalidInput
    from service.translate.files import TEXT_SUFFIXES

    if path == "-":
        if out is not None:
            raise InvalidInput("--out needs a file or a folder", hint="stdin goes to stdout")
        return [("-", Path("-"))]
    given = Path(path)
    if not given.exists():
        raise InvalidInput(f"no such file or folder: {path}")
    if given.is_file():
        return [(given.name, given)]
    if out is None:
        raise InvalidInput(
            f"{path} is a folder", hint="pass --out DIR to write its translations there"
        )
    found = discover(given, TEXT_SUFFIXES, exclude=[out])
    for refused in found.refused:
        typer.echo(f"skipped {refused.input}: {refused.reason}", err=True)
    if not found.files:
        raise InvalidInput(f"no .txt or .md files in {path}")
    return [(f.rel, f.path) for f in found.files]


def _read_stdin() -> str:
    from service.batch.readers import decode_utf8
    from service.errors import InvalidInput

    try:
        return decode_utf8(typer.get_binary_stream("stdin").read())
    except InvalidInput as exc:
        raise InvalidInput(f"stdin: {exc.message}", hint=exc.hint) from None


def _report(result: TranslationResult, name: str, reported: set[tuple[str, str]]) -> None:
    """Say once which engine translated, and every warning, on stderr."""
    engine = result.engine
    if (engine.engine, engine.model) not in reported:
        reported.add((engine.engine, engine.model))
        note = ": lower quality; run `briefs models pull`" if engine.low_quality else ""
        typer.echo(f"translated with {engine.engine} ({engine.model}){note}", err=True)
    for warning in result.warnings:
        typer.echo(f"warning: {name}: {warning}", err=True)
