"""Articles in a folder as runner tasks: one per file, one per item of a ``.json`` list.

Output names: the input's relative path without its format suffix, plus ``.json``/``.md``
(``world/rain.en.txt`` -> ``world/rain.en.json``); an item of a list file gets ``-<n>``
(``batch.json`` item 2 -> ``batch-2.json``). Two inputs that would share an output are
refused by the runner, and so is any output that would overwrite an input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import Any

from service.briefs import Article
from service.errors import InputTooLarge, InvalidInput
from service.jobs.discover import SourceFile
from service.jobs.failures import Failure
from service.jobs.readers import parse_json_articles, read_text_article, record_article
from service.jobs.runner import Task
from service.jobs.state import sha256_hex

SKIP_SUFFIXES = (".summary.json",)  # reference summaries beside the seed articles


def article_tasks(
    files: Sequence[SourceFile], formats: Sequence[str], max_file_bytes: int
) -> tuple[list[Task[Article]], list[Failure]]:
    """Tasks for the article files; files that cannot even be opened or parsed fail here."""
    tasks: list[Task[Article]] = []
    failures: list[Failure] = []
    for source in files:
        try:
            tasks += _file_tasks(source, formats, max_file_bytes)
        except Exception as exc:
            failures.append(Failure.from_error(source.rel, exc))
    return tasks, failures


def output_base(rel: str) -> str:
    """``world/rain.en.txt`` -> ``world/rain.en``."""
    path = PurePosixPath(rel)
    return str(path.with_suffix("")) if path.suffix else rel


def _file_tasks(source: SourceFile, formats: Sequence[str], limit: int) -> list[Task[Article]]:
    try:
        size = source.path.stat().st_size
        if size > limit:
            raise InputTooLarge(
                f"the file has {size:,} bytes; the limit is {limit:,}",
                hint="raise BRIEFS_MAX_BODY_BYTES or split the file",
            )
        digest = _file_digest(source)
    except OSError as exc:
        raise InvalidInput(f"cannot read the file: {exc.strerror}") from None
    base = output_base(source.rel)
    suffix = PurePosixPath(source.rel).suffix.lower()
    if suffix != ".json":
        outputs = tuple(f"{base}.{fmt}" for fmt in formats)
        return [Task(source.rel, digest, outputs, _text_loader(source, suffix))]
    parsed = parse_json_articles(source.path.read_bytes())
    if isinstance(parsed, dict):
        outputs = tuple(f"{base}.{fmt}" for fmt in formats)
        return [Task(source.rel, digest, outputs, _record_loader(parsed))]
    return [
        Task(
            f"{source.rel}#{number}",
            sha256_hex(json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8")),
            tuple(f"{base}-{number}.{fmt}" for fmt in formats),
            _record_loader(item),
        )
        for number, item in enumerate(parsed, start=1)
    ]


def _text_loader(source: SourceFile, suffix: str) -> Callable[[], Article]:
    # Read again at work time rather than keeping every file in memory. If the file changed
    # since it was hashed, the manifest holds the old hash and the next run redoes it.
    def load() -> Article:
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read the file: {exc.strerror}") from None
        return read_text_article(data, suffix)

    return load


def _record_loader(value: Any) -> Callable[[], Article]:
    return lambda: record_article(value)


def _file_digest(source: SourceFile) -> str:
    digest = hashlib.sha256()
    with source.path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
