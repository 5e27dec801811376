"""Progress of a folder run: a rich progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import Literal, Protocol, TextIO

Outcome = Literal["done", "failed", "passed"]  # passed: needs no output


class Reporter(Protocol):
    """Told about a run as it goes; implementations are thread-safe."""

    def start(self, total: int, skipped: int, refused: int) -> None:
        """``total`` inputs will be worked on; ``skipped`` are unchanged, ``refused`` bad."""
        ...

    def advance(self, key: str, outcome: Outcome, detail: str = "") -> None:
        """One input finished."""
        ...

    def stop(self) -> None:
        """The run is over (also called when it is interrupted)."""
        ...


_WORDS = {"done": "done", "failed": "failed", "passed": "skipped"}


def final_line(done: int, skipped: int, failed: int, seconds: float) -> str:
    """The line printed at the end of every run."""
    return f"done {done}, skipped {skipped}, failed {failed} in {seconds:.1f} s"


def make_reporter(label: str, stream: TextIO | None = None) -> Reporter:
    """A progress bar when ``stream`` (default stderr) is a terminal, else log lines."""
    stream = stream or sys.stderr
    if stream.isatty():
        return BarReporter(label, stream)
    return LogReporter(label, stream)


class LogReporter:
    """One line per finished input, with counts, rate and ETA."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self._lock = threading.Lock()
        self._total = 0
        self._finished = 0
        self._started = time.monotonic()

    def start(self, total: int, skipped: int, refused: int) -> None:
        """Print what is about to happen."""
        self._total = total
        self._started = time.monotonic()
        self._print(
            f"{self.label}: {total} to do, {skipped} unchanged (skipped), {refused} refused"
        )

    def advance(self, key: str, outcome: Outcome, detail: str = "") -> None:
        """Print one finished input."""
        with self._lock:
            self._finished += 1
            elapsed = time.monotonic() - self._started
            rate = self._finished / elapsed if elapsed > 0 else 0.0
            left = self._total - self._finished
            eta = f"ETA {left / rate:.0f} s" if rate > 0 else "ETA ?"
            where = f"[{self._finished}/{self._total}]"
            if outcome == "done":
                line = f"{self.label} {where} done {key} ({rate:.2f}/s, {eta})"
            else:
                line = f"{self.label} {where} {_WORDS[outcome]} {key}: {detail}"
            self._print(line)

    def stop(self) -> None:
        """Nothing to tear down."""

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)


class BarReporter:
    """A rich progress bar: counts, rate and ETA; failures are printed above it."""

    def __init__(self, label: str, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.label = label
        self._console = Console(file=stream)
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self._console,
        )
        self._task = self._progress.add_task(label, total=0, rate="")
        self._lock = threading.Lock()
        self._failed = 0
        self._started = time.monotonic()

    def start(self, total: int, skipped: int, refused: int) -> None:
        """Show the bar."""
        self._started = time.monotonic()
        self._progress.update(self._task, total=total)
        if skipped or refused:
            self._console.print(f"{self.label}: {skipped} unchanged (skipped), {refused} refused")
        self._progress.start()

    def advance(self, key: str, outcome: Outcome, detail: str = "") -> None:
        """Move the bar; print failures above it."""
        with self._lock:
            if outcome != "done":
                from rich.markup import escape

                self._failed += outcome == "failed"
                word = "[red]failed[/red]" if outcome == "failed" else "skipped"
                self._progress.console.print(f"{word} {escape(f'{key}: {detail}')}")
            finished = self._progress.tasks[0].completed + 1
            elapsed = time.monotonic() - self._started
            rate = f"{finished / elapsed:.2f}/s" if elapsed > 0 else ""
            description = f"{self.label} ({self._failed} failed)" if self._failed else self.label
            self._progress.update(self._task, advance=1, rate=rate, description=description)

    def stop(self) -> None:
        """Remove the live display."""
        self._progress.stop()
