"""`briefs brief`: parallel English | Spanish briefs for an article or a folder of them."""

from __future__ import annotations

from pathlib import Path

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
from service.cli.options import EngineChoice, LanguageChoice


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the root app."""
    app.command("brief")(brief)


def brief(
    path: Path = typer.Argument(
        ...,
        help="An article file or a folder of them, searched recursively: .txt (first line is "
        "the title), .md (first # heading is the title), .json ({title, text, language} or a "
        "list of them), .jsonl (one article a line, with an optional id), .html; or - to "
        "read JSONL from stdin. Hidden files and *.summary.json are skipped.",
        show_default=False,
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="Folder for the briefs; the run's index, failures and state go to its _briefs/.",
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Articles worked on at once."),
    engine: EngineChoice | None = typer.Option(
        None, "--engine", help="Translation engine (default: BRIEFS_ENGINE, auto)."
    ),
    full_translation: bool = typer.Option(
        False, "--full-translation", help="Also translate the whole article."
    ),
    formats: str = typer.Option(
        "json,md",
        "--format",
        help="What to write: json and md (a file per article), jsonl (one line per article "
        "in DIR/briefs.jsonl), or a comma list of them.",
    ),
    language: LanguageChoice = typer.Option(
        "auto",
        "--language",
        help="The articles' language where they do not say it (a JSON `language` wins); "
        "auto detects each.",
    ),
    glossary: Path | None = GLOSSARY,
    force: bool = typer.Option(False, "--force", help="Redo every article, even unchanged."),
    executor: ExecutorChoice = EXECUTOR,
    ray_address: str | None = RAY_ADDRESS,
    ray_actors: int | None = RAY_ACTORS,
    ray_gpus_per_actor: float = RAY_GPUS,
) -> None:
    """Write a parallel English | Spanish brief for every article (resumable: reruns skip
    what is done; a killed run finishes on the next)."""
    import contextlib
    from collections import Counter
    from functools import partial

    from service.cli.glossary_option import count_line, settings_with_glossary
    from service.config import get_settings
    from service.engines import build_engines
    from service.errors import InvalidInput
    from service.jobs.brief_job import (
        BriefJob,
        brief_found,
        brief_recipe,
        find_articles,
        parse_formats,
        stdin_articles,
    )
    from service.jobs.failures import FAILURES_FILE
    from service.jobs.progress import final_line, make_reporter

    chosen = parse_formats(formats)
    from_stdin = str(path) == "-"
    if not from_stdin and not path.exists():  # before loading any engine
        raise InvalidInput(f"{path} does not exist", hint="pass an article file or a folder")
    settings = settings_with_glossary(get_settings(), glossary)
    recipe = partial(brief_recipe, settings, engine, chosen, full_translation, language)
    runs_on = make_executor(executor, recipe, ray_address, ray_actors, ray_gpus_per_actor)
    engines = build_engines(settings, engine=engine)  # the driver's: fingerprint and index
    job = BriefJob(engines, settings, chosen, full_translation, language)
    reporter = make_reporter("brief")
    with contextlib.ExitStack() as stack:
        if from_stdin:
            found = stack.enter_context(stdin_articles(typer.get_binary_stream("stdin")))
        else:
            found = find_articles(path, out)
        result = brief_found(
            found, out, job, jobs=jobs, executor=runs_on, force=force, reporter=reporter
        )
    typer.echo(
        final_line(len(result.done), len(result.skipped), len(result.failures), result.seconds)
    )
    kinds: Counter[str] = Counter()
    for key in result.done:
        kinds.update(result.entries[key].meta.get("checks", {}))
    if kinds:
        typer.echo(f"checks: {count_line(kinds)}; each brief lists its own", err=True)
    if result.failures:
        typer.echo(
            f"error: {len(result.failures)} article(s) failed; reasons in "
            f"{result.out_dir / FAILURES_FILE}",
            err=True,
        )
        raise typer.Exit(1)
