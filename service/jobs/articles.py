"""Articles in a folder as runner tasks: one per file, one per item of a ``.json`` list, one
per line of a ``.jsonl`` file.

Output names: the input's relative path without its format suffix, plus ``.json``/``.md``
(``world/rain.en.txt`` -> ``world/rain.en.json``); an item of a list file gets ``-<n>``
(``batch.json`` item 2 -> ``batch-2.json``); a line of a ``.jsonl`` file gets ``-<id>`` when
it has an ``id``, else ``-<line number>``, and its key is ``<file>#<id or line>``. Stdin
(``-``) is a ``.jsonl`` stream whose outputs are just ``<id or line>``. ``.jsonl`` files are
read lazily: planning keeps each line's offset and hash, the work reads the line again. Two
inputs that would share an output are refused by the runner, and so is any output that
would overwrite an input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from service.briefs import Article
from service.errors import InputTooLarge, InvalidInput
from service.jobs.discover import SourceFile
from service.jobs.failures import Failure
from service.jobs.readers import parse_json_articles, read_text_article, record_article
from service.jobs.runner import Task
from service.jobs.state import sha256_hex
from service.text.utf8 import decode_utf8

SKIP_SUFFIXES = (".summary.json",)  # reference summaries beside the seed articles
STDIN = "-"  # the relative name of articles read from stdin


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
        if size > limit and not _is_stream(source):  # a stream's limit is per line
            raise InputTooLarge(
                f"the file has {size:,} bytes; the limit is {limit:,}",
                hint="raise BRIEFS_MAX_BODY_BYTES or split the file",
            )
        digest = _file_digest(source)
    except OSError as exc:
        raise InvalidInput(f"cannot read the file: {exc.strerror}") from None
    base = output_base(source.rel)
    suffix = PurePosixPath(source.rel).suffix.lower()
    if _is_stream(source):
        return list(_line_tasks(source, formats, limit))
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


def _is_stream(source: SourceFile) -> bool:
    """A ``.jsonl`` file or stdin: one article per line."""
    return source.rel == STDIN or source.rel.lower().endswith(".jsonl")


def _line_tasks(source: SourceFile, formats: Sequence[str], limit: int) -> Iterator[Task[Article]]:
    """One task per non-blank line; a line too long or without a usable id fails alone."""
    base = "" if source.rel == STDIN else output_base(source.rel) + "-"
    seen: set[str] = set()
    with source.path.open("rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            start, offset = offset, offset + len(raw)
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            name, problem = _line_name(line, number, limit)
            if name in seen:
                name, problem = str(number), f"the id {name!r} is used by an earlier line"
            seen.add(name)
            yield Task(
                f"{source.rel}#{name}",
                sha256_hex(line),
                tuple(f"{base}{name}.{fmt}" for fmt in formats),
                partial(_read_line, source.path, start, len(line), problem),
            )


def _line_name(line: bytes, number: int, limit: int) -> tuple[str, str | None]:
    """The line's ``id`` (or its number) and, if it cannot be an article, why."""
    if len(line) > limit:
        return str(number), f"the line has {len(line):,} bytes; the limit is {limit:,}"
    try:
        value = json.loads(line)
    except ValueError:
        return str(number), None  # parsed again at work time, with a precise error
    ident = value.get("id") if isinstance(value, dict) else None
    if ident is None:
        return str(number), None
    name = str(ident)
    unsafe = not name or name.startswith(".") or any(c in name for c in "/\\\x00\n")
    if unsafe or len(name) > 200:
        return str(number), f"the id {name[:50]!r} cannot name a file (no /, \\, leading .)"
    return name, None


def _read_line(path: Path, offset: int, length: int, problem: str | None) -> Article:
    if problem is not None:
        raise InvalidInput(problem)
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
    except OSError as exc:
        raise InvalidInput(f"cannot read the file: {exc.strerror}") from None
    try:
        value = json.loads(decode_utf8(data))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"invalid JSON: {exc}") from None
    return record_article(value)


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
