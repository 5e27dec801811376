"""Progress of a folder run: a rich progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Literal, Protocol, TextIO

Outcome = Literal["done", "failed", "passed"]  # passed: needs no output


LOG_INTERVAL_S = 10.0  # how often a log reporter prints the counts


class Reporter(Protocol):
    """Told about a run as it goes; implementations are thread-safe."""

    def start(self, total: int, skipped: int, refused: int) -> None:
        """``total`` inputs will be worked on; ``skipped`` are unchanged, ``refused`` bad."""
        ...

    def refused(self, key: str, reason: str) -> None:
        """An input refused before the run (not one of ``total``)."""
        ...

    def advance(self, key: str, outcome: Outcome, detail: str = "") -> None:
        """One of the ``total`` inputs finished."""
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


@dataclass
class Counts:
    """Where a run stands; never more finished than ``total``."""

    total: int = 0
    finished: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        """``120/1000 (12%), 2 failed, 4.10/s, ETA 215 s``."""
        elapsed = time.monotonic() - self.started
        rate = self.finished / elapsed if elapsed > 0 else 0.0
        left = max(0, self.total - self.finished)
        eta = f"ETA {left / rate:.0f} s" if rate > 0 else "ETA ?"
        share = f" ({100 * self.finished // self.total}%)" if self.total else ""
        return f"{self.finished}/{self.total}{share}, {self.failed} failed, {rate:.2f}/s, {eta}"


class LogReporter:
    """Failures as they happen, and the counts, rate and ETA every ``interval_s`` seconds."""

    def __init__(self, label: str, stream: TextIO, interval_s: float = LOG_INTERVAL_S) -> None:
        self.label = label
        self.stream = stream
        self.interval_s = interval_s
        self._lock = threading.Lock()
        self._counts = Counts()
        self._last = 0.0

    def start(self, total: int, skipped: int, refused: int) -> None:
        """Print what is about to happen."""
        self._counts = Counts(total=total)
        self._last = time.monotonic()
        self._print(
            f"{self.label}: {total} to do, {skipped} unchanged (skipped), {refused} refused"
        )

    def refused(self, key: str, reason: str) -> None:
        """Print one refused input."""
        self._print(f"{self.label}: refused {key}: {reason}")

    def advance(self, key: str, outcome: Outcome, detail: str = "") -> None:
        """Count one finished input; print it if it was not done, and the counts when due."""
        with self._lock:
            counts = self._counts
            counts.finished = min(counts.total, counts.finished + 1)
            counts.failed += outcome == "failed"
            if outcome != "done":
                self._print(f"{self.label}: {_WORDS[outcome]} {key}: {detail}")
            now = time.monotonic()
            if now - self._last >= self.interval_s or counts.finished == counts.total:
                self._last = now
                self._print(f"{self.label}: {counts.line()}")

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

    def refused(self, key: str, reason: str) -> None:
        """Print a refused input above the bar."""
        from rich.markup import escape

        self._progress.console.print(f"[red]refused[/red] {escape(f'{key}: {reason}')}")

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
