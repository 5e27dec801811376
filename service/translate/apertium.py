"""Rule-based EN<->ES through Debian's ``apertium``: offline, lower quality.

Starting Apertium costs ~0.2 s, so each direction's pipeline is started once and kept alive in
null-flush mode (``apertium_pipeline``), as Apertium APY does; where its tools are missing,
each batch runs ``apertium`` once. A whole batch is one request. Sentences are
separated by a blank line: Apertium's text deformatter treats a blank line as a sentence end
and passes it through unchanged, so no transfer rule reaches across it. Each sentence is sent
on one line (its own line breaks become spaces), so the separator cannot occur inside one.
When the number of pieces that come back differs from what went in, the batch is halved and
retried, down to one sentence per call: a sentence is never lost or misaligned.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading

from service.errors import EngineUnavailable, UnsupportedPair
from service.languages import Lang
from service.translate.apertium_pipeline import Pipeline, pipeline_for
from service.translate.base import DecodeOptions, EngineInfo

MODES: dict[tuple[Lang, Lang], str] = {("en", "es"): "eng-spa", ("es", "en"): "spa-eng"}
SEPARATOR = "\n\n"
INSTALL_HINT = "install it with `apt-get install apertium apertium-eng-spa`"
_START_TIMEOUT_S = 30.0
_WORDS_PER_S = 200.0  # a generous floor; Apertium does ~2,500 words/s here

# Apertium's own output damage, repaired where it is made (each has a regression test):
_SPACES = re.compile(r"[ \t]{2,}")  # a dropped pronoun or clitic leaves its space behind
_SPACE_BEFORE_STOP = re.compile(r"(?<=\S) +(?=[,.;:!?)\]»”](?:\s|$))")
_SPACE_AFTER_OPENING = re.compile(r'(^|\s)([“«¿¡(\[]|^") +')
_DOUBLED_STOP = re.compile(r"(?<=[A-Za-z]\.)\.(?!\.)")  # "the US." -> "EE.UU.."
_GLUED_DE = re.compile(r"(?<=[a-záéíóúñü])de(?=\d)")  # "2,552-meter volcano" -> "volcánde2,552"


class ApertiumTranslator:
    """English<->Spanish with Apertium's ``eng-spa`` / ``spa-eng`` modes. Thread-safe."""

    name = "apertium"

    def __init__(self, command: str = "apertium") -> None:
        path = shutil.which(command)
        if path is None:
            raise EngineUnavailable(
                f"the Apertium command {command!r} is not on PATH", hint=INSTALL_HINT
            )
        self.command = path
        self._pipelines: dict[str, Pipeline | None] = {}
        self._pipelines_lock = threading.Lock()

    @staticmethod
    def available(command: str = "apertium") -> bool:
        """Whether the binary is on PATH and both EN<->ES modes are installed."""
        path = shutil.which(command)
        if path is None:
            return False
        try:
            listed = subprocess.run(
                [path, "-l"], capture_output=True, text=True, timeout=_START_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return False
        modes = set(listed.stdout.split())
        return listed.returncode == 0 and set(MODES.values()) <= modes

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model for this direction."""
        self._mode(source, target)
        return EngineInfo(engine="apertium", model="apertium-eng-spa", low_quality=True)

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        """Apertium has no input limit."""
        return None

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        """Word counts."""
        return [len(text.split()) for text in texts]

    def translate(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """Translate each sentence in one Apertium call; decoding options do not apply."""
        mode = self._mode(source, target)
        lines = [" ".join(text.split()) for text in texts]
        out = [""] * len(lines)
        todo = [i for i, line in enumerate(lines) if line]
        translated = self._translate_lines([lines[i] for i in todo], mode)
        for i, text in zip(todo, translated, strict=True):
            out[i] = tidy(text, lines[i])
        return out

    def _translate_lines(self, lines: list[str], mode: str) -> list[str]:
        if not lines:
            return []
        pieces = [p.strip() for p in self._run(SEPARATOR.join(lines), mode).split(SEPARATOR)]
        while len(pieces) > len(lines) and not pieces[-1]:
            pieces.pop()
        if len(pieces) == len(lines):
            return pieces
        if len(lines) == 1:  # one sentence that came back as several blocks: keep them all
            return [" ".join(p for p in pieces if p)]
        half = len(lines) // 2
        return self._translate_lines(lines[:half], mode) + self._translate_lines(lines[half:], mode)

    def close(self) -> None:
        """Stop the kept-alive pipelines."""
        with self._pipelines_lock:
            pipelines, self._pipelines = list(self._pipelines.values()), {}
        for pipeline in pipelines:
            if pipeline is not None:
                pipeline.close()

    def _pipeline(self, mode: str) -> Pipeline | None:
        with self._pipelines_lock:
            if mode not in self._pipelines:
                self._pipelines[mode] = pipeline_for(self.command, mode)
            return self._pipelines[mode]

    def _run(self, text: str, mode: str) -> str:
        timeout = _START_TIMEOUT_S + len(text.split()) / _WORDS_PER_S
        pipeline = self._pipeline(mode)
        if pipeline is not None:
            return pipeline.translate(text, timeout)
        try:
            proc = subprocess.run(
                [self.command, "-u", mode],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise EngineUnavailable(
                f"the Apertium command {self.command!r} disappeared", hint=INSTALL_HINT
            ) from None
        except subprocess.TimeoutExpired:
            raise EngineUnavailable(
                f"Apertium did not answer within {timeout:.0f} s", hint="check the installation"
            ) from None
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"exit status {proc.returncode}"
            raise EngineUnavailable(f"Apertium {mode} failed: {reason}", hint=INSTALL_HINT)
        return proc.stdout.decode("utf-8", "replace")

    @staticmethod
    def _mode(source: Lang, target: Lang) -> str:
        mode = MODES.get((source, target))
        if mode is None:
            raise UnsupportedPair(
                f"Apertium cannot translate {source} -> {target}",
                hint="Briefs translates between English (en) and Spanish (es)",
            )
        return mode


def tidy(output: str, source: str) -> str:
    """Repair the spacing and punctuation damage Apertium's rules leave in ``output``."""
    text = _SPACES.sub(" ", output).strip()
    text = _GLUED_DE.sub(" de ", text)
    if ".." not in source:
        text = _DOUBLED_STOP.sub("", text)
    text = _SPACE_BEFORE_STOP.sub("", text)
    return _SPACE_AFTER_OPENING.sub(r"\1\2", text)
