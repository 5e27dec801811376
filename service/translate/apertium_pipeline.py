"""Long-lived Apertium pipelines in null-flush mode, as Apertium APY keeps them.

Starting ``apertium`` costs about 0.2 s, nearly all of it loading the mode's dictionaries
and rules into a dozen processes. A pipeline here is those processes started once, each with
``-z`` (the command line that ``apertium-wblank-mode -z`` prints for the mode file), reading
one request after another: a request ends with a NUL byte, and its answer is complete when a
NUL comes back. The text format's own deformatter and reformatter (``apertium-destxt``,
``apertium-retxt``: small programs that start in milliseconds) run per request, as in APY.

One request at a time per pipeline (a lock); a pipeline that dies is started again and the
request retried once; one that does not answer in time is killed (its whole process group)
and the request gets an EngineUnavailable; the next request starts a fresh one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shutil
import signal
import subprocess
import threading
import time
import weakref
from pathlib import Path

from service.errors import EngineUnavailable

log = logging.getLogger(__name__)

_TOOLS = ("apertium-wblank-mode", "apertium-destxt", "apertium-retxt", "bash")
_CHUNK = 65536


class _Died(Exception):
    """The pipeline closed its output before answering."""


def pipeline_for(command: str, mode: str) -> Pipeline | None:
    """A pipeline for ``mode`` of the Apertium installed beside ``command``; None when a tool
    or the mode file is missing (the caller then runs ``apertium`` once per request)."""
    tools = [shutil.which(tool) for tool in _TOOLS]
    mode_file = Path(command).resolve().parent.parent / "share" / "apertium" / "modes"
    mode_file = mode_file / f"{mode}.mode"
    if None in tools or not mode_file.is_file():
        return None
    wblank, destxt, retxt, bash = (str(tool) for tool in tools)
    try:
        printed = subprocess.run(
            [wblank, "-z", str(mode_file)], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Pipeline(mode, printed.stdout.strip(), bash, destxt, retxt)


class Pipeline:
    """One mode's processes, kept alive between requests. Thread-safe."""

    def __init__(self, mode: str, command: str, bash: str, destxt: str, retxt: str) -> None:
        self.mode = mode
        self.command = command
        self.bash, self.destxt, self.retxt = bash, destxt, retxt
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._reaper: weakref.finalize[[subprocess.Popen[bytes]], Pipeline] | None = None

    def translate(self, text: str, timeout_s: float) -> str:
        """The translation of ``text`` (plain text; unknown words unmarked)."""
        deadline = time.monotonic() + timeout_s
        data = self._filter(self.destxt, text.replace("\0", "").encode("utf-8"), deadline)
        with self._lock:
            for attempt in (1, 2):
                process = self._running()
                try:
                    out = self._exchange(process, data + b"\0", deadline)
                    break
                except _Died:
                    self._stop()
                    if attempt == 2:
                        raise EngineUnavailable(
                            f"Apertium's {self.mode} pipeline stopped twice on this request",
                            hint="check the installation with `apertium -l`",
                        ) from None
                    log.warning("Apertium's %s pipeline stopped: starting it again", self.mode)
                except TimeoutError:
                    self._stop()
                    raise EngineUnavailable(
                        f"Apertium did not answer within {timeout_s:.0f} s; its {self.mode} "
                        "pipeline was stopped and starts afresh with the next request",
                        hint="retry; send shorter texts if it happens again",
                    ) from None
        return self._filter(self.retxt, out, deadline).decode("utf-8", "replace")

    def close(self) -> None:
        """Stop the processes (a later request starts them again)."""
        with self._lock:
            self._stop()

    # --- processes ----------------------------------------------------------------------
    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            # $1 and $2 of a mode file: -n (no unknown-word marks, as `apertium -u`), no
            # tagger option.
            self._process = subprocess.Popen(
                [self.bash, "-c", self.command, "apertium-pipeline", "-n", ""],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, killed as one
            )
            assert self._process.stdin is not None
            os.set_blocking(self._process.stdin.fileno(), False)
            # A pipeline nobody closed still ends with its owner (or at exit).
            self._reaper = weakref.finalize(self, _kill, self._process)
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if self._reaper is not None:
            self._reaper.detach()
            self._reaper = None
        if process is not None:
            _kill(process)

    @staticmethod
    def _exchange(process: subprocess.Popen[bytes], data: bytes, deadline: float) -> bytes:
        """Write ``data`` and read up to the answering NUL, both at once (a long text never
        fills one pipe while this waits on the other)."""
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin.fileno(), process.stdout.fileno()
        pending = memoryview(data)
        answer = bytearray()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            readable, writable, _ = select.select(
                [stdout], [stdin] if pending else [], [], remaining
            )
            if writable:
                try:
                    pending = pending[os.write(stdin, pending[:_CHUNK]) :]
                except BrokenPipeError:
                    raise _Died from None
            if readable:
                chunk = os.read(stdout, _CHUNK)
                if not chunk:
                    raise _Died
                answer += chunk
                if answer.endswith(b"\0"):
                    return bytes(answer[:-1])

    @staticmethod
    def _filter(program: str, data: bytes, deadline: float) -> bytes:
        """Run a deformatter or reformatter over ``data``."""
        try:
            done = subprocess.run(
                [program],
                input=data,
                capture_output=True,
                timeout=max(1.0, deadline - time.monotonic()),
                check=True,
            )
        except subprocess.TimeoutExpired:
            raise EngineUnavailable(f"{Path(program).name} did not answer in time") from None
        except (OSError, subprocess.CalledProcessError) as exc:
            raise EngineUnavailable(f"{Path(program).name} failed: {exc}") from None
        return done.stdout


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a pipeline's whole process group and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()
